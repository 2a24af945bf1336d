import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { AGE_GROUPS, detectDelimiter, loadAliases, mapHeader, normaliseHeaderName, splitHeaderLine } from '../../pipelines/service-use/aliases.js';
import { sourceNameOf } from '../../pipelines/service-use/import.js';
import { formatOf } from '../../pipelines/ingest/inspect.js';
import { ageGroupSql, agePartsSql, ageStraddlesSql, ageTextSql, DATE_FORMATS, MONTH_FORMATS, sniffFormat } from '../../pipelines/service-use/read-sql.js';
import { complementarySuppression, INPATIENT_MEASURES, MEASURE_BITS, releaseRedundant, WHOLE_CELL } from '../../pipelines/service-use/suppression.js';
import { fromRoot } from '../../pipelines/paths.js';

const aliases = loadAliases(fromRoot('config/service-use-aliases.yaml'));

describe('header aliases', () => {
  it('normalises header names', () => {
    expect(normaliseHeaderName('\uFEFF "Kotikunta koodi" ')).toBe('kotikunta_koodi');
    expect(normaliseHeaderName('Kustannukset (eur)')).toBe('kustannukset_eur');
    expect(normaliseHeaderName('Erikoisala-nro')).toBe('erikoisala_nro');
  });

  it('maps Finnish and English headers and tells monthly from event-level extracts', () => {
    const monthly = mapHeader('f.csv', ['Kuukausi', 'Kotikunta', 'Erikoisala', 'Erikoisalan nimi', 'Palvelumuoto', 'Käynnit', 'Huomautus'], aliases);
    expect(monthly.kind).toBe('monthly');
    expect(monthly.columns).toEqual(['month', 'municipality_code', 'specialty_code', 'specialty_name', 'service_type', 'visits', null]);
    const events = mapHeader('e.csv', ['Tulopäivä', 'Lähtöpäivä', 'kunta', 'erikoisala', 'hoitomuoto', 'DRG', 'Kustannus'], aliases);
    expect(events.kind).toBe('events');
    expect(events.columns).toEqual(['event_date', 'end_date', 'municipality_code', 'specialty_code', 'service_type', 'drg_code', 'cost_eur']);
  });

  it('recognises the optional age column in Finnish, Swedish and English, in both extract kinds', () => {
    for (const name of ['Ikäryhmä', 'Ikäluokka', 'Ikä', 'IKARYHMA', 'Age group', 'age_group', 'Åldersgrupp']) {
      const m = mapHeader('a.csv', ['kk', 'kunta', 'erikoisala', 'palvelumuoto', name, 'käynnit'], aliases);
      expect(m.columns[4], name).toBe('age_group');
    }
    const events = mapHeader('e.csv', ['Tulopäivä', 'Kotikunta', 'Erikoisala', 'Palvelumuoto', 'Ikä', 'Potilastunniste'], aliases);
    expect(events.kind).toBe('events');
    expect(events.columns).toEqual(['event_date', 'municipality_code', 'specialty_code', 'service_type', 'age_group', 'patient_id']);
    expect(() => mapHeader('a.csv', ['kk', 'kunta', 'erikoisala', 'palvelumuoto', 'Ikä', 'Ikäryhmä', 'käynnit'], aliases)).toThrow(/both mean age_group/);
  });

  it('names the file, line 1 and the column when a header cannot be used', () => {
    const err = (names: string[]) => {
      try {
        mapHeader('x.csv', names, aliases);
      } catch (e) {
        return e as InputFileError;
      }
      throw new Error('expected an error');
    };
    expect(err(['a', 'b']).message).toMatch(/^x\.csv, line 1: not a service-use extract/);
    expect(err(['kk', 'kunta', 'erikoisala', 'palvelumuoto']).message).toContain('no measure column');
    expect(err(['kk', 'kunta', 'erikoisala', 'käynnit']).field).toBe('service_type');
    expect(err(['kk', 'kunta', 'kotikunta', 'erikoisala', 'palvelumuoto', 'käynnit']).message).toContain('both mean municipality_code');
  });

  it('detects the delimiter and splits quoted headers', () => {
    expect(detectDelimiter('kk;kunta;"a,b";c')).toBe(';');
    expect(detectDelimiter('month,municipality_code,visits')).toBe(',');
    expect(detectDelimiter('month\tvisits')).toBe('\t');
    expect(splitHeaderLine('"a;b";c;"d""e"', ';')).toEqual(['a;b', 'c', 'd"e']);
  });
});

