// The pages' own texts (headings, paragraphs, labels, column titles, empty states) in the site's language, from the
// message catalogue messages/<language>.yaml. The build checks the catalogue (pipelines/site-messages.ts) and passes
// the chosen language's texts as VITE_TJ_PAGE_MESSAGES, beside VITE_TJ_LANGUAGE (messages.js).
import { buildVariable } from './messages.js';

/** @type {Record<string, string> | undefined} */
let messages;

/** @returns {Record<string, string>} */
function catalogue() {
	if (!messages) {
		const json = buildVariable('VITE_TJ_PAGE_MESSAGES');
		messages = json ? JSON.parse(json) : {};
	}
	return /** @type {Record<string, string>} */ (messages);
}

/**
 * A page text by its key, with `{name}` placeholders filled from `params`. A key the catalogue lacks shows as the key
 * itself (the build checks that every page's key is in every language).
 * @param {string} key e.g. 'index.title'
 * @param {Record<string, unknown>} [params]
 * @returns {string}
 */
export function t(key, params) {
	const text = catalogue()[key] ?? key;
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name] ?? '') : whole));
}

/**
 * The name of a Balanced-Scorecard perspective in the site language, from a mart row's `perspective` code
 * (customer, process, finance, competence, context); the row's `perspective_fi` for a code the catalogue lacks.
 * @param {Record<string, unknown>} row
 * @returns {unknown}
 */
export function perspectiveName(row) {
	const key = `common.perspective.${row?.perspective}`;
	return catalogue()[key] ?? row?.perspective_fi;
}

/** @param {string} text */
const escapeHtml = (text) =>
	text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * A page text with inline markdown as HTML, for `{@html md('key')}`: `[text](/path)` links, `**strong**`, `*emphasis*`
 * and `` `code` ``; everything else is escaped (the texts are ours, the parameters may be data).
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @returns {string}
 */
export function md(key, params) {
	return escapeHtml(t(key, params))
		.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2" class="markdown">$1</a>')
		.replace(/\*\*([^*]+)\*\*/g, '<strong class="markdown">$1</strong>')
		.replace(/\*([^*]+)\*/g, '<em class="markdown">$1</em>')
		.replace(/`([^`]+)`/g, '<code class="markdown">$1</code>');
}

/**
 * The catalogue key of a page's title: `index.title` for `/`, `alueet.title` for `/alueet`,
 * `ennakointi.menetelma.title` for `/ennakointi/menetelma`, `alueet.area.title` for the template `/alueet/[area]`.
 * @param {string} href
 */
export const titleKey = (href) => `${href.replace(/^\/+|\/+$/g, '').replace(/[[\]]/g, '').replace(/\//g, '.') || 'index'}.title`;

/**
 * Puts the catalogue's page titles into Evidence's pages manifest (the sidebar and the breadcrumbs read the titles of
 * the pages' front matter from it), in place; pages without a catalogue title keep theirs.
 * @param {any} node the manifest (or a node of it)
 * @param {string} [href]
 */
export function localisePagesManifest(node, href = '/') {
	if (!node || typeof node !== 'object') return node;
	const key = titleKey(href);
	if (node.frontMatter?.title && catalogue()[key]) {
		node.frontMatter.title = catalogue()[key];
		if (node.title) node.title = catalogue()[key];
	}
	for (const [part, child] of Object.entries(node.children ?? {})) {
		localisePagesManifest(child, `${href.replace(/\/$/, '')}/${part}`);
	}
	return node;
}
