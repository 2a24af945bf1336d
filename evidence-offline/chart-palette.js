// The charts' colours from the organisation's configuration (`site.chart_colours` in config/pipeline.yaml).
// Evidence 40 reads its chart palette only from the project's evidence.config.yaml (`theme.colorPalettes.default`),
// through its theme loader in the build process; the redirect in @evidence-dev/tailwind's loadThemesConfig.js hands
// that file's content to `withChartPalette` first, so every chart, legend and map takes the configured colours as if
// they were written in evidence.config.yaml, and the user's file is never edited.

const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * The configured palette (pipelines/site.ts passes it as VITE_TJ_CHART_COLOURS, a JSON list of #rrggbb), or
 * undefined when none is set.
 * @param {Record<string, string | undefined>} env
 * @returns {string[] | undefined}
 */
export function chartColours(env = process.env) {
	const raw = env.VITE_TJ_CHART_COLOURS;
	if (!raw) return undefined;
	let colours;
	try {
		colours = JSON.parse(raw);
	} catch {
		throw new Error('VITE_TJ_CHART_COLOURS: not a JSON list of colours');
	}
	if (!Array.isArray(colours) || colours.length === 0) throw new Error('VITE_TJ_CHART_COLOURS: not a non-empty list of colours');
	colours.forEach((c, i) => {
		if (typeof c !== 'string' || !HEX.test(c)) throw new Error(`VITE_TJ_CHART_COLOURS[${i}]: not a colour as #rrggbb`);
	});
	return colours;
}

/**
 * Evidence's theme configuration file (the parsed evidence.config.yaml) with the configured palette as its default
 * colour palette, in light and dark mode; unchanged without one.
 * @template {{ theme?: Record<string, any> }} T
 * @param {T} configFile
 * @param {Record<string, string | undefined>} [env]
 * @returns {T}
 */
export function withChartPalette(configFile, env = process.env) {
	const colours = chartColours(env);
	if (!colours) return configFile;
	const theme = configFile.theme ?? {};
	return {
		...configFile,
		theme: { ...theme, colorPalettes: { ...theme.colorPalettes, default: { light: colours, dark: colours } } }
	};
}
