// Evidence's prerender renders every page twice: its layout's load (template src/pages/+layout.js) first fetches the
// page itself once more (a "dummy page") so that the page's input components (Dropdown, ButtonGroup, …) set their
// default values into `inputs`, and then renders the page for real with those inputs. A page that never reads or
// sets an input renders the same without that first pass, and it costs as much as the page itself (the whole
// component tree rendered, every query run; measured 29.11.2026: docs/operations.md, "Where the prerender goes").
//
// So the first prerendered page of each route still gets the first pass; if that pass left `inputs` untouched (no
// input read or written: Evidence's inputs proxy adds a key on every read and every write), the route's other pages
// (one per unit, area, indicator: the templated routes) skip it. Only while building: under `evidence dev` a page
// may gain an input at any edit. Used by Evidence's template layout (patches/@evidence-dev+evidence+*.patch).
// The limit: a templated page whose input sits inside a data-dependent `{#if}` that is false on the route's first
// page would lose its inputs pass on the pages where it is true (its dropdown-dependent figures would then render
// in the browser, not prerendered). No page of ours has one (checked 29.11.2026: units, indicators, service areas
// have no input; area and report pages show theirs unconditionally, so they keep the pass).

/** Routes whose first prerendered page used no input. */
const routesWithoutInputs = new Set();

/**
 * Whether the page at this route needs Evidence's inputs pass before it is rendered.
 * @param {string | null} routeId
 * @param {boolean} building `$app/environment` building (false under `evidence dev`)
 */
export function needsInputsPass(routeId, building) {
	return !building || !routesWithoutInputs.has(routeId);
}

/**
 * After the inputs pass of a page: remembers its route when the pass read or set no input.
 * @param {string | null} routeId
 * @param {object} inputs the page's inputs (Evidence's set-tracking proxy) after the pass
 * @param {boolean} building
 */
export function rememberInputsPass(routeId, inputs, building) {
	if (building && routeId && Object.keys(inputs).length === 0) routesWithoutInputs.add(routeId);
}
