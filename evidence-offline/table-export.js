// A table's download, ready for a spreadsheet in the site's language: Finnish (and Swedish) Excel reads a CSV with
// `;` between fields, a decimal comma and a UTF-8 BOM; dates as d.m.yyyy; the table's own column titles as headers;
// a file name that says what (the page and the table's heading) and when; and no cell that a spreadsheet would run as
// a formula. An .xlsx download (exceljs, loaded only when asked for) has real numbers and dates.
// Evidence's DownloadData.svelte calls downloadTable() (patches/@evidence-dev+core-components+5.4.2.patch).

import { siteLanguage } from './messages.js';
import { pageChoices } from './site.js';

/**
 * Spreadsheet formula injection (CSV injection): a text cell that starts with = + - @, a tab or a carriage return is
 * run as a formula by Excel and LibreOffice. Such a cell gets a leading apostrophe, which the spreadsheet shows as
 * text (OWASP). Numbers stay numbers.
 * @param {unknown} value
 */
export function escapeFormulaCell(value) {
	return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** @typedef {{ id: string, title?: string, fmt?: string }} ExportColumn */
/** @typedef {{ separator: string, decimal: string }} CsvDialect */

/** Finnish and Swedish spreadsheets: `;` and a decimal comma; English ones: `,` and a decimal point. */
export function csvDialect(language = siteLanguage()) {
	return language === 'en' ? { separator: ',', decimal: '.' } : { separator: ';', decimal: ',' };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A Date (or an ISO date text) as a date, or undefined. Evidence's dates are UTC instants; a date without a time of
 * day is d.m.yyyy, a timestamp d.m.yyyy H:MM (both read as dates by Finnish Excel).
 * @param {unknown} value
 * @returns {Date | undefined}
 */
export function asDate(value) {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	if (typeof value === 'string' && ISO_DATE.test(value)) {
		const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
		return Number.isNaN(d.getTime()) ? undefined : d;
	}
	return undefined;
}

/** @param {Date} d */
export function formatExportDate(d) {
	const date = `${d.getUTCDate()}.${d.getUTCMonth() + 1}.${d.getUTCFullYear()}`;
	if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return date;
	return `${date} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * A number as a spreadsheet reads it: every digit kept, no grouping, the dialect's decimal mark.
 * @param {number | bigint} n
 * @param {string} decimal
 */
export function formatExportNumber(n, decimal) {
	if (typeof n === 'bigint') return n.toString();
	if (!Number.isFinite(n)) return '';
	const text = n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 15 });
	return decimal === '.' ? text : text.replace('.', decimal);
}

/**
 * One cell as CSV text.
 * @param {unknown} value
 * @param {CsvDialect} dialect
 */
export function csvCell(value, { separator, decimal }) {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number' || typeof value === 'bigint') return formatExportNumber(value, decimal);
	if (typeof value === 'boolean') return value ? '1' : '0';
	const date = asDate(value);
	if (date) return formatExportDate(date);
	const text = String(escapeFormulaCell(String(value)));
	return text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The column list of a download: the table's columns (their titles as headers), else the rows' keys.
 * @param {Record<string, unknown>[]} rows
 * @param {ExportColumn[] | undefined} columns
 * @returns {{ id: string, header: string }[]}
 */
export function exportColumns(rows, columns) {
	if (columns?.length) return columns.map((c) => ({ id: c.id, header: c.title ?? c.id }));
	return Object.keys(rows[0] ?? {}).map((id) => ({ id, header: id }));
}

/**
 * The CSV text of a table (with the UTF-8 BOM that tells Excel the encoding), CRLF line ends.
 * @param {Record<string, unknown>[]} rows
 * @param {{ columns?: ExportColumn[], language?: import('./messages.js').Language }} [options]
 */
export function tableToCsv(rows, { columns, language } = {}) {
	const dialect = csvDialect(language);
	const cols = exportColumns(rows, columns);
	const lines = [cols.map((c) => csvCell(c.header, dialect)).join(dialect.separator)];
	for (const row of rows) lines.push(cols.map((c) => csvCell(row[c.id], dialect)).join(dialect.separator));
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The workbook of a table (one sheet; numbers and dates as spreadsheet values, texts formula-escaped).
 * @param {Record<string, unknown>[]} rows
 * @param {{ columns?: ExportColumn[], sheetName?: string }} [options]
 * @returns {Promise<Uint8Array>}
 */
export async function tableToXlsx(rows, { columns, sheetName = 'Taulukko' } = {}) {
	const { default: ExcelJS } = await import('exceljs');
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Taulukko');
	const cols = exportColumns(rows, columns);
	sheet.columns = cols.map((c) => ({ header: c.header, key: c.id, width: Math.min(40, Math.max(10, c.header.length + 2)) }));
	sheet.getRow(1).font = { bold: true };
	for (const row of rows) {
		sheet.addRow(
			Object.fromEntries(
				cols.map((c) => {
					const v = row[c.id];
					if (typeof v === 'bigint') return [c.id, Number(v)];
					const date = typeof v === 'number' ? undefined : asDate(v);
					return [c.id, date ?? escapeFormulaCell(v ?? null)];
				})
			)
		);
	}
	cols.forEach((c, i) => {
		if (rows.some((r) => asDate(r[c.id]) && typeof r[c.id] !== 'number')) sheet.getColumn(i + 1).numFmt = 'd.m.yyyy';
	});
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/**
 * A file name that says what and when: "<page> – <table heading> – <the page's choices> <d.m.yyyy>.<ext>", without
 * characters that file systems refuse.
 * @param {{ page?: string, table?: string, choices?: string[], fallback?: string, date?: Date, extension: string }} what
 */
export function exportFileName({ page, table, choices = [], fallback = 'taulukko', date = new Date(), extension }) {
	const parts = [page, table, ...choices].map((p) => p?.replace(/\s+/g, ' ').trim()).filter((p) => p);
	const unique = parts.filter((p, i) => parts.indexOf(p) === i);
	const what = unique.length ? unique.join(' – ') : fallback;
	const when = `${date.getDate()}.${date.getMonth() + 1}.${date.getFullYear()}`;
	const safe = `${what} ${when}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
	return `${safe.slice(0, 150)}.${extension}`;
}

/**
 * What a table on the page is: the page's heading, the nearest heading above the table and the page's choices (the
 * unit, area or year its dropdowns show).
 * @param {Element | null | undefined} element an element inside the table (the clicked button)
 * @returns {{ page?: string, table?: string, choices?: string[] }}
 */
export function describeTable(element) {
	if (typeof document === 'undefined') return {};
	const choices = pageChoices(document).map((c) => c.value);
	const page = document.querySelector('article h1, h1')?.textContent ?? undefined;
	let table;
	if (element) {
		const headings = [...document.querySelectorAll('article h1, article h2, article h3, article h4')];
		for (const h of headings) {
			if (h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) table = h.textContent ?? undefined;
		}
	}
	return { page, table, choices };
}

/** @param {BlobPart} content @param {string} type @param {string} fileName */
function saveFile(content, type, fileName) {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads a table as CSV or xlsx in the browser.
 * @param {Iterable<Record<string, unknown>>} data
 * @param {{ format?: 'csv' | 'xlsx', columns?: ExportColumn[], queryID?: string, element?: Element | null }} options
 */
export async function downloadTable(data, { format = 'csv', columns, queryID, element } = {}) {
	const rows = Array.from(data);
	const { page, table, choices } = describeTable(element);
	const fileName = exportFileName({ page, table, choices, fallback: queryID, extension: format });
	if (format === 'xlsx') {
		const bytes = await tableToXlsx(rows, { columns, sheetName: table ?? page });
		saveFile(bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName);
	} else {
		saveFile(tableToCsv(rows, { columns }), 'text/csv;charset=utf-8', fileName);
	}
}
