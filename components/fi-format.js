// Number and date formatting for the dashboards in the site language (Finnish by default, fi-FI: "1 234,5" with a
// no-break space, "23.11.2026"; sv-FI the same; en-GB "1,234.5", "23/11/2026"; site.language, messages.js LOCALES).
// Uses the runtime's Intl data (full ICU in Node 20 and in Chromium); no library needed.
import { LOCALES, siteLanguage } from 'tj-evidence-offline/messages.js';

const locale = LOCALES[siteLanguage()];

/** Shown instead of a value that is missing or withheld. Never 0, never blank. */
export const MISSING = '–';

const numberFormats = new Map();

/**
 * @param {unknown} value
 * @param {number} [decimals]
 * @returns {string}
 */
export function formatNumberFi(value, decimals = 0) {
	if (value === null || value === undefined || value === '') return MISSING;
	const n = typeof value === 'bigint' ? Number(value) : Number(value);
	if (!Number.isFinite(n)) return MISSING;
	let format = numberFormats.get(decimals);
	if (!format) {
		format = new Intl.NumberFormat(locale, {
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals
		});
		numberFormats.set(decimals, format);
	}
	return format.format(n);
}

const dateFormat = new Intl.DateTimeFormat(locale, {
	day: 'numeric',
	month: 'numeric',
	year: 'numeric',
	timeZone: 'Europe/Helsinki'
});

/**
 * @param {unknown} value a Date, an ISO string or epoch milliseconds
 * @returns {string}
 */
export function formatDateFi(value) {
	if (value === null || value === undefined || value === '') return MISSING;
	const d = value instanceof Date ? value : new Date(/** @type {string | number} */ (value));
	return Number.isNaN(d.getTime()) ? MISSING : dateFormat.format(d);
}
