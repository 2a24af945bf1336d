import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { projectRoot } from './paths.js';

/**
 * The warehouse is one DuckDB file with five schemas: raw (files as read), staging (typed and renamed),
 * intermediate (the int_ models between staging and the marts), marts (what dashboards read), ops (runs and rejects).
 */
export const SCHEMAS = ['raw', 'staging', 'intermediate', 'marts', 'ops'] as const;

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export interface Warehouse {
  readonly path: string;
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  close(): void;
}

/**
 * The SQL files of one folder of pipelines/sql (e.g. `ops`), tables before views (a view reads the tables), each
 * group in name order.
 */
function sqlFilesIn(folder: string): string[] {
  const files = readdirSync(join(projectRoot, 'pipelines', 'sql', folder)).filter((f) => f.endsWith('.sql')).sort();
  const isView = (f: string) => /create\s+(or\s+replace\s+)?view/i.test(readSql(`${folder}/${f}`));
  return [...files.filter((f) => !isView(f)), ...files.filter(isView)].map((f) => `${folder}/${f}`);
}

/**
 * The seeds: the domain's vocabularies (codes, Finnish labels, sort order) defined once, as CSV files
 * pipelines/sql/seeds/<name>.csv, each loaded as staging.seed_<name> for the SQL models to join.
 */
async function loadSeeds(conn: DuckDBConnection): Promise<void> {
  const dir = join(projectRoot, 'pipelines', 'sql', 'seeds');
  for (const file of readdirSync(dir).filter((f) => /^[a-z_]+\.csv$/.test(f)).sort()) {
    await conn.run(`create or replace table staging.seed_${file.slice(0, -'.csv'.length)} as select * from read_csv($path, header = true)`, {
      path: literalPath(join(dir, file)),
    });
  }
}

/**
 * The load tables ops.file_loads replaced (now views of it), each with what its rows' source is: commentary and unit
 * data had none (one source a table), the plan's had its column.
 */
const OLD_LOAD_TABLES = { commentary_loads: "'commentary'", unit_data_loads: "'unit_data'", plan_loads: null } as const;

/**
 * Runs `makeOps` (the ops tables and views) and moves a warehouse made before ops.file_loads onto it, in one
 * transaction: each old table (OLD_LOAD_TABLES) is set aside as ops.<name>_legacy first (its name becomes a view), and
 * its rows (by column name: each had only some of ops.file_loads' columns) move into ops.file_loads after.
 */
async function migrateFileLoads(conn: DuckDBConnection, makeOps: () => Promise<void>): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    conn,
    `select table_name as name from duckdb_tables() where schema_name = 'ops'`,
  );
  const legacy = Object.entries(OLD_LOAD_TABLES).filter(([t]) => tables.some((x) => x.name === t || x.name === `${t}_legacy`));
  if (!legacy.length) return makeOps();
  await conn.run('begin transaction');
  try {
    for (const [t] of legacy.filter(([t]) => tables.some((x) => x.name === t))) {
      await conn.run(`create table ops.${t}_legacy as select * from ops.${t}; drop table ops.${t}`);
    }
    await makeOps();
    for (const [t, source] of legacy) {
      await conn.run(
        `insert into ops.file_loads by name
         select *${source ? `, ${source} as source` : ''} from ops.${t}_legacy where load_id not in (select load_id from ops.file_loads);
         drop table ops.${t}_legacy`,
      );
    }
    await conn.run('commit');
  } catch (e) {
    await conn.run('rollback');
    throw e;
  }
}

/**
 * Opens (creating if needed) the warehouse file and makes sure the schemas, the ops tables and views
 * (pipelines/sql/ops/, one a file), the SQL macros (pipelines/sql/macros/, one a file) and the seeds exist.
 */
export async function openWarehouse(path: string): Promise<Warehouse> {
  mkdirSync(dirname(path), { recursive: true });
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  const close = () => {
    conn.closeSync();
    instance.closeSync();
  };
  try {
    await conn.run(SCHEMAS.map((s) => `create schema if not exists ${s};`).join('\n'));
    await loadSeeds(conn); // before the macros: word() reads staging.seed_words
    await migrateFileLoads(conn, async () => {
      for (const file of [...sqlFilesIn('ops'), ...sqlFilesIn('macros')]) await runSqlFile(conn, file);
    });
  } catch (e) {
    close();
    throw e;
  }
  return { path, instance, conn, close };
}

