// The organisation's frame, as set at build time from the `site:` section of config/pipeline.yaml
// (pipelines/site.ts passes it to the Evidence build as VITE_TJ_* variables).
import { buildVariable as env, siteLanguage } from './messages.js';

/** @returns {{ name: string, logo: string | undefined, language: import('./messages.js').Language, dataAsOf: string | undefined, linkColour: string | undefined, primaryColour: string | undefined, accentColour: string | undefined }} */
export function siteFrame() {
	return {
		name: env('VITE_TJ_SITE_NAME') ?? 'Tiedolla johtaminen',
		logo: env('VITE_TJ_SITE_LOGO'),
		language: siteLanguage(),
		dataAsOf: dataAsOf(),
		linkColour: env('VITE_TJ_LINK_COLOUR'),
		primaryColour: env('VITE_TJ_PRIMARY_COLOUR'),
		accentColour: env('VITE_TJ_ACCENT_COLOUR')
	};
}

/**
 * The data's date, from the page (pipelines/site.ts writes it into every built page as
 * `<meta name="tj-data-as-of">`, from the data of that build: the bundles, which a data-only refresh reuses, hold
 * no data). Undefined outside a browser or in `evidence dev`.
 * @returns {string | undefined}
 */
export function dataAsOf() {
	if (typeof document === 'undefined') return undefined;
	return document.querySelector('meta[name="tj-data-as-of"]')?.getAttribute('content') || undefined;
}

/**
 * The page's choices (area, year, unit …): each Evidence dropdown is a button with role combobox, labelled with its
 * title, whose text is the title and the chosen option.
 * @param {ParentNode} root
 * @returns {{ title: string, value: string }[]}
 */
export function pageChoices(root) {
	const choices = [];
	for (const button of root.querySelectorAll('#evidence-main-article button[role="combobox"][aria-label]')) {
		const title = button.getAttribute('aria-label') ?? '';
		const text = (button.textContent ?? '').replace(/\s+/g, ' ').trim();
		const value = text.startsWith(title) ? text.slice(title.length).trim() : text;
		if (value) choices.push({ title, value });
	}
	return choices;
}

/** A CSS string literal. @param {string} text */
const cssString = (text) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;

/**
 * The print header as page-margin boxes: the organisation at the left, the page and its choices in the middle, the
 * data's date and the print date at the right, on every printed page.
 * @param {{ organisation: string, page: string, dates: string }} header
 */
export function printHeaderCss({ organisation, page, dates }) {
	const box = (content, align) =>
		`content: ${cssString(content)}; font: 8pt/1.3 system-ui, sans-serif; color: #333; text-align: ${align}; vertical-align: bottom; padding-bottom: 3mm; border-bottom: 0.5pt solid #999;`;
	return `@media print {
	@page {
		margin: 20mm 12mm 14mm;
		@top-left { ${box(organisation, 'left')} font-weight: 700; width: 22%; }
		@top-center { ${box(page, 'center')} width: 50%; }
		@top-right { ${box(dates, 'right')} width: 28%; }
	}
}`;
}
