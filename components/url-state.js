// Page selections in the URL query (components/UrlDropdown.svelte): the pure parts, unit-tested in
// test/unit/url-state.test.ts. An input's entry has the shape Evidence's Dropdown itself writes into the page's
// inputs store ({ label, value: the SQL text, rawValues: the selected options }), so a Dropdown started afterwards
// takes it as its selection.
import { duckdbSerialize } from '@evidence-dev/sdk/usql';

/**
 * The value selected in a single-select input, or undefined while the input has none. Reads without touching
 * Evidence's tracking proxy (reading an unset key through it would create the key).
 * @param {Record<string, any>} inputs
 * @param {string} name
 */
export function selectedValue(inputs, name) {
	if (!inputs || !(name in inputs)) return undefined;
	const entry = inputs[name];
	if (!entry || !('rawValues' in entry) || !Array.isArray(entry.rawValues) || entry.rawValues.length !== 1) return undefined;
	const value = entry.rawValues[0]?.value;
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? value : undefined;
}

/**
 * The option whose value, as text, is the URL's value: { value (typed as in the options), label }, or undefined.
 * @param {ArrayLike<Record<string, any>> | undefined} rows
 * @param {string} wanted
 * @param {string} valueColumn
 * @param {string} labelColumn
 */
export function findOption(rows, wanted, valueColumn, labelColumn) {
	if (!rows) return undefined;
	for (const row of Array.from(rows)) {
		const value = row?.[valueColumn];
		if (value === null || value === undefined || String(value) !== wanted) continue;
		const label = row[labelColumn];
		return { value, label: label === null || label === undefined ? value : label };
	}
	return undefined;
}

/**
 * The inputs-store entry of a single selected option, as a Dropdown writes it.
 * @param {{ value: string | number, label: string | number }} option
 * @param {boolean} [auto] the option came from a query (Evidence marks those `__auto`)
 */
export function inputEntry(option, auto = true) {
	const selected = { value: option.value, label: option.label, idx: auto ? 0 : -1, __auto: auto, selected: true };
	return {
		label: option.label,
		value: duckdbSerialize(option.value, { serializeStrings: false }),
		rawValues: [selected]
	};
}
