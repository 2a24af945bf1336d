/**
 * The site's data in the site's language (pipelines/site-data-language.ts): after `evidence sources`, an sv / en build
 * puts each `<x>_sv` / `<x>_en` into the `<x>_fi` column the pages read, in real parquet files through DuckDB.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { languageReplacements, localiseSourceData } from '../../pipelines/site-data-language.js';
import { queryRows, withDuckDB } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

let tmp: ReturnType<typeof tempDir>;
let file: string;

beforeEach(async () => {
  tmp = tempDir('tj-site-language-');
  file = join(tmp.dir, 'warehouse', 'areas', 'areas.parquet');
  mkdirSync(join(tmp.dir, 'warehouse', 'areas'), { recursive: true });
  await withDuckDB(':memory:', async (conn) => {
    await conn.run(`copy (select * from (values
        (1, 'Oulu', 'Uleåborg', 'Oulu', 'vihreä', 'kunta', 'municipality', 10.5),
        (2, 'Kainuu', '', null, 'punainen', 'kunta', 'municipality', null),
        (3, 'Koko maa', 'Hela landet', 'Finland', null, 'koko maa', 'country', 1.0))
      t(id, name_fi, name_sv, name_en, status_fi, type_fi, type_en, value)) to '${file}' (format parquet)`);
  });
});
afterEach(() => tmp.cleanup());

const read = () =>
  withDuckDB(':memory:', (conn) => queryRows<Record<string, unknown>>(conn, `select * from read_parquet('${file}') order by id`));

describe('the source data in the site language', () => {
  it('picks <x>_<language> for every <x>_fi that has it, keeping the column names and their order', () => {
    expect(languageReplacements(['id', 'name_fi', 'name_sv', 'name_en', 'status_fi', 'type_fi', 'type_en'], 'sv')).toBe(
      `coalesce(nullif(trim("name_sv"), ''), "name_fi") as "name_fi"`,
    );
    expect(languageReplacements(['id', 'name_fi', 'name_sv', 'name_en', 'type_fi', 'type_en'], 'en')).toBe(
      `coalesce(nullif(trim("name_en"), ''), "name_fi") as "name_fi", coalesce(nullif(trim("type_en"), ''), "type_fi") as "type_fi"`,
    );
    expect(languageReplacements(['id', 'name_fi', 'name_sv'], 'fi')).toBeNull();
    expect(languageReplacements(['id', 'status_fi'], 'sv')).toBeNull();
  });

  it('rewrites a Swedish build\'s parquet: Swedish names where the row has them, Finnish where it has none', async () => {
    expect(await localiseSourceData(tmp.dir, 'sv')).toBe(1);
    const rows = await read();
    expect(rows.map((r) => r.name_fi)).toEqual(['Uleåborg', 'Kainuu', 'Hela landet']);
    // a column without a Swedish sibling keeps its Finnish text; the other columns are as they were
    expect(rows.map((r) => r.status_fi)).toEqual(['vihreä', 'punainen', null]);
    expect(rows.map((r) => r.type_fi)).toEqual(['kunta', 'kunta', 'koko maa']);
    expect(rows.map((r) => r.value)).toEqual([10.5, null, 1]);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'name_fi', 'name_sv', 'name_en', 'status_fi', 'type_fi', 'type_en', 'value']);
  });

  it('rewrites an English build\'s parquet from the _en columns', async () => {
    expect(await localiseSourceData(tmp.dir, 'en')).toBe(1);
    const rows = await read();
    expect(rows.map((r) => r.name_fi)).toEqual(['Oulu', 'Kainuu', 'Finland']);
    expect(rows.map((r) => r.type_fi)).toEqual(['municipality', 'municipality', 'country']);
  });

  it('leaves a Finnish build\'s files byte for byte as they are', async () => {
    const before = readFileSync(file);
    expect(await localiseSourceData(tmp.dir, 'fi')).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rewrites only the folders of the queries a refresh ran again (the kept ones are localised already)', async () => {
    const before = readFileSync(file);
    expect(await localiseSourceData(tmp.dir, 'sv', [])).toBe(0);
    expect(await localiseSourceData(tmp.dir, 'sv', [join(tmp.dir, 'warehouse', 'other')])).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(await localiseSourceData(tmp.dir, 'sv', [join(tmp.dir, 'warehouse', 'areas')])).toBe(1);
    expect((await read()).map((r) => r.name_fi)).toEqual(['Uleåborg', 'Kainuu', 'Hela landet']);
  });
});
