/**
 * Every page imports Evidence's components from one barrel, `@evidence-dev/core-components` (Evidence's preprocessor
 * writes `import { DataTable, Column } from '@evidence-dev/core-components'` into each page). The barrel re-exports
 * every component with `export *`, and the package does not declare itself free of side effects, so the bundler
 * keeps every component module with top-level code (source-config forms with every brand icon, the SQL console's
 * editor, maps, …) in the chunk that every page loads first.
 *
 * `componentImports()` is a Svelte preprocessor (root `svelte.config.js`, which Evidence merges into its own) that
 * rewrites each such import into imports of the modules that define the names, so a page loads only the components
 * it uses and what they import. A name the barrel does not export fails the build, naming the file and the name.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const BARREL = '@evidence-dev/core-components';

/** The barrel's entry file (`dist/index.js`), found the way Node finds the package. */
export function barrelEntry(from = import.meta.url) {
	return createRequire(from).resolve(BARREL);
}

function resolveModule(fromFile, specifier) {
	const base = join(dirname(fromFile), specifier);
	for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${fromFile}: cannot resolve the re-export '${specifier}'`);
}

const withoutComments = (code) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');

/**
 * Where each exported name of a barrel comes from: name → `{ file, imported }` (`imported` is `default` for a
 * component file). Explicit exports of a file win over its `export *`, as in ES modules.
 * @param {string} indexFile
 * @returns {Map<string, { file: string, imported: string }>}
 */
export function barrelExports(indexFile, seen = new Set()) {
	/** @type {Map<string, { file: string, imported: string }>} */
	const names = new Map();
	// a component's `export let` are its props, not module exports
	if (seen.has(indexFile) || indexFile.endsWith('.svelte')) return names;
	seen.add(indexFile);
	const code = withoutComments(readFileSync(indexFile, 'utf8'));
	for (const [, list, from] of code.matchAll(/export\s*\{([^}]*)\}\s*(?:from\s*['"]([^'"]+)['"])?/g)) {
		const file = from ? resolveModule(indexFile, from) : indexFile;
		for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
			const [imported, exported = imported] = item.split(/\s+as\s+/);
			names.set(exported, from ? { file, imported } : { file, imported: exported });
		}
	}
	for (const [, name] of code.matchAll(/export\s+(?:async\s+)?(?:const|let|var|function\*?|class)\s+([A-Za-z_$][\w$]*)/g)) {
		names.set(name, { file: indexFile, imported: name });
	}
	for (const [, from] of code.matchAll(/export\s*\*\s*from\s*['"]([^'"]+)['"]/g)) {
		for (const [name, source] of barrelExports(resolveModule(indexFile, from), seen)) {
			if (!names.has(name)) names.set(name, source);
		}
	}
	return names;
}

const BARREL_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])@evidence-dev\/core-components\2\s*;?/g;

/**
 * `code` with each match of `pattern` (an `import { … } from '<package>'` with the list as its first group) replaced
 * by what `each(name, local)` writes for every imported name (`name as local`), joined by spaces.
 * @param {string} code
 * @param {RegExp} pattern
 * @param {(name: string, local: string) => string} each
 */
export function rewriteNamedImports(code, pattern, each) {
	return code.replace(pattern, (_, list) =>
		list
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean)
			.map((item) => {
				const [name, local = name] = item.split(/\s+as\s+/);
				return each(name, local);
			})
			.join(' ')
	);
}

/**
 * The script with every `import { … } from '@evidence-dev/core-components'` replaced by imports of the defining
 * modules (absolute paths).
 * @param {string} code
 * @param {Map<string, { file: string, imported: string }>} exports
 * @param {string} [filename]
 */
export function directImports(code, exports, filename = '(unnamed)') {
	return rewriteNamedImports(code, BARREL_IMPORT, (name, local) => {
		const source = exports.get(name);
		if (!source) throw new Error(`${filename}: ${BARREL} exports no '${name}'`);
		const path = JSON.stringify(source.file);
		return source.imported === 'default' ? `import ${local} from ${path};` : `import { ${source.imported} as ${local} } from ${path};`;
	});
}

/** The preprocessor: direct component imports in every page, layout and component script. */
export function componentImports(indexFile = barrelEntry()) {
	/** @type {Map<string, { file: string, imported: string }> | undefined} */
	let exports;
	return {
		name: 'tj-component-imports',
		script({ content, filename }) {
			if (!content.includes(BARREL)) return;
			exports ??= barrelExports(indexFile);
			return { code: directImports(content, exports, filename) };
		}
	};
}