describe('files and sources', () => {
  it('derives the source from the file name without version markers', () => {
    expect(sourceNameOf('/in/PPSHP_2020.csv')).toBe('ppshp_2020');
    expect(sourceNameOf('ppshp_2020_v2.csv')).toBe('ppshp_2020');
    expect(sourceNameOf('ppshp_2020-korjattu.csv.gz')).toBe('ppshp_2020');
    expect(sourceNameOf('kainuu_2025.xlsx')).toBe('kainuu_2025');
  });

  it('recognises extract files by name', () => {
    expect(formatOf('a.csv')).toEqual({ format: 'csv', gzip: false });
    expect(formatOf('a.CSV.gz')).toEqual({ format: 'csv', gzip: true });
    expect(formatOf('a.xlsx')).toEqual({ format: 'xlsx', gzip: false });
    expect(formatOf('README.md')).toBeNull();
  });

  it('sniffs date and month formats from sample values', () => {
    expect(sniffFormat(['3.5.2020', '14.12.2021'], DATE_FORMATS)).toBe('%d.%m.%Y');
    expect(sniffFormat(['2020-05-03'], DATE_FORMATS)).toBe('%Y-%m-%d');
    expect(sniffFormat(['04.2020', '12.2020'], MONTH_FORMATS)).toBe('%m.%Y');
    expect(sniffFormat(['2020-01', '2020-2'], MONTH_FORMATS)).toBe('%Y-%m');
    expect(sniffFormat(['2020-01', 'tammikuu'], MONTH_FORMATS)).toBeNull();
  });
});

describe('age groups (SQL, in-memory DuckDB)', () => {
  /** Runs the three age steps of the bulk read over a one-column table of raw values. */
  async function normalise(values: (string | null)[]): Promise<{ v: string | null; group: string | null; straddles: boolean }[]> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run('create table t (i integer, v varchar)');
      const appender = await conn.createAppender('t');
      values.forEach((v, i) => {
        appender.appendInteger(i);
        if (v === null) appender.appendNull();
        else appender.appendVarchar(v);
        appender.endRow();
      });
      appender.closeSync();
      const reader = await conn.runAndReadAll(`select v, ${ageGroupSql('p')} as "group", ${ageStraddlesSql('p')} as straddles
        from (select *, ${agePartsSql('t_v')} as p from (select *, ${ageTextSql('v')} as t_v from t)) order by i`);
      return reader.getRowObjectsJS() as { v: string | null; group: string | null; straddles: boolean }[];
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }

  it('maps the accepted forms to the canonical 5-year groups, 85 and over in one', async () => {
    const cases: [string, string][] = [
      ['0-4', '0-4'], ['0 - 4', '0-4'], ['0–4', '0-4'], ['0—4', '0-4'], ['00-04', '0-4'], [' 5-9 ', '5-9'],
      ['75-79 v', '75-79'], ['75–79 vuotta', '75-79'], ['80-84', '80-84'], ['85-', '85+'], ['85 -', '85+'], ['85+', '85+'],
      ['85 v+', '85+'], ['85 V+', '85+'], ['90-94', '85+'], ['95 -', '85+'], ['100+', '85+'], ['85-120', '85+'],
      ['0', '0-4'], ['4', '0-4'], ['5', '5-9'], ['47', '45-49'], ['84', '80-84'], ['85', '85+'], ['120', '85+'], ['007', '5-9'],
      ['1-3', '0-4'],
    ];
    const rows = await normalise(cases.map(([v]) => v));
    expect(rows.map((r) => [r.v, r.group, r.straddles])).toEqual(cases.map(([v, g]) => [v, g, false]));
    // Every canonical group is its own normal form.
    expect((await normalise([...AGE_GROUPS])).map((r) => r.group)).toEqual([...AGE_GROUPS]);
  });

  it('gives NULL for what is not an age (a reject), flags ranges across group boundaries, and leaves an empty cell unknown', async () => {
    const rows = await normalise(['0-9', '80+', '75-', '80-89', '3-7', 'vanhus', '121', '130', '-5', '4-0', '4.5', '45,0', '85-150', '', '  ', null]);
    expect(rows.map((r) => [r.v, r.group, r.straddles])).toEqual([
      ['0-9', null, true],
      ['80+', null, true],
      ['75-', null, true],
      ['80-89', null, true],
      ['3-7', null, true],
      ['vanhus', null, false],
      ['121', null, false],
      ['130', null, false],
      ['-5', null, false],
      ['4-0', null, false],
      ['4.5', null, false],
      ['45,0', null, false],
      ['85-150', null, false],
      ['', null, false],
      ['  ', null, false],
      [null, null, false],
    ]);
  });
});

