/**
 * The read plan of a service-use extract (pipelines/service-use/read-plan.ts, pure): from the inspection of the
 * fixture files (test/fixtures/service-use/) to how DuckDB reads them: decoding, delimiter, columns, sniffed date
 * formats, accepted months, and the re-read and dropped-line decisions.
 */
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { inspectFile } from '../../pipelines/ingest/inspect.js';
import { fromRoot } from '../../pipelines/paths.js';
import { loadAliases } from '../../pipelines/service-use/aliases.js';
import {
  decodingOf,
  describeFormat,
  dropsLastLine,
  DUCKDB_MAX_LINE_BYTES,
  planRead,
  readAgainWithoutQuotes,
  unrecognisedOf,
} from '../../pipelines/service-use/read-plan.js';

const aliases = loadAliases(fromRoot('config/service-use-aliases.yaml'));
const settings = { aliases, earliestMonth: '2015-01', now: new Date(Date.UTC(2026, 10, 29)) };
const fixture = (name: string) => inspectFile(fromRoot(`test/fixtures/service-use/${name}`));

describe('the read plan of a service-use extract', () => {
  it('reads a Finnish semicolon UTF-8 file with a BOM as it is, with decimal commas and its month format', async () => {
    const plan = planRead(await fixture('monthly_fi_semicolon_bom.csv'), settings);
    expect(plan.decoding).toEqual({ kind: 'as-is', encoding: 'utf-8' });
    expect(plan.delimiter).toBe(';');
    expect(plan.spec.decimalComma).toBe(true);
    expect(plan.spec.kind).toBe('monthly');
    expect(plan.spec.columns).toEqual(['month', 'municipality_code', 'specialty_code', 'specialty_name', 'service_type',
      'visits', 'care_periods', 'bed_days', 'patients', 'cost_eur']);
    expect(plan.spec.monthFormat).toBe('%Y-%m');
    expect(plan.spec.lineColumn).toBe(false);
    expect([plan.spec.earliestMonth, plan.spec.latestMonth]).toEqual(['2015-01', '2026-11']);
  });

  it('transcodes a Windows-1252 file with a euro sign, reads one without bytes 0x80-0x9F as latin-1', async () => {
    const euro = planRead(await fixture('events_cp1252_euro.csv'), settings);
    expect(euro.decoding).toEqual({ kind: 'transcode', from: 'windows-1252' });
    expect(euro.spec.encoding).toBe('utf-8');
    expect(euro.spec.kind).toBe('events');
    expect(euro.spec.dateFormat).toBe('%d.%m.%Y');
    const plain = await fixture('monthly_cp1252.csv');
    expect(plain.hasC1Bytes).toBe(false);
    const latin = planRead(plain, settings);
    expect(latin.decoding).toEqual({ kind: 'as-is', encoding: 'latin-1' });
    expect(latin.spec.encoding).toBe('latin-1');
    expect(latin.spec.monthFormat).toBe('%m.%Y');
    expect(describeFormat(plain)).toBe('csv windows-1252');
  });

  it('reads an English comma file without decimal commas; event dates in ISO form', async () => {
    const plan = planRead(await fixture('events_utf8.csv'), settings);
    expect([plan.delimiter, plan.spec.decimalComma, plan.spec.dateFormat]).toEqual([',', false, '%Y-%m-%d']);
    expect(plan.spec.columns).toContain('end_date');
  });

  it('decodes UTF-16 with a byte order mark in DuckDB, transcodes it without one; a workbook is converted', () => {
    const csv = { format: 'csv' as const, hasC1Bytes: false };
    expect(decodingOf({ ...csv, encoding: 'utf-16' })).toEqual({ kind: 'as-is', encoding: 'utf-16' });
    expect(decodingOf({ ...csv, encoding: 'utf-16le' })).toEqual({ kind: 'transcode', from: 'utf-16le' });
    expect(decodingOf({ ...csv, encoding: 'utf-16be' })).toEqual({ kind: 'transcode', from: 'utf-16be' });
    const workbook = planRead(
      { file: 'x.xlsx', format: 'xlsx', encoding: null, hasC1Bytes: false, headerLine: '', sampleLines: [] },
      settings,
      ['Kuukausi', 'Kotikunta', 'Erikoisala', 'Palvelumuoto', 'Käynnit', 'Muistiinpano'],
    );
    expect(workbook.decoding).toEqual({ kind: 'xlsx' });
    expect([workbook.delimiter, workbook.spec.lineColumn, workbook.spec.decimalComma]).toEqual([',', true, false]);
    expect(workbook.spec.columns).toEqual(['month', 'municipality_code', 'specialty_code', 'service_type', 'visits', null]);
    expect(unrecognisedOf(workbook.mapping)).toMatchObject({ names: ['Muistiinpano'], warning: null });
  });

  it('warns about an unrecognised column that looks like a measure', () => {
    const plan = planRead(
      { file: 'x.csv', format: 'csv', encoding: 'utf-8', hasC1Bytes: false, headerLine: 'month;municipality_code;specialty_code;service_type;visits;Lisäkustannukset €', sampleLines: [] },
      settings,
    );
    const u = unrecognisedOf(plan.mapping);
    expect(u.measureLike).toEqual(['Lisäkustannukset €']);
    expect(u.warning).toMatch(/"Lisäkustannukset €" look like a measure but match no alias/);
  });

  it('refuses a file whose header names no extract column, naming the file and line 1', async () => {
    const i = await fixture('not_an_extract.csv');
    expect(() => planRead(i, settings)).toThrow(InputFileError);
    expect(() => planRead(i, settings)).toThrow(/not_an_extract\.csv, line 1/);
  });

  it('reads again without quoting only when every quote of the file is a stray one; drops only a long last line', () => {
    const spec = planRead(
      { file: 'x.csv', format: 'csv', encoding: 'utf-8', hasC1Bytes: false, headerLine: 'month,municipality_code,specialty_code,service_type,visits', sampleLines: [] },
      settings,
    ).spec;
    expect(readAgainWithoutQuotes(spec, 2, 2)).toBe(true);
    expect(readAgainWithoutQuotes(spec, 40, 2)).toBe(false);
    expect(readAgainWithoutQuotes(spec, 0, 0)).toBe(false);
    expect(readAgainWithoutQuotes({ ...spec, quote: '' }, 2, 2)).toBe(false);
    expect(dropsLastLine(spec, DUCKDB_MAX_LINE_BYTES + 1)).toBe(true);
    expect(dropsLastLine(spec, DUCKDB_MAX_LINE_BYTES)).toBe(false);
    expect(dropsLastLine({ lineColumn: true }, DUCKDB_MAX_LINE_BYTES + 1)).toBe(false);
  });
});
