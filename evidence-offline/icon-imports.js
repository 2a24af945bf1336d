/**
 * `@steeze-ui/tabler-icons` is one 2.5 MB JavaScript module with every Tabler icon; 19 of Evidence's components import
 * one to four icons from it by name. Rollup parses and holds the whole module in every build whose graph reaches it
 * (about 160 MB of live heap in the server build and again in the client build, `bench/package-heap.ts`), whatever
 * tree-shaking keeps. An icon is plain data (`{ default: { a: {…}, path: […] } }`).
 *
 * `iconImports()` is a Svelte preprocessor (root `svelte.config.js`) that replaces each
 * `import { A, B as C } from '@steeze-ui/tabler-icons'` in a component script by the icons' data
 * (`const A = {…}; const C = {…};`), so no component brings the barrel into the graph. An unknown icon name fails the
 * build, naming the file and the name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rewriteNamedImports } from './component-imports.js';

const TABLER = '@steeze-ui/tabler-icons';

/** The package's ES module, found the way Node finds the package (it exports only an `import` entry). */
export function tablerEntry(from = import.meta.url) {
	for (const dir of createRequire(from).resolve.paths(TABLER) ?? []) {
		const pkg = join(dir, TABLER, 'package.json');
		if (existsSync(pkg)) return join(dir, TABLER, JSON.parse(readFileSync(pkg, 'utf8')).exports['.'].import);
	}
	throw new Error(`${TABLER} is not installed`);
}

/** Every icon of the package: name → its data as JSON text, read from the module's `export const X = {…};` lines. */
export function tablerIcons(entry = tablerEntry()) {
	/** @type {Map<string, string>} */
	const icons = new Map();
	for (const [, name, json] of readFileSync(entry, 'utf8').matchAll(/^export const ([A-Za-z_$][\w$]*) = (\{.*\});$/gm)) {
		icons.set(name, JSON.stringify(JSON.parse(json)));
	}
	if (icons.size === 0) throw new Error(`${entry}: no icons found (the module's form changed)`);
	return icons;
}

const TABLER_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])@steeze-ui\/tabler-icons\2\s*;?/g;

/**
 * The script with every `import { … } from '@steeze-ui/tabler-icons'` replaced by constants holding the icons' data.
 * @param {string} code
 * @param {Map<string, string>} icons
 * @param {string} [filename]
 */
export function inlineIcons(code, icons, filename = '(unnamed)') {
	return rewriteNamedImports(code, TABLER_IMPORT, (name, local) => {
		const data = icons.get(name);
		if (!data) throw new Error(`${filename}: ${TABLER} has no icon '${name}'`);
		return `const ${local} = ${data};`;
	});
}

/** The preprocessor: icons as data in every component script that imports them from the Tabler barrel. */
export function iconImports() {
	/** @type {Map<string, string> | undefined} */
	let icons;
	return {
		name: 'tj-icon-imports',
		script({ content, filename }) {
			if (!content.includes(TABLER)) return;
			icons ??= tablerIcons();
			return { code: inlineIcons(content, icons, filename) };
		}
	};
}
