// ECharts' own texts (month and day names on time axes, toolbox labels) in the site's language.
import langFI from 'echarts/lib/i18n/langFI.js';
import langSV from 'echarts/lib/i18n/langSV.js';
import langEN from 'echarts/lib/i18n/langEN.js';
import { siteLanguage } from './messages.js';

const LANGS = { fi: ['FI', langFI], sv: ['SV', langSV], en: ['EN', langEN] };

/**
 * Registers the site language's ECharts locale and returns its name for echarts.init({ locale }).
 * @param {(name: string, definition: object) => void} registerLocale echarts' registerLocale
 */
export function echartsLocale(registerLocale, language = siteLanguage()) {
	const [name, definition] = LANGS[language];
	registerLocale(name, definition);
	return name;
}
