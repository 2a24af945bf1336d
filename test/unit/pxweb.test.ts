import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import {
  AGE_GROUPS,
  canonicalAgeGroup,
  classifyAge,
  classifyArea,
  parseCell,
  parseJsonStat2,
  parsePxWebCsv,
  PxWebFormatError,
} from '../../pipelines/population/pxweb.js';

const fx = (name: string) => readFileSync(fromRoot(`test/fixtures/population/${name}`), 'utf8');
const key = (r: { municipality: string; year: number; age_group: string; population: number; variant?: string | null }) =>
  `${r.municipality} ${r.year} ${r.age_group}${r.variant ? ` ${r.variant}` : ''} = ${r.population}`;

describe('classifiers', () => {
  it('reads region codes and labels; non-municipal areas are "other"', () => {
    expect(classifyArea('KU244', 'Kempele')).toEqual({ kind: 'municipality', municipality: '244' });
    expect(classifyArea(undefined, 'KU244 Kempele')).toEqual({ kind: 'municipality', municipality: '244' });
    expect(classifyArea('5', '5')).toEqual({ kind: 'municipality', municipality: '005' });
    expect(classifyArea('Kempele', 'Kempele')).toEqual({ kind: 'municipality', municipality: 'Kempele' });
    for (const other of ['SSS', 'MK17', 'SHP18', 'HVA19', 'KOKO MAA', 'MK19 Pohjois-Pohjanmaa']) {
      expect(classifyArea(other, other).kind).toBe('other');
    }
  });

  it('maps ages to the canonical 5-year groups and names a group that straddles them', () => {
    expect(AGE_GROUPS).toHaveLength(18);
    const group = (s: string) => {
      const a = classifyAge(s);
      if (!a || a.kind !== 'ages') return a?.kind;
      const g = canonicalAgeGroup(a);
      return 'group' in g ? g.group : g.error;
    };
    expect(group('0')).toBe('0-4');
    expect(group('004')).toBe('0-4');
    expect(group('100 -')).toBe('85+');
    expect(group('0 - 4')).toBe('0-4');
    expect(group('0-4')).toBe('0-4');
    expect(group('75–79')).toBe('75-79');
    expect(group('85 -')).toBe('85+');
    expect(group('85-')).toBe('85+');
    expect(group('85+')).toBe('85+');
    expect(group('90 - 94')).toBe('85+');
    expect(group('Yhteensä')).toBe('total');
    expect(group('SSS')).toBe('total');
    expect(group('0 - 6')).toMatch(/0-6 straddles/);
    expect(group('80 -')).toMatch(/open age group from 80 straddles/);
  });

  it('reads cells: missing markers, decimal comma, spaces; negative and non-numeric are errors', () => {
    expect(parseCell('..')).toEqual({ missing: true });
    expect(parseCell('.')).toEqual({ missing: true });
    expect(parseCell('-')).toEqual({ missing: true });
    expect(parseCell(null)).toEqual({ missing: true });
    expect(parseCell('1 234,5')).toEqual({ value: 1234.5 });
    expect(parseCell(12)).toEqual({ value: 12 });
    expect(parseCell('-5')).toEqual({ error: 'negative population' });
    expect(parseCell('abc')).toEqual({ error: 'not a number' });
  });
});

