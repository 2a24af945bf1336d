import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { evidenceEnv } from '../../pipelines/site.js';
import {
  planSources,
  queryChecksums,
  recordSources,
  removeQueryOutput,
  SOURCE_INPUTS,
  sourceQueries,
  sourcesFingerprint,
} from '../../pipelines/site-sources.js';
import { withDuckDB } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A warehouse with two marts, a source folder with three queries on them, and a data folder as `evidence sources`
 * leaves it (a parquet and a schema file per query, the manifest), all real files.
 */
async function fixture(root: string) {
  const warehouse = join(root, 'warehouse.duckdb');
  await withDuckDB(warehouse, async (conn) => {
    await conn.run(`create schema marts;
      create table marts.visits as select range as month, range * 10 as visits from range(1, 13);
      create table marts.units as select 'U' || range as unit_code, range as staff from range(5)`);
  });
  const sourceDir = join(root, 'sources', 'warehouse');
  mkdirSync(sourceDir, { recursive: true });
  writeFileSync(join(sourceDir, 'connection.yaml'), 'name: warehouse\ntype: duckdb\n');
  writeFileSync(join(sourceDir, 'visits.sql'), '-- monthly visits\nselect month, visits from marts.visits order by month -- the months;\n');
  writeFileSync(join(sourceDir, 'visit_total.sql'), 'select sum(visits) as visits from marts.visits;\n');
  writeFileSync(join(sourceDir, 'units.sql'), 'select * from marts.units\n');
  const dataDir = join(root, 'data');
  const write = async () => {
    await withDuckDB(warehouse, async (conn) => {
      for (const q of sourceQueries(sourceDir)) {
        mkdirSync(join(dataDir, 'warehouse', q), { recursive: true });
        const sql = readFileSync(join(sourceDir, `${q}.sql`), 'utf8').replace(/;\s*$/, '');
        await conn.run(`copy (${sql}\n) to '${join(dataDir, 'warehouse', q, `${q}.parquet`)}' (format parquet)`);
        writeFileSync(join(dataDir, 'warehouse', q, `${q}.schema.json`), '[]');
      }
    }, { access_mode: 'READ_ONLY' });
    writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify({ renderedFiles: { warehouse: sourceQueries(sourceDir).map((q) => `static/data/warehouse/${q}/${q}.parquet`) } }));
  };
  await write();
  return { warehouse, sourceDir, dataDir, recordFile: join(root, 'record.json') };
}

