// Numbers in the site's language. Evidence formats every number of a table, a BigValue, a chart axis and a tooltip with
// SSF format codes (`#,##0.0`), which always write English separators; it has no locale setting. formatting.js
// (patches/@evidence-dev+component-utilities+4.0.13.patch) hands each finished number text here.
//
// SSF's output is well defined: digits grouped by `,` and a `.` before the decimals, inside whatever literal text the
// format code adds (`€`, ` %`, ` M`). So the separators of each number in the text are mapped, and nothing else is
// touched: Finnish and Swedish use a no-break space between thousands and a decimal comma, and the minus sign
// stays the ASCII hyphen that SSF wrote (copy-paste into a spreadsheet keeps working).

import { siteLanguage } from './messages.js';

/** A number as SSF writes it: digits with `,` groups and an optional `.` fraction. */
const SSF_NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

const SEPARATORS = {
	fi: { group: '\u00a0', decimal: ',' },
	sv: { group: '\u00a0', decimal: ',' },
	en: { group: ',', decimal: '.' }
};

/**
 * "1,234.5" → "1 234,5" (no-break space) in Finnish and Swedish; "-12.5%" → "-12,5%"; text without digits and
 * English builds are left alone.
 * @param {string} text a number formatted by SSF or by fallbackNumberText
 * @param {import('./messages.js').Language} [language]
 */
export function localiseNumberText(text, language = siteLanguage()) {
	const { group, decimal } = SEPARATORS[language];
	if (group === ',' && decimal === '.') return text;
	return text.replace(SSF_NUMBER, (n) => {
		const [whole, fraction] = n.split('.');
		const grouped = /** @type {string} */ (whole).replaceAll(',', group);
		return fraction === undefined ? grouped : `${grouped}${decimal}${fraction}`;
	});
}

/**
 * Evidence's fallback for a number without a format code, in the fixed SSF-style English form that
 * localiseNumberText expects (the runtime's default locale would make the result depend on the machine).
 * @param {number} value
 */
export function fallbackNumberText(value) {
	return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
}
