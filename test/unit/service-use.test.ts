import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { detectDelimiter, loadAliases, mapHeader, normaliseHeaderName, splitHeaderLine } from '../../pipelines/service-use/aliases.js';
import { sourceNameOf } from '../../pipelines/service-use/import.js';
import { formatOf } from '../../pipelines/service-use/inspect.js';
import { DATE_FORMATS, MONTH_FORMATS, sniffFormat } from '../../pipelines/service-use/read-sql.js';
import { complementarySuppression, MEASURE_BITS } from '../../pipelines/service-use/suppression.js';
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

describe('complementary suppression (pure)', () => {
  const all = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.visits | MEASURE_BITS.cost;
  it('withholds the smallest sibling when a total would reveal a withheld cell', () => {
    // Cells: 0 total (30), 1 (3, primary), 2 (12), 3 (15). One line: total 0 = 1 + 2 + 3.
    const r = complementarySuppression({
      protectedN: [30, 3, 12, 15],
      nonZero: [all, all, all, all],
      suppressed: [false, true, false, false],
      lineIds: [0, 0, 0, 0],
      lineCells: [0, 1, 2, 3],
      lineIsTotal: [true, false, false, false],
    });
    expect(r.complementary).toEqual([2]);
  });

  it('withholds the total when the withheld cell is its only member, and cascades to the next line', () => {
    // Line A (id 0): total 0 = member 1 (3, primary). Line B (id 1): total 2 = 0 + 3 (cell 3: 40).
    const r = complementarySuppression({
      protectedN: [3, 3, 43, 40],
      nonZero: [all, all, all, all],
      suppressed: [true, true, false, false],
      lineIds: [0, 0, 1, 1, 1],
      lineCells: [0, 1, 2, 0, 3],
      lineIsTotal: [true, false, true, false, false],
    });
    // Cell 0 is primary too (3 patients), so line B has one withheld member: cell 3 follows.
    expect(r.complementary).toEqual([3]);
  });

  it('prefers a sibling that has the withheld cell\'s non-zero measures (visits of an inpatient period are 0)', () => {
    const outpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.visits | MEASURE_BITS.cost;
    const inpatient = MEASURE_BITS.protected | MEASURE_BITS.patients | MEASURE_BITS.carePeriods | MEASURE_BITS.bedDays | MEASURE_BITS.cost;
    const r = complementarySuppression({
      protectedN: [100, 2, 8, 90],
      nonZero: [outpatient | inpatient, outpatient, inpatient, outpatient],
      suppressed: [false, true, false, false],
      lineIds: [0, 0, 0, 0],
      lineCells: [0, 1, 2, 3],
      lineIsTotal: [true, false, false, false],
    });
    expect(r.complementary).toEqual([3]);
  });
});
