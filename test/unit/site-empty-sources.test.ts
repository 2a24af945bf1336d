/**
 * Empty source queries (pipelines/site-empty-sources.ts): `evidence sources` writes only `<query>.schema.json` for a
 * query with no rows although its manifest lists the parquet file; the build writes that file empty, with the schema's
 * columns and types, so the prerender and the browser read a real (empty) table.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptySelect, writeEmptySources } from '../../pipelines/site-empty-sources.js';
import { queryRows, withDuckDB } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
const rel = (q: string) => `static/data/warehouse/${q}/${q}.parquet`;
const abs = (q: string) => join(dataDir, 'warehouse', q, `${q}.parquet`);

beforeEach(async () => {
  tmp = tempDir('tj-empty-sources-');
  dataDir = join(tmp.dir, 'template', 'static', 'data');
  for (const q of ['areas', 'top_changes']) mkdirSync(join(dataDir, 'warehouse', q), { recursive: true });
  await withDuckDB(':memory:', (conn) => conn.run(`copy (select 1 as id, 'Oulu' as name_fi) to '${abs('areas')}' (format parquet)`));
  writeFileSync(
    join(dataDir, 'warehouse', 'top_changes', 'top_changes.schema.json'),
    JSON.stringify([
      { name: 'year', evidenceType: 'number', typeFidelity: 'precise' },
      { name: 'municipality_name_fi', evidenceType: 'string', typeFidelity: 'precise' },
      { name: 'month', evidenceType: 'date', typeFidelity: 'precise' },
      { name: 'withheld', evidenceType: 'boolean', typeFidelity: 'precise' },
    ]),
  );
  writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify({ renderedFiles: { warehouse: [rel('areas'), rel('top_changes')] } }));
});
afterEach(() => tmp.cleanup());

describe('empty source queries', () => {
  it('are written as empty parquet files with the columns and types of their schema file; written files stay as they are', async () => {
    expect(await writeEmptySources(dataDir)).toEqual([abs('top_changes')]);
    const { columns, rows, areas } = await withDuckDB(':memory:', async (conn) => ({
      columns: await queryRows<{ column_name: string; column_type: string }>(
        conn,
        `select column_name, column_type from (describe select * from read_parquet('${abs('top_changes')}'))`,
      ),
      rows: await queryRows(conn, `select * from read_parquet('${abs('top_changes')}')`),
      areas: await queryRows(conn, `select * from read_parquet('${abs('areas')}')`),
    }));
    expect(columns).toEqual([
      { column_name: 'year', column_type: 'DOUBLE' },
      { column_name: 'municipality_name_fi', column_type: 'VARCHAR' },
      { column_name: 'month', column_type: 'TIMESTAMP' },
      { column_name: 'withheld', column_type: 'BOOLEAN' },
    ]);
    expect(rows).toEqual([]);
    expect(areas).toEqual([{ id: 1, name_fi: 'Oulu' }]);
    expect(await writeEmptySources(dataDir)).toEqual([]);
  });

  it('fail naming the file when a listed file has neither its parquet nor a valid schema file', async () => {
    writeFileSync(join(dataDir, 'warehouse', 'top_changes', 'top_changes.schema.json'), JSON.stringify([{ name: 'year', evidenceType: 'bigint' }]));
    await expect(writeEmptySources(dataDir)).rejects.toThrow(/top_changes\.schema\.json: 0\.evidenceType/);
    writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify({ renderedFiles: { warehouse: [rel('gone')] } }));
    await expect(writeEmptySources(dataDir)).rejects.toThrow(/gone\.parquet: listed in .*manifest\.json but neither it nor .*gone\.schema\.json exists/);
    expect(existsSync(abs('gone'))).toBe(false);
  });

  it('select no rows in the declared types (pure)', () => {
    expect(emptySelect([{ name: 'a"b', evidenceType: 'number' }])).toBe(`select null::DOUBLE as "a""b" where false`);
  });
});