describe('evidence sources for what changed (pipelines/site-sources.ts)', () => {
  it('after a recorded run, only the queries whose result changed run again; the others keep their files', async () => {
    const tmp = tempDir('tj-site-sources-');
    try {
      const { warehouse, sourceDir, dataDir, recordFile } = await fixture(tmp.dir);
      const fingerprint = 'f';
      const plan = async () => planSources({ fingerprint, checksums: await queryChecksums(warehouse, sourceDir), dataDir, recordFile });
      expect(await plan()).toEqual({ all: true, reason: 'no previous successful sources run is recorded' });
      const first = await queryChecksums(warehouse, sourceDir);
      expect(Object.keys(first).sort()).toEqual(['units', 'visit_total', 'visits']);
      recordSources({ fingerprint, checksums: first, dataDir, recordFile });
      // the same data: nothing to run; the checksums do not depend on the order the rows come in
      expect(await plan()).toEqual({ all: false, changed: [] });
      await withDuckDB(warehouse, (c) => c.run('create or replace table marts.units as select * from marts.units order by staff desc').then(() => undefined));
      expect(await queryChecksums(warehouse, sourceDir)).toEqual(first);

      // one mart's rows change: the two queries reading it run again, the units query keeps its files
      await withDuckDB(warehouse, (c) => c.run('update marts.visits set visits = visits + 1 where month = 12').then(() => undefined));
      expect(await plan()).toEqual({ all: false, changed: ['visit_total', 'visits'] });
      // a value moving between columns, a column renamed or retyped, a row more: each is a change
      const units = async (sql: string) => {
        await withDuckDB(warehouse, (c) => c.run(`create or replace table marts.units as ${sql}`).then(() => undefined));
        return (await queryChecksums(warehouse, sourceDir)).units;
      };
      const before = await units("select 'U' || range as unit_code, range as staff from range(5)");
      expect(before).toBe(first.units);
      expect(await units("select 'U' || range as unit_code, range + 0.0 as staff from range(5)")).not.toBe(before);
      expect(await units("select 'U' || range as unit_code, range as staff_count from range(5)")).not.toBe(before);
      expect(await units("select 'U' || range as unit_code, range as staff from range(6)")).not.toBe(before);
      expect(await units("select 'U' || (4 - range) as unit_code, range as staff from range(5)")).not.toBe(before);
      expect(await units("select 'U' || range as unit_code, range as staff from range(5)")).toBe(before);

      // removing a changed query's output leaves the kept ones as they were
      const kept = readFileSync(join(dataDir, 'warehouse', 'units', 'units.parquet'));
      removeQueryOutput(dataDir, ['visits']);
      expect(readFileSync(join(dataDir, 'warehouse', 'units', 'units.parquet')).equals(kept)).toBe(true);
      expect(() => readFileSync(join(dataDir, 'warehouse', 'visits', 'visits.parquet'))).toThrow();
    } finally {
      tmp.cleanup();
    }
  });

  it('runs every query when anything is unclear: another fingerprint, a kept file or the manifest changed, a query more', async () => {
    const tmp = tempDir('tj-site-sources-');
    try {
      const { warehouse, sourceDir, dataDir, recordFile } = await fixture(tmp.dir);
      const checksums = await queryChecksums(warehouse, sourceDir);
      const plan = (fingerprint = 'f', sums = checksums) => planSources({ fingerprint, checksums: sums, dataDir, recordFile });
      recordSources({ fingerprint: 'f', checksums, dataDir, recordFile });
      expect(plan()).toEqual({ all: false, changed: [] });
      expect(plan('g')).toMatchObject({ all: true, reason: expect.stringContaining('source query') });
      expect(plan('f', { ...checksums, extra: 'x' })).toMatchObject({ all: true, reason: 'the source queries are not the ones recorded' });
      // a kept file rewritten (e.g. by a build in another language that reused the sources)
      const unitsFile = join(dataDir, 'warehouse', 'units', 'units.parquet');
      const units = readFileSync(unitsFile);
      writeFileSync(unitsFile, Buffer.concat([units, Buffer.from('x')]));
      expect(plan()).toMatchObject({ all: true, reason: expect.stringContaining('units.parquet') });
      writeFileSync(unitsFile, units);
      // a kept query's file gone (a cleaned template)
      removeQueryOutput(dataDir, ['units']);
      expect(plan()).toMatchObject({ all: true, reason: 'the kept files of units are not the ones recorded' });
      mkdirSync(join(dataDir, 'warehouse', 'units'));
      writeFileSync(unitsFile, units);
      writeFileSync(join(dataDir, 'warehouse', 'units', 'units.schema.json'), '[]');
      expect(plan()).toEqual({ all: false, changed: [] });
      // the manifest changed since the record (another run wrote it)
      writeFileSync(join(dataDir, 'manifest.json'), '{"renderedFiles":{}}');
      expect(plan()).toMatchObject({ all: true, reason: 'the data manifest is not the one recorded' });
      writeFileSync(recordFile, '{"fingerprint":1}');
      expect(plan()).toMatchObject({ all: true, reason: expect.stringContaining('not a sources record') });
      // a query that does not run on the warehouse fails naming its file
      writeFileSync(join(sourceDir, 'broken.sql'), 'select * from marts.nothing');
      await expect(queryChecksums(warehouse, sourceDir)).rejects.toThrow(/broken\.sql: the query failed on the warehouse/);
    } finally {
      tmp.cleanup();
    }
  });

  it('the fingerprint changes with a source query, the connection, the site language, a package; not with the data', () => {
    const tmp = tempDir('tj-sources-fingerprint-');
    try {
      const root = tmp.dir;
      for (const input of SOURCE_INPUTS) cpSync(fromRoot(input), join(root, input), { recursive: true, dereference: true });
      const env = (language: string, warehouse = 'a.duckdb') => ({ ...evidenceEnv(join(root, warehouse), { PATH: '/bin' }), VITE_TJ_LANGUAGE: language });
      const base = sourcesFingerprint(env('fi'), root);
      expect(sourcesFingerprint(env('fi', 'b.duckdb'), root)).toBe(base);
      expect(sourcesFingerprint(env('sv'), root)).not.toBe(base);
      const edit = (file: string) => {
        const before = readFileSync(join(root, file));
        writeFileSync(join(root, file), Buffer.concat([before, Buffer.from('\n-- x\n')]));
        const changed = sourcesFingerprint(env('fi'), root);
        writeFileSync(join(root, file), before);
        return changed;
      };
      expect(edit('sources/warehouse/scorecard.sql')).not.toBe(base);
      expect(edit('sources/warehouse/connection.yaml')).not.toBe(base);
      expect(edit('node_modules/.package-lock.json')).not.toBe(base);
      expect(sourcesFingerprint(env('fi'), root)).toBe(base);
    } finally {
      tmp.cleanup();
    }
  });
});
