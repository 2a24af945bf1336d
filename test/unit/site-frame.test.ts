// The organisation's frame handed to the Evidence build (pipelines/site.ts): VITE_TJ_* variables and the built
// pages' language.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FRAME, evidenceEnv, formatDataAsOf, frameEnv, setHtmlLanguage } from '../../pipelines/site.js';
import { fromRoot } from '../../pipelines/paths.js';
import { tempDir } from '../helpers/tmp.js';

describe('the site frame in the Evidence build', () => {
  it('passes name, language, the logo as a data URL, the link colour and the data date', () => {
    const tmp = tempDir('tj-frame-');
    try {
      const warehouse = join(tmp.dir, 'w.duckdb');
      writeFileSync(warehouse, '');
      const env = frameEnv({ name: 'Hyvinvointialue', language: 'sv', logo: fromRoot('config/logo.svg'), linkColour: '#004488' }, warehouse);
      expect(env.VITE_TJ_SITE_NAME).toBe('Hyvinvointialue');
      expect(env.VITE_TJ_LANGUAGE).toBe('sv');
      expect(env.VITE_TJ_LINK_COLOUR).toBe('#004488');
      expect(env.VITE_TJ_PRIMARY_COLOUR).toBeUndefined();
      expect(env.VITE_TJ_SITE_LOGO).toBe(`data:image/svg+xml;base64,${readFileSync(fromRoot('config/logo.svg')).toString('base64')}`);
      expect(env.VITE_TJ_DATA_AS_OF).toMatch(/^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}$/);
      expect(() => frameEnv({ ...DEFAULT_FRAME, logo: join(tmp.dir, 'logo.gif') }, warehouse)).toThrow(/site\.logo .*logo\.gif: not an svg, png or jpg/);
      expect(() => frameEnv({ ...DEFAULT_FRAME, logo: join(tmp.dir, 'missing.svg') }, warehouse)).toThrow(/site\.logo .*missing\.svg: cannot read the file \(ENOENT\)/);
      expect(evidenceEnv(warehouse, {}).VITE_TJ_LANGUAGE).toBe('fi');
      // the organisation's colours: primary for headings and (without a link colour) links, accent under the header
      const coloured = frameEnv({ ...DEFAULT_FRAME, primaryColour: '#123456', accentColour: '#abcdef' }, warehouse);
      expect([coloured.VITE_TJ_PRIMARY_COLOUR, coloured.VITE_TJ_LINK_COLOUR, coloured.VITE_TJ_ACCENT_COLOUR]).toEqual(['#123456', '#123456', '#abcdef']);
      expect(frameEnv(DEFAULT_FRAME, warehouse).VITE_TJ_ACCENT_COLOUR).toBeUndefined();
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
    } finally {
      tmp.cleanup();
    }
  });
});