/** Opens the warehouse, runs `fn`, and always closes the file again so that Evidence can read it. */
export async function withWarehouse<T>(path: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(path);
  try {
    return await fn(wh.conn);
  } finally {
    wh.close();
  }
}

/** Opens any DuckDB file (no schemas created), runs `fn`, and always closes it. */
export async function withDuckDB<T>(
  path: string,
  fn: (conn: DuckDBConnection) => Promise<T>,
  options?: Record<string, string>,
): Promise<T> {
  const instance = await DuckDBInstance.create(path, options);
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Runs `fn` in one transaction: all of it lands, or (on any error) none of it does. */
export async function transaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await conn.run('begin transaction');
  try {
    const result = await fn();
    await conn.run('commit');
    return result;
  } catch (e) {
    await conn.run('rollback');
    throw e;
  }
}

/**
 * A file path for DuckDB's file readers (read_csv, read_json, read_parquet), which take every path as a glob
 * pattern: `src_*.csv` would also read `src_other.csv`. The glob characters * ? [ { } are wrapped in a one-character
 * class (`[*]`), which matches exactly that character, so the pattern matches only the file itself. Pure.
 */
export function literalPath(path: string): string {
  return path.replace(/[*?[{}]/g, (ch) => `[${ch}]`);
}

/** A text as an SQL string literal (quotes doubled), for the few places DuckDB takes no parameter (ATTACH, options). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Runs a query and returns its rows as plain JS objects (BIGINT as bigint, DATE as Date). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as T[];
}

/** SQL lives in .sql files under pipelines/sql, named after the table or view they produce. */
export function readSql(relativePath: string): string {
  return readFileSync(join(projectRoot, 'pipelines', 'sql', relativePath), 'utf8');
}

/**
 * Runs a SQL file. With named parameters, each statement of the file runs in turn bound to the parameters it names
 * (DuckDB binds a multi-statement text's parameters to its last statement only); returns the rows each statement
 * changed (inserted, deleted, updated), in order. Without them, the file runs as one text and the list is empty.
 */
export async function runSqlFile(conn: DuckDBConnection, relativePath: string, params?: Params): Promise<number[]> {
  const sql = readSql(relativePath);
  if (!params || Array.isArray(params)) {
    await conn.run(sql, params);
    return [];
  }
  const statements = await conn.extractStatements(sql);
  const changed: number[] = [];
  for (let i = 0; i < statements.count; i++) {
    const statement = await statements.prepare(i);
    const bound: Record<string, DuckDBValue> = {};
    for (let p = 1; p <= statement.parameterCount; p++) {
      const name = statement.parameterName(p);
      if (!(name in params)) throw new Error(`${relativePath}: no value for the parameter $${name}`);
      bound[name] = params[name] as DuckDBValue;
    }
    statement.bind(bound);
    changed.push((await statement.run()).rowsChanged);
  }
  return changed;
}

/** Runs a SQL file that is one query and returns its rows (as queryRows). */
export async function querySqlFile<T = Record<string, unknown>>(conn: DuckDBConnection, relativePath: string, params?: Params): Promise<T[]> {
  return queryRows<T>(conn, readSql(relativePath), params);
}

/** A row of configuration for insertRows: column name → value. */
export type Row = Record<string, string | number | boolean | null>;

/**
 * Inserts rows into a table by column name, through DuckDB's JSON reader: one statement however many rows.
 * For configuration (a few hundred rows); bulk data goes through DuckDB's file readers.
 */
export async function insertRows(conn: DuckDBConnection, table: string, rows: readonly Row[]): Promise<void> {
  if (!rows.length) return;
  const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `describe ${table}`);
  const structure = JSON.stringify([Object.fromEntries(columns.map((c) => [c.column_name, c.column_type]))]);
  await conn.run(
    `insert into ${table} by name select unnest(from_json(cast($rows as json), $structure), recursive := true)`,
    { rows: JSON.stringify(rows), structure },
  );
}
