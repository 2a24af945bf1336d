// The organisation's frame handed to the Evidence build (pipelines/site.ts): VITE_TJ_* variables and the built
// pages' language.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataAsOf, DEFAULT_FRAME, evidenceEnv, formatDataAsOf, frameEnv, setHtmlLanguage } from '../../pipelines/site.js';
import { fromRoot } from '../../pipelines/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { ConfigError, loadConfig } from '../../pipelines/settings/pipeline.js';
// @ts-expect-error: Evidence's theme plugin, plain JS (the build's `$evidence/themes` module)
import { evidenceThemes } from '@evidence-dev/tailwind/vite-plugin';

describe('the site frame in the Evidence build', () => {
  it('passes name, language, the logo as a data URL, the link colour and the data date', () => {
    const tmp = tempDir('tj-frame-');
    try {
      const warehouse = join(tmp.dir, 'w.duckdb');
      writeFileSync(warehouse, '');
      const env = frameEnv({ name: 'Hyvinvointialue', language: 'sv', logo: fromRoot('config/logo.svg'), linkColour: '#004488' });
      expect(env.VITE_TJ_SITE_NAME).toBe('Hyvinvointialue');
      expect(env.VITE_TJ_LANGUAGE).toBe('sv');
      expect(env.VITE_TJ_LINK_COLOUR).toBe('#004488');
      expect(env.VITE_TJ_PRIMARY_COLOUR).toBeUndefined();
      expect(env.VITE_TJ_SITE_LOGO).toBe(`data:image/svg+xml;base64,${readFileSync(fromRoot('config/logo.svg')).toString('base64')}`);
      // the data's date is not compiled into the bundles (a data-only refresh reuses them): it goes into the pages
      expect(Object.keys(evidenceEnv(warehouse, {})).filter((k) => k.includes('DATA_AS_OF'))).toEqual([]);
      expect(dataAsOf(warehouse)).toMatch(/^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}$/);
      expect(() => frameEnv({ ...DEFAULT_FRAME, logo: join(tmp.dir, 'logo.gif') })).toThrow(/site\.logo .*logo\.gif: not an svg, png or jpg/);
      expect(() => frameEnv({ ...DEFAULT_FRAME, logo: join(tmp.dir, 'missing.svg') })).toThrow(/site\.logo .*missing\.svg: cannot read the file \(ENOENT\)/);
      expect(evidenceEnv(warehouse, {}).VITE_TJ_LANGUAGE).toBe('fi');
      // the organisation's colours: primary for headings and (without a link colour) links, accent under the header
      const coloured = frameEnv({ ...DEFAULT_FRAME, primaryColour: '#123456', accentColour: '#abcdef' });
      expect([coloured.VITE_TJ_PRIMARY_COLOUR, coloured.VITE_TJ_LINK_COLOUR, coloured.VITE_TJ_ACCENT_COLOUR]).toEqual(['#123456', '#123456', '#abcdef']);
      expect(frameEnv(DEFAULT_FRAME).VITE_TJ_ACCENT_COLOUR).toBeUndefined();
    } finally {
      tmp.cleanup();
    }
  });

  it('the data date is Finnish time', () => {
    expect(formatDataAsOf(new Date('2026-11-28T17:51:00Z'))).toBe('28.11.2026 19.51');
    expect(formatDataAsOf(new Date('2026-07-01T21:05:00Z'))).toBe('2.7.2026 0.05');
  });

  it('the built pages say the site language', () => {
    const tmp = tempDir('tj-lang-');
    try {
      mkdirSync(join(tmp.dir, 'a'));
      writeFileSync(join(tmp.dir, 'index.html'), '<!doctype html>\n<html lang="en">\n<head></head></html>');
      writeFileSync(join(tmp.dir, 'a', 'index.html'), '<html lang="en"><body>lang="en"</body></html>');
      writeFileSync(join(tmp.dir, 'a', 'x.js'), 'const x = \'<html lang="en">\';');
      expect(setHtmlLanguage(tmp.dir, 'fi')).toBe(2);
      expect(readFileSync(join(tmp.dir, 'index.html'), 'utf8')).toContain('<html lang="fi">');
      expect(readFileSync(join(tmp.dir, 'a', 'index.html'), 'utf8')).toBe('<html lang="fi"><body>lang="en"</body></html>');
      expect(readFileSync(join(tmp.dir, 'a', 'x.js'), 'utf8')).toContain('lang="en"');
      // the data's date in every page, from the build's data
      expect(setHtmlLanguage(tmp.dir, 'fi', '29.11.2026 17.05')).toBe(1);
      expect(readFileSync(join(tmp.dir, 'index.html'), 'utf8')).toContain('<head><meta name="tj-data-as-of" content="29.11.2026 17.05"></head>');
    } finally {
      tmp.cleanup();
    }
  });

  /** What Evidence's own theme module says the charts' default palette is, with the build's variables in the environment. */
  async function evidencePalette(env: Record<string, string>): Promise<{ light: string[]; dark: string[] }> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const plugin = evidenceThemes();
      const source: string = await plugin.load(plugin.resolveId('$evidence/themes'));
      const themes = JSON.parse(/export const themes = (.*);/.exec(source)![1]!);
      return { light: themes.light.colorPalettes.default, dark: themes.dark.colorPalettes.default };
    } finally {
      for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
    }
  }

  it('site.chart_colours reach Evidence\'s chart palette (light and dark); without them Evidence\'s own', async () => {
    const tmp = tempDir('tj-palette-');
    try {
      const colours = ['#1a5fb4', '#e5a50a', '#26a269'];
      const env = frameEnv({ ...DEFAULT_FRAME, chartColours: colours });
      expect(JSON.parse(env.VITE_TJ_CHART_COLOURS!)).toEqual(colours);
      expect(await evidencePalette({ VITE_TJ_CHART_COLOURS: env.VITE_TJ_CHART_COLOURS! })).toEqual({ light: colours, dark: colours });
      // no setting: the palette Evidence draws today (its default, first colour #236aa4)
      expect(frameEnv(DEFAULT_FRAME).VITE_TJ_CHART_COLOURS).toBeUndefined();
      const stock = await evidencePalette({});
      expect(stock.light[0]).toBe('#236aa4');
      expect(stock.light).toHaveLength(10);
      // a bad colour that slipped past the configuration stops the build, naming the variable and the position
      await expect(evidencePalette({ VITE_TJ_CHART_COLOURS: '["#1a5fb4","blue"]' })).rejects.toThrow('VITE_TJ_CHART_COLOURS[1]: not a colour as #rrggbb');
    } finally {
      tmp.cleanup();
    }
  });

  it('site.chart_colours are checked as #rrggbb, the error naming the key', () => {
    const tmp = tempDir('tj-palette-config-');
    try {
      const base = readFileSync(fromRoot('config/pipeline.yaml'), 'utf8');
      const file = join(tmp.dir, 'pipeline.yaml');
      writeFileSync(file, base.replace(/^site:\n/m, 'site:\n  chart_colours: ["#1a5fb4", "red"]\n'));
      expect(() => loadConfig({ TJ_CONFIG: file })).toThrow(ConfigError);
      expect(() => loadConfig({ TJ_CONFIG: file })).toThrow(/site\.chart_colours\.1.*#rrggbb/);
      writeFileSync(file, base.replace(/^site:\n/m, 'site:\n  chart_colours: ["#1a5fb4", "#E5A50A"]\n'));
      expect(loadConfig({ TJ_CONFIG: file }).site.frame?.chartColours).toEqual(['#1a5fb4', '#E5A50A']);
    } finally {
      tmp.cleanup();
    }
  });
});