describe('complementary suppression (pure)', () => {
  const W = WHOLE_CELL;
  const newly = (r: { hidden: Uint8Array }, before: number[]) => [...r.hidden].flatMap((h, i) => (h !== before[i] ? [i] : []));
  const all = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.visits | MEASURE_BITS.cost;
  it('withholds the smallest sibling when a total would reveal a withheld cell', () => {
    // Cells: 0 total (30), 1 (3, primary), 2 (12), 3 (15). One line: total 0 = 1 + 2 + 3.
    const r = complementarySuppression({
      protectedN: [30, 3, 12, 15],
      nonZero: [all, all, all, all],
      hidden: [0, W, 0, 0],
      lineIds: [0, 0, 0, 0],
      lineCells: [0, 1, 2, 3],
      lineIsTotal: [true, false, false, false],
    });
    expect(newly(r, [0, W, 0, 0])).toEqual([2]);
  });

  it('withholds the total when the withheld cell is its only member, and cascades to the next line', () => {
    // Line A (id 0): total 0 = member 1 (3, primary). Line B (id 1): total 2 = 0 + 3 (cell 3: 40).
    const r = complementarySuppression({
      protectedN: [3, 3, 43, 40],
      nonZero: [all, all, all, all],
      hidden: [W, W, 0, 0],
      lineIds: [0, 0, 1, 1, 1],
      lineCells: [0, 1, 2, 0, 3],
      lineIsTotal: [true, false, true, false, false],
    });
    // Cell 0 is primary too (3 patients), so line B has one withheld member: cell 3 follows.
    expect(newly(r, [W, W, 0, 0])).toEqual([3]);
  });

  it('prefers a sibling that has the withheld cell\'s non-zero measures (visits of an inpatient period are 0)', () => {
    const outpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.visits | MEASURE_BITS.cost;
    const inpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.carePeriods | MEASURE_BITS.bedDays | MEASURE_BITS.cost;
    const r = complementarySuppression({
      protectedN: [100, 2, 8, 90],
      nonZero: [outpatient | inpatient, outpatient, inpatient, outpatient],
      hidden: [0, W, 0, 0],
      lineIds: [0, 0, 0, 0],
      lineCells: [0, 1, 2, 3],
      lineIsTotal: [true, false, false, false],
    });
    expect(newly(r, [0, W, 0, 0])).toEqual([3]);
  });

  it('the clean-up publishes again a complementary cell its lines do not need, the largest first', () => {
    // One line: total 0 = 1 (3, primary) + 2 (40) + 3 (12); the greedy left 2 and 3 both withheld.
    const input = {
      protectedN: [58, 3, 40, 12],
      nonZero: [all, all, all, all],
      hidden: [0, W, W, W],
      lineIds: [0, 0, 0, 0],
      lineCells: [0, 1, 2, 3],
      lineIsTotal: [true, false, false, false],
    };
    expect([...releaseRedundant(input, [0, W, 0, 0])]).toEqual([0, W, 0, W]);
    // Nothing goes back when the line needs both.
    expect([...releaseRedundant({ ...input, hidden: [0, W, 0, W] }, [0, W, 0, 0])]).toEqual([0, W, 0, W]);
  });

  it('partial: a line open only in care periods and bed days withholds only those of the cell it picks', () => {
    // Line 0 (a specialty, all service types): total 0 = 1 outpatient (3, primary) + 2 other (2, primary) + 3 inpatient
    // (3, primary); cell 4 another outpatient (40). Line 1: the inpatient cell 3 is the only withheld cell with care
    // periods, so the total's care periods would be the inpatient cell's.
    const outpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.visits | MEASURE_BITS.cost;
    const inpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | INPATIENT_MEASURES | MEASURE_BITS.cost;
    const input = {
      protectedN: [48, 3, 2, 3, 40],
      nonZero: [outpatient | inpatient, outpatient, outpatient, inpatient, outpatient],
      hidden: [0, W, W, W, 0],
      lineIds: [0, 0, 0, 0, 0],
      lineCells: [0, 1, 2, 3, 4],
      lineIsTotal: [true, false, false, false, false],
    };
    expect([...complementarySuppression(input, true).hidden]).toEqual([INPATIENT_MEASURES, W, W, W, 0]);
    // Whole cells only: the total goes altogether.
    expect([...complementarySuppression(input).hidden]).toEqual([W, W, W, W, 0]);
  });
});
