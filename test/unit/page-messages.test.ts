// The pages' message catalogue (messages/<language>.yaml, issue 18): complete in every language, every key the pages
// and components use is in it and every key in it is used, the build hands the chosen language to Evidence, and no
// page or component text is left outside it (a scan of reports/**/*.md and components/*.svelte).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { catalogueProblems, loadMessageCatalogue, parseMessages, placeholders, type Messages } from '../../pipelines/site-messages.js';
import { DEFAULT_FRAME, frameEnv } from '../../pipelines/site.js';
import { SITE_LANGUAGES } from '../../pipelines/settings/pipeline.js';
import { tempDir } from '../helpers/tmp.js';
import { pageTextProblems } from '../helpers/page-text-scan.js';
// @ts-expect-error: a plain JS module of the Evidence offline module
import * as text from 'tj-evidence-offline/page-text.js';

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f))
    .sort();
const PAGES = files(fromRoot('reports'), '.md');
const COMPONENTS = files(fromRoot('components'), '.svelte');
const rel = (f: string) => relative(fromRoot('.'), f);

describe('the message catalogue', () => {
  const catalogue = loadMessageCatalogue();

  it('has every key in fi, sv and en, no empty text, the same placeholders, and Swedish and English of their own', () => {
    const keys = Object.keys(catalogue.fi).sort();
    expect(keys.length).toBeGreaterThan(300);
    for (const language of SITE_LANGUAGES) {
      expect(Object.keys(catalogue[language]).sort(), language).toEqual(keys);
      for (const key of keys) {
        expect(catalogue[language][key]!.trim(), `${language} ${key}`).not.toBe('');
        expect(placeholders(catalogue[language][key]!), `${language} ${key}`).toEqual(placeholders(catalogue.fi[key]!));
      }
    }
    // translated, not copied: most texts differ from the Finnish (names such as "Sotkanet" may stay)
    for (const language of ['sv', 'en'] as const) {
      const same = keys.filter((k) => catalogue[language][k] === catalogue.fi[k]);
      expect(same.length / keys.length, `${language}: ${same.join(', ')}`).toBeLessThan(0.03);
    }
    // domain terms
    expect(catalogue.sv['toteutus.county']).toBe('Välfärdsområde');
    expect(catalogue.en['toteutus.county']).toBe('Wellbeing services county');
    expect(catalogue.sv['palvelualueet.area.specialist']).toContain('Specialiserad sjukvård');
    expect(catalogue.en['palvelualueet.area.specialist']).toContain('Specialised care');
  });

  it('names the file and the key of a missing, empty or mismatched text', () => {
    const fileOf = (l: string) => `messages/${l}.yaml`;
    const fi: Messages = { 'index.title': 'Otsikko', 'index.note': 'Vuosi {year}' };
    const sv: Messages = { 'index.title': 'Rubrik', 'index.note': 'År {vuosi}' };
    const en: Messages = { 'index.note': 'Year {year}', 'index.extra': 'Extra' };
    expect(catalogueProblems({ fi, sv, en }, fileOf)).toEqual([
      'messages/en.yaml: key index.title is missing (it is in messages/fi.yaml)',
      'messages/sv.yaml: key index.note has the placeholders [vuosi], messages/fi.yaml has [year]',
      'messages/fi.yaml: key index.extra is missing (it is in messages/en.yaml)',
      'messages/sv.yaml: key index.extra is missing (it is in messages/en.yaml)',
    ]);
    expect(() => parseMessages('index:\n  title: "  "\n', 'messages/sv.yaml')).toThrow(/messages\/sv\.yaml:\n\s+- index\.title: empty text/);
    expect(() => parseMessages('index:\n  title: 5\n', 'messages/en.yaml')).toThrow(/messages\/en\.yaml:\n\s+- index\.title: not a text/);
    expect(() => parseMessages('index: [\n', 'messages/fi.yaml')).toThrow(/messages\/fi\.yaml:\n\s+- not valid YAML/);
  });

  it('fails the build on an incomplete catalogue, naming file and key', () => {
    const tmp = tempDir('tj-messages-');
    try {
      writeFileSync(join(tmp.dir, 'fi.yaml'), 'index:\n  title: Otsikko\n  intro: Johdanto\n');
      writeFileSync(join(tmp.dir, 'sv.yaml'), 'index:\n  title: Rubrik\n  intro: Inledning\n');
      writeFileSync(join(tmp.dir, 'en.yaml'), 'index:\n  title: Title\n');
      expect(() => loadMessageCatalogue(tmp.dir)).toThrow(/en\.yaml: key index\.intro is missing \(it is in .*fi\.yaml\)/);
    } finally {
      tmp.cleanup();
    }
  });

  it('is handed to the Evidence build in the site language', () => {
    const tmp = tempDir('tj-messages-env-');
    try {
      for (const language of SITE_LANGUAGES) {
        const env = frameEnv({ ...DEFAULT_FRAME, language });
        expect(JSON.parse(env.VITE_TJ_PAGE_MESSAGES!)).toEqual(catalogue[language]);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('has every key the pages and components use, and uses every key it has', () => {
    const used = new Set<string>();
    const missing: string[] = [];
    for (const file of [...PAGES, ...COMPONENTS]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|tx|md)\(\s*'([^']+)'/g)) {
        used.add(m[1]!);
        if (catalogue.fi[m[1]!] === undefined) missing.push(`${rel(file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(catalogue.fi).filter((k) => !used.has(k))).toEqual([]);
  });

  it('gives every page its title from the catalogue, under the key the sidebar looks up', () => {
    for (const file of PAGES) {
      const route = rel(file).replace(/^reports/, '').replace(/\.md$/, '').replace(/\/index$/, '') || '/';
      const key = `${route.replace(/^\/+/, '').replace(/[[\]]/g, '').replace(/\//g, '.') || 'index'}.title`;
      expect(readFileSync(file, 'utf8'), rel(file)).toContain(`metadata.title = t('${key}');`);
    }
  });
});

describe('page-text.js (the pages\' t and md)', () => {
  beforeAll(() => {
    // read on the first t() call, as the build's VITE_TJ_PAGE_MESSAGES
    process.env.VITE_TJ_PAGE_MESSAGES = JSON.stringify({
      'a.title': 'Otsikko',
      'a.plain': 'Vuosi {year}, {n} kuntaa',
      'a.rich': 'Katso [menetelmä](/indikaattorit#duaalimalli), *ajelehtiva* ja **{org}** `npm run x`',
      'alueet.area.title': 'Alueen tuloskortti',
      'common.perspective.finance': 'Talous',
    });
  });

  it('fills placeholders, renders inline markdown, escapes everything else', () => {
    expect(text.t('a.plain', { year: 2024, n: 5 })).toBe('Vuosi 2024, 5 kuntaa');
    expect(text.t('a.missing')).toBe('a.missing');
    expect(text.md('a.rich', { org: '<b>Kainuu & co</b>' })).toBe(
      'Katso <a href="/indikaattorit#duaalimalli" class="markdown">menetelmä</a>, <em class="markdown">ajelehtiva</em> ja ' +
        '<strong class="markdown">&lt;b&gt;Kainuu &amp; co&lt;/b&gt;</strong> <code class="markdown">npm run x</code>',
    );
  });

  it('names a perspective by its code, or as the mart does for a code it does not know', () => {
    expect(text.perspectiveName({ perspective: 'finance', perspective_fi: 'Talous- ja voimavaranäkökulma' })).toBe('Talous');
    expect(text.perspectiveName({ perspective: 'other', perspective_fi: 'Muu' })).toBe('Muu');
  });

  it('puts the catalogue titles into the pages manifest', () => {
    expect(text.titleKey('/')).toBe('index.title');
    expect(text.titleKey('/ennakointi/menetelma')).toBe('ennakointi.menetelma.title');
    const manifest = {
      frontMatter: { title: 'Etusivu' },
      children: {
        alueet: { frontMatter: { title: 'Alueet' }, children: { '[area]': { frontMatter: { title: 'Vanha' }, title: 'Vanha', children: {} } } },
      },
    };
    text.localisePagesManifest(manifest);
    expect(manifest.children.alueet.frontMatter.title).toBe('Alueet'); // no catalogue title: kept
    expect(manifest.children.alueet.children['[area]'].frontMatter.title).toBe('Alueen tuloskortti');
    expect(manifest.children.alueet.children['[area]'].title).toBe('Alueen tuloskortti');
  });
});

describe('no page text outside the catalogue', () => {
  it('finds no heading, paragraph, label or text attribute written in a page or component', () => {
    const problems = [...PAGES, ...COMPONENTS].flatMap((f) => pageTextProblems(readFileSync(f, 'utf8'), rel(f)));
    expect(problems).toEqual([]);
  });

  it('would find one (the scan itself)', () => {
    const page = [
      '---',
      'title: Testi',
      '---',
      '<script>',
      "\timport { t } from 'tj-evidence-offline/page-text.js';",
      '</script>',
      '',
      '```sql x',
      "select 'Ei tämä' as \"Vuosi\"",
      '```',
      '<!-- Kommentti ei näy -->',
      "## {t('a.title')}",
      '## Uusi otsikko',
      'Kappale suoraan sivulla.',
      "<Dropdown data={x} name=area title=\"Alue\" />",
      "<DataTable data={x} emptyMessage=\"Ei rivejä.\"><Column id=\"Vuosi\" /></DataTable>",
      "<p>{t('a.plain')} · <a href=\"/\">etusivu</a></p>",
      '- [Kaikki mittarit](/indikaattorit)',
      '<ReferenceLine x=50 label="" />',
    ].join('\n');
    expect(pageTextProblems(page, 'reports/x.md')).toEqual([
      'reports/x.md:13: text "Uusi otsikko"',
      'reports/x.md:14: text "Kappale suoraan sivulla."',
      'reports/x.md:15: title="Alue"',
      'reports/x.md:16: emptyMessage="Ei rivejä."',
      'reports/x.md:16: a <Column> without a title',
      'reports/x.md:17: text "etusivu"',
      'reports/x.md:18: text "Kaikki mittarit"',
    ]);
    const component = [
      '<script>',
      "\texport let emptyText = 'Ei tietoja valitulle alueelle.';",
      "\tconst colours = { green: '#2e7d32' };",
      "\tconst label = 'perspective_fi';",
      '</script>',
      '<p class="tj-note">Pisteet 0–100</p>',
      '<span title="Suunta">{arrow}</span>',
      '<style>.tj-note { font-size: 0.8rem; }</style>',
    ].join('\n');
    expect(pageTextProblems(component, 'components/X.svelte')).toEqual([
      'components/X.svelte:2: string \'Ei tietoja valitulle alueelle.\'',
      'components/X.svelte:6: text "Pisteet 0–100"',
      'components/X.svelte:7: title="Suunta"',
    ]);
  });
});
