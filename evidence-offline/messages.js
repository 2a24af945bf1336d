// The words of the site's frame (Evidence's chrome: breadcrumbs, table pagination, download and fullscreen buttons,
// empty states, the "on this page" box) in the site's language. The language is chosen at build time by
// `site.language` in config/pipeline.yaml, passed to the Evidence build as VITE_TJ_LANGUAGE (pipelines/site.ts).

/** @typedef {'fi' | 'sv' | 'en'} Language */

export const LANGUAGES = /** @type {const} */ (['fi', 'sv', 'en']);

export const MESSAGES = {
	fi: {
		home: 'Etusivu',
		onThisPage: 'Tällä sivulla',
		page: 'Sivu',
		rowsOf: (shown, total) => `${shown} / ${total} riviä`,
		noRecords: 'Ei rivejä',
		noResults: 'Ei hakutuloksia',
		search: 'Hae',
		downloadCsv: 'Lataa CSV',
		downloadXlsx: 'Lataa Excel',
		fullscreen: 'Koko näyttö',
		firstPage: 'Ensimmäinen sivu',
		previousPage: 'Edellinen sivu',
		nextPage: 'Seuraava sivu',
		lastPage: 'Viimeinen sivu',
		printed: 'Tulostettu',
		dataAsOf: 'Tiedot',
		menu: 'Valikko',
		print: 'Tulosta',
		saveImage: 'Tallenna kuva',
		openSidebar: 'Avaa valikko',
		closeSidebar: 'Sulje valikko'
	},
	sv: {
		home: 'Startsida',
		onThisPage: 'På denna sida',
		page: 'Sida',
		rowsOf: (shown, total) => `${shown} / ${total} rader`,
		noRecords: 'Inga rader',
		noResults: 'Inga sökresultat',
		search: 'Sök',
		downloadCsv: 'Ladda ner CSV',
		downloadXlsx: 'Ladda ner Excel',
		fullscreen: 'Helskärm',
		firstPage: 'Första sidan',
		previousPage: 'Föregående sida',
		nextPage: 'Nästa sida',
		lastPage: 'Sista sidan',
		printed: 'Utskriven',
		dataAsOf: 'Uppgifter',
		menu: 'Meny',
		print: 'Skriv ut',
		saveImage: 'Spara bild',
		openSidebar: 'Öppna menyn',
		closeSidebar: 'Stäng menyn'
	},
	en: {
		home: 'Home',
		onThisPage: 'On this page',
		page: 'Page',
		rowsOf: (shown, total) => `${shown} of ${total} records`,
		noRecords: 'No records',
		noResults: 'No results',
		search: 'Search',
		downloadCsv: 'Download CSV',
		downloadXlsx: 'Download Excel',
		fullscreen: 'Fullscreen',
		firstPage: 'First page',
		previousPage: 'Previous page',
		nextPage: 'Next page',
		lastPage: 'Last page',
		printed: 'Printed',
		dataAsOf: 'Data as of',
		menu: 'Menu',
		print: 'Print',
		saveImage: 'Save image',
		openSidebar: 'Open menu',
		closeSidebar: 'Close menu'
	}
};

/**
 * A VITE_TJ_* variable of the build: Vite writes it into the bundles (import.meta.env); code that Node loads
 * unbundled during the prerender reads the build process's environment.
 * @param {string} name
 * @returns {string | undefined}
 */
export function buildVariable(name) {
	let value;
	try {
		value = import.meta.env?.[name];
	} catch {
		value = undefined;
	}
	return value || globalThis.process?.env?.[name] || undefined;
}

/**
 * The build's language: VITE_TJ_LANGUAGE (set by pipelines/site.ts from `site.language`), Finnish by default.
 * @returns {Language}
 */
export function siteLanguage() {
	/** @type {string | undefined} */
	const chosen = buildVariable('VITE_TJ_LANGUAGE');
	return /** @type {Language} */ (LANGUAGES.includes(/** @type {Language} */ (chosen)) ? chosen : 'fi');
}

/**
 * A chrome text in the site's language (or the given one).
 * @template {keyof typeof MESSAGES.fi} K
 * @param {K} key
 * @param {Language} [language]
 * @returns {(typeof MESSAGES.fi)[K]}
 */
export function t(key, language = siteLanguage()) {
	return MESSAGES[language][key];
}

/** BCP 47 locale of a site language, for Intl formatting. */
export const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/**
 * A name in the site's language from a mart row that carries `<base>_fi`, `<base>_sv`, `<base>_en` (the indicator
 * registry's and the region model's names); Finnish when the row has none in that language.
 * @param {Record<string, unknown> | undefined} row
 * @param {string} base e.g. 'indicator_name'
 * @param {Language} [language]
 * @returns {unknown}
 */
export function localName(row, base, language = siteLanguage()) {
	return row?.[`${base}_${language}`] || row?.[`${base}_fi`];
}