describe('JSON-stat2', () => {
  it('dense: takes the sex total, drops the age total, folds 85-89 and 90- into 85+, skips the whole country', () => {
    const r = parseJsonStat2(fx('dense.json'), 'dense.json');
    expect(r.rejects).toEqual([]);
    expect(r.skippedAreas).toEqual(['SSS']);
    // Fixture values: male = 100*(area+1) + 10*age + year, female = male + 1 (area, age, year: category indices).
    expect(r.rows.map(key)).toEqual([
      '244 2021 0-4 = 421',
      '244 2022 0-4 = 423',
      '244 2021 5-9 = 441',
      '244 2022 5-9 = 443',
      '244 2021 85+ = 942',
      '244 2022 85+ = 946',
      '072 2021 0-4 = 621',
      '072 2022 0-4 = 623',
      '072 2021 5-9 = 641',
      '072 2022 5-9 = 643',
      '072 2021 85+ = 1342',
      '072 2022 85+ = 1346',
    ]);
    // The row's position is the value index of the first cell summed into it (Kempele, 0-4, 2021, sex total).
    expect(r.rows[0]?.position).toBe(36);
  });

  it('sparse: single years aggregated; absent and null values are missing; a negative value is rejected with its index', () => {
    const r = parseJsonStat2(fx('sparse.json'), 'sparse.json');
    expect(r.rows.map(key)).toEqual(['564 2022 0-4 = 64']);
    expect(r.skippedAreas).toEqual(['MK17']);
    expect(r.rejects).toContainEqual({ position: 8, field: 'value', value: '-3', reason: 'negative population' });
    expect(r.rejects.find((x) => x.value === '85+')?.reason).toMatch(/85\+ of 564 2022 is incomplete/);
    expect(r.rejects).toHaveLength(2);
  });

  it('structural problems throw an error naming the file', () => {
    expect(() => parseJsonStat2('{"class":"collection"}', 'x.json')).toThrow(PxWebFormatError);
    expect(() => parseJsonStat2('{"class":"collection"}', 'x.json')).toThrow(/^x\.json: not a JSON-stat2 dataset/);
    expect(() => parseJsonStat2('not json', 'y.json')).toThrow(/^y\.json: not valid JSON/);
    const noAge = {
      class: 'dataset',
      version: '2.0',
      id: ['Alue', 'Vuosi'],
      size: [1, 1],
      dimension: { Alue: { category: { index: ['KU244'] } }, Vuosi: { category: { index: ['2022'] } } },
      value: [1],
    };
    expect(() => parseJsonStat2(JSON.stringify(noAge), 'z.json')).toThrow(/z\.json: no age dimension/);
    const straddle = {
      ...noAge,
      id: ['Alue', 'Ikä', 'Vuosi'],
      size: [1, 1, 1],
      dimension: { ...noAge.dimension, 'Ikä': { label: 'Ikä', category: { index: ['3-7'] } } },
    };
    expect(() => parseJsonStat2(JSON.stringify(straddle), 's.json')).toThrow(/s\.json: age category 3-7: age group 3-7 straddles/);
    const wrongLength = { ...noAge, id: ['Alue', 'Ikä', 'Vuosi'], size: [1, 1, 1], dimension: { ...noAge.dimension, 'Ikä': { category: { index: ['0-4'] } } }, value: [1, 2] };
    expect(() => parseJsonStat2(JSON.stringify(wrongLength), 'w.json')).toThrow(/w\.json: value has 2 entries/);
  });
});

describe('PxWeb CSV', () => {
  it('wide with "2021 Väestö 31.12." headings: title line skipped, totals dropped, single years summed, ".." and "." missing', () => {
    const r = parsePxWebCsv(fx('wide.csv'), 'wide.csv');
    expect(r.rows.map(key)).toEqual([
      '244 2021 0-4 = 1350',
      '244 2021 85+ = 160',
      'Hailuoto 2022 0-4 = 20',
      'Hailuoto 2021 85+ = 40',
    ]);
    expect(r.skippedAreas).toEqual(['KOKO MAA', 'MK17 Pohjois-Pohjanmaa']);
    // Bad values are rejected with their line and heading; the age groups they belong to are not loaded.
    expect(r.rejects).toEqual([
      { position: 10, field: '2022 Väestö 31.12.', value: 'abc', reason: 'not a number' },
      { position: 14, field: '2022 Väestö 31.12.', value: '-5', reason: 'negative population' },
      { position: 15, field: 'age', value: '0-4', reason: 'age group 0-4 of Hailuoto 2021 is incomplete: 1 of 5 part(s) missing' },
      { position: 20, field: 'age', value: '85+', reason: 'age group 85+ of Hailuoto 2022 is incomplete: 1 of 2 part(s) missing' },
    ]);
    expect(r.missing).toBe(2);
  });

  it('long, semicolon-separated, decimal comma, en dash, variant column', () => {
    const r = parsePxWebCsv(fx('long.csv'), 'long.csv');
    expect(r.rows.map(key)).toEqual([
      'Kempele 2030 0-4 perusvaihtoehto = 1234',
      'Kempele 2030 75-79 perusvaihtoehto = 567',
      'Kempele 2030 85+ perusvaihtoehto = 300.5',
      'Kempele 2030 0-4 muuttotase_0 = 1100',
      'Atlantis 2030 0-4 perusvaihtoehto = 10',
    ]);
    expect(r.rows.map((x) => x.position)).toEqual([2, 3, 4, 5, 6]);
    expect(r.skippedAreas).toEqual(['SSS']);
  });

  it('male + female are summed when there is no total; a missing year dimension throws naming the file', () => {
    const csv = ['"Alue","Ikä","Sukupuoli","2022"', '"KU244","0 - 4","Miehet",10', '"KU244","0 - 4","Naiset",12'].join('\n');
    expect(parsePxWebCsv(csv, 'mf.csv').rows.map(key)).toEqual(['244 2022 0-4 = 22']);
    expect(() => parsePxWebCsv('"Alue","Ikä","Arvo"\n"KU244","0 - 4",1\n', 'noyear.csv')).toThrow(/^noyear\.csv: no year dimension/);
    expect(() => parsePxWebCsv('"Alue","Ikä","2022"\n"KU244","80 -",1\n', 'open.csv')).toThrow(/open\.csv: age category 80 -: open age group from 80 straddles/);
  });
});
