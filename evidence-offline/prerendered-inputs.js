/**
 * The page's input values (dropdown selections) as the prerender chose them, carried into the browser so that the
 * hydration starts from them (docs/evidence-offline-patch.md, "Figures in the prerendered page").
 *
 * Evidence prerenders a page with its dropdowns' defaults, but in the browser the inputs start unset: a dropdown sets
 * its default only once its options have loaded and its batched option list has flushed (100 ms), so every query
 * that depends on a dropdown, and every figure it feeds, first hydrated as an empty skeleton over the prerendered
 * figure and showed its number only then. With the prerender's selections restored before the page starts, those
 * queries are complete at hydration and take their prerendered rows at once, and each Dropdown starts with its
 * selection (`initialOptions`, as after a navigation back).
 */

const samePath = (/** @type {unknown} */ path) => (typeof path === 'string' ? path.replace(/\/+$/, '') : undefined);

/** The element that carries the selections in a prerendered page. */
export const INPUTS_ELEMENT_ID = 'tj-prerendered-inputs';

/**
 * The selections of a page's inputs store that a Dropdown made (`{ label, value, rawValues }`), for the page `path`,
 * as the text of a JSON script element (`<` escaped). Inputs never set are left out.
 * @param {Record<string, unknown>} inputs Evidence's inputs object (a set-tracking proxy)
 * @param {string} path the page's path
 */
export function inputsScript(inputs, path) {
	/** @type {Record<string, unknown>} */
	const selections = {};
	for (const [name, entry] of Object.entries(JSON.parse(JSON.stringify(inputs ?? {})))) {
		if (entry && Array.isArray(entry.rawValues) && 'value' in entry && typeof entry.value !== 'object') selections[name] = entry;
	}
	const json = JSON.stringify({ path, selections }).replace(/</g, '\\u003c');
	return `<script type="application/json" id="${INPUTS_ELEMENT_ID}">${json}</script>`;
}

/**
 * The text of the prerendered page's selections element, which it removes (the page's hydration renders none); null
 * when the document has none.
 * @param {Document} doc
 */
export function takeInputsScript(doc) {
	const element = doc.getElementById(INPUTS_ELEMENT_ID);
	element?.remove();
	return element ? element.textContent : null;
}

/**
 * Writes the prerender's selections (the text of the element `inputsScript` wrote) into the browser's inputs object
 * before the page's components start; only for the page the document was prerendered as (after a client-side
 * navigation a page starts as Evidence starts it). Returns the names restored.
 * @param {Record<string, unknown>} inputs Evidence's inputs object of the page being hydrated
 * @param {string | null} text
 * @param {string} path the page's path
 */
export function restoreInputs(inputs, text, path) {
	if (!text || !inputs) return [];
	let carried;
	try {
		carried = JSON.parse(text);
	} catch {
		return [];
	}
	if (samePath(carried?.path) !== samePath(path) || typeof carried.selections !== 'object' || carried.selections === null) return [];
	const names = [];
	for (const [name, entry] of Object.entries(carried.selections)) {
		if (!entry || !Array.isArray(entry.rawValues)) continue;
		inputs[name] = entry;
		names.push(name);
	}
	return names;
}
