/**
 * The one runner of the SQL graph (docs/pipelines.md, "SQL"): the nodes are the SQL files (each makes what it
 * creates and reads what it names, pipelines/models/graph.ts) and the steps that must stay TypeScript (the disclosure
 * step and the configuration loaders: a step declares the SQL files it runs, its own source files and parameters, and
 * the tables its TypeScript reads or makes). The runner selects nodes (`--select`, dbt-like), orders them by what
 * they read, and skips a node whose fingerprint (its code, its parameters and the content of every table it reads)
 * is the one recorded in ops.model_builds at its last build: `run marts` builds only what changed upstream.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { fromRoot, projectRoot } from '../paths.js';
import { queryRows, readSql, runSqlFile, type Params } from '../warehouse.js';
import { buildOrder, type Model, readModels, SQL_DIR } from './graph.js';

/** A node of the graph: `file` is its SQL file (marts/regions.sql) or `step:<name>` for a TypeScript step. */
export interface GraphNode extends Model {
  /** What its fingerprint hashes besides its inputs: its SQL text, or a step's SQL, source files and parameters. */
  code: string;
  /** Makes views only: a view stores no rows, so only a change of its own code rebuilds it. */
  views: boolean;
  /** Its SQL reads the clock: `time` (now()) rebuilds it every run, `date` (current_date) once a day. */
  clock?: 'date' | 'time';
  run(conn: DuckDBConnection): Promise<void>;
}

/** How to run the graph: `select` (dbt-like terms, see selectNodes; default every node), `rebuild` (skip nothing). */
export interface ModelSelection {
  select?: string;
  rebuild?: boolean;
}

const isViewSql = (sql: string): boolean => /create\s+(or\s+replace\s+)?view/i.test(sql) && !/create\s+(or\s+replace\s+)?(temp(orary)?\s+)?table/i.test(sql);

/** Whether SQL text reads the clock (comments aside: graph.ts strips them before reading names). */
function clockOf(sqls: readonly string[]): GraphNode['clock'] {
  const text = sqls.map((s) => s.replace(/--[^\n]*/g, ' ')).join('\n');
  if (/\bnow\(\)|current_timestamp|get_current_time/i.test(text)) return 'time';
  if (/current_date|\btoday\(\)/i.test(text)) return 'date';
  return undefined;
}

/** Persistent tables only: temp tables live within one step, `main` is unused. */
const stored = (names: readonly string[]): string[] => names.filter((n) => !n.startsWith('temp.') && !n.startsWith('main.'));

/**
 * Runs SQL files (one table each, relative to pipelines/sql) in the order they read each other: what one file of
 * old made at once, now a group of files named after their tables.
 */
export async function runSqlModels(conn: DuckDBConnection, files: readonly string[], params?: Params): Promise<void> {
  const models = readModels().filter((m) => files.includes(m.file));
  const missing = files.filter((f) => !models.some((m) => m.file === f));
  if (missing.length) throw new Error(`no SQL file pipelines/sql/${missing.join(', ')}`);
  for (const m of buildOrder(models)) await runSqlFile(conn, m.file, params);
}

/** The macros every SQL file may call (pipelines/sql/macros/): a change of one rebuilds every node. */
const macrosText = (): string =>
  readdirSync(join(SQL_DIR, 'macros'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readSql(`macros/${f}`))
    .join('\n');

/** A SQL file as a node (params: the file's `$name` parameters). */
export function sqlNode(model: Model, params?: Params): GraphNode {
  const sql = readSql(model.file);
  return {
    ...model,
    code: `${sql}\n-- params ${JSON.stringify(params ?? null)}\n-- macros\n${macrosText()}`,
    views: isViewSql(sql),
    clock: clockOf([sql]),
    run: async (conn) => {
      await runSqlFile(conn, model.file, params);
    },
  };
}

export interface StepSpec {
  name: string;
  /** The SQL files it runs (relative to pipelines/sql): their creates and reads are the step's. */
  files: readonly string[];
  /** Its TypeScript source files (relative to the project root): a change of the code rebuilds it. */
  sources: readonly string[];
  /** Input files it reads itself (configuration): their content is part of the fingerprint. */
  inputFiles?: readonly string[];
  /** Tables its TypeScript makes or reads beyond its SQL files. */
  creates?: readonly string[];
  reads?: readonly string[];
  /** Its parameters (configuration): part of the fingerprint. */
  params?: unknown;
  run(conn: DuckDBConnection): Promise<void>;
}

/** A TypeScript step as a node, its creates and reads the union of its SQL files' and its declared ones. */
export function stepNode(models: readonly Model[], spec: StepSpec): GraphNode {
  const byFile = new Map(models.map((m) => [m.file, m]));
  const own = spec.files.map((f) => {
    const m = byFile.get(f);
    if (!m) throw new Error(`step ${spec.name}: no SQL file pipelines/sql/${f}`);
    return m;
  });
  const creates = new Set([...own.flatMap((m) => m.creates), ...(spec.creates ?? [])]);
  // A raw or staging table its SQL only declares (`create table if not exists`) is filled by an import job: the
  // step reads its content, which must change its fingerprint (new months imported → the step runs again).
  const imported = own.flatMap((m) => m.declares ?? []).filter((t) => /^(raw|staging)\./.test(t));
  const reads = new Set([...[...own.flatMap((m) => m.reads), ...(spec.reads ?? [])].filter((r) => !creates.has(r)), ...imported]);
  const text = (label: string, path: string, content: string): string => `-- ${label} ${path}\n${content}`;
  const code = [
    ...spec.files.map((f) => text('sql', f, readSql(f))),
    ...spec.sources.map((f) => text('source', f, readFileSync(fromRoot(f), 'utf8'))),
    ...(spec.inputFiles ?? []).map((f) => text('input', relative(projectRoot, f), readFileSync(f, 'utf8'))),
    `-- params ${JSON.stringify(spec.params ?? null)}`,
    `-- macros\n${macrosText()}`,
  ].join('\n');
  const clock = clockOf(spec.files.map(readSql));
  return { file: `step:${spec.name}`, creates: [...creates].sort(), reads: [...reads].sort(), code, views: false, clock, run: spec.run };
}

/** The short names a node answers to: its file, the file's stem, the step's name, what it creates (with and without schema). */
function namesOf(node: GraphNode): Set<string> {
  const names = new Set([node.file, node.file.replace(/^.*\//, '').replace(/\.sql$/, ''), node.file.replace(/^step:/, '')]);
  for (const t of node.creates) names.add(t).add(t.replace(/^[a-z]+\./, ''));
  return names;
}

/**
 * The nodes a selection names (pure). Terms, separated by spaces or commas: `all`; `layer:<schema>` (every node
 * making a table of that schema: staging, intermediate, marts); a name (a mart, a table, a file, a step);
 * `+name` adds everything upstream of it, `name+` everything downstream. Throws on a term that names no node.
 */
export function selectNodes(nodes: readonly GraphNode[], select: string | undefined): Set<GraphNode> {
  const terms = (select ?? 'all').split(/[\s,]+/).filter(Boolean);
  const maker = new Map<string, GraphNode>();
  for (const n of nodes) for (const t of n.creates) maker.set(t, n);
  const readers = new Map<GraphNode, GraphNode[]>();
  for (const n of nodes) {
    for (const r of n.reads) {
      const m = maker.get(r);
      if (m && m !== n) readers.set(m, [...(readers.get(m) ?? []), n]);
    }
  }
  const closure = (start: GraphNode, next: (n: GraphNode) => GraphNode[], into: Set<GraphNode>): void => {
    const todo = [start];
    while (todo.length) {
      for (const n of next(todo.pop()!)) {
        if (into.has(n)) continue;
        into.add(n);
        todo.push(n);
      }
    }
  };
  const upstream = (n: GraphNode): GraphNode[] => n.reads.map((r) => maker.get(r)).filter((m): m is GraphNode => !!m && m !== n);
  const selected = new Set<GraphNode>();
  for (const term of terms) {
    const core = term.replace(/^\+/, '').replace(/\+$/, '');
    const layer = /^layer:([a-z]+)$/.exec(core)?.[1];
    const hits = nodes.filter((n) =>
      core === 'all' ? true : layer ? n.creates.some((t) => t.startsWith(`${layer}.`)) : namesOf(n).has(core),
    );
    if (!hits.length) throw new Error(`--select: "${term}" names no model (a mart, table, SQL file, step, layer:<schema> or all)`);
    for (const hit of hits) {
      selected.add(hit);
      if (term.startsWith('+')) closure(hit, upstream, selected);
      if (term.endsWith('+')) closure(hit, (n) => readers.get(n) ?? [], selected);
    }
  }
  return selected;
}

/** What one run of the graph did, node files in build order. */
export interface GraphRun {
  built: string[];
  skipped: string[];
}

/** Whether a schema-qualified table or view exists. */
async function exists(conn: DuckDBConnection, name: string): Promise<boolean> {
  const [schema, table] = name.split('.');
  const [found] = await queryRows<{ n: bigint }>(
    conn,
    `select (select count(*) from duckdb_tables() where schema_name = $s and table_name = $t)
          + (select count(*) from duckdb_views() where schema_name = $s and view_name = $t) as n`,
    { s: schema ?? '', t: table ?? '' },
  );
  return Number(found?.n ?? 0) > 0;
}

/** A content hash of one table or view ("missing" when it does not exist): row count and the sum of row hashes. */
async function contentHash(conn: DuckDBConnection, name: string): Promise<string> {
  if (!(await exists(conn, name))) return 'missing';
  const [schema, table] = name.split('.') as [string, string];
  const [row] = await queryRows<{ h: string }>(conn, `select count(*)::varchar || ':' || coalesce(sum(hash(t))::varchar, '') as h from ${schema}.${table} t`);
  return row?.h ?? 'missing';
}

/**
 * Builds the selected nodes in the order they read each other, each unless its fingerprint is the one of its last
 * build (and what it makes still exists). Records every build in ops.model_builds (on the caller's transaction).
 */
export async function buildGraph(
  conn: DuckDBConnection,
  nodes: readonly GraphNode[],
  opts: ModelSelection & { runId: string; log: Logger },
): Promise<GraphRun> {
  const selected = selectNodes(nodes, opts.select);
  const hashes = new Map<string, string>();
  const hashOf = async (name: string): Promise<string> => {
    if (!hashes.has(name)) hashes.set(name, await contentHash(conn, name));
    return hashes.get(name)!;
  };
  const result: GraphRun = { built: [], skipped: [] };
  for (const node of buildOrder(nodes)) {
    if (!selected.has(node)) continue;
    const hash = createHash('sha256').update(node.code);
    // A table computed from the clock is as old as its build (a view reads the clock when queried).
    if (node.clock && !node.views) hash.update(`\nclock ${node.clock === 'time' ? new Date().toISOString() : new Date().toLocaleDateString('sv-SE')}`);
    for (const r of node.views ? [] : stored(node.reads)) hash.update(`\n${r}=${await hashOf(r)}`);
    const fingerprint = hash.digest('hex');
    const [last] = await queryRows<{ fingerprint: string }>(conn, 'select fingerprint from ops.model_builds where model = $m', { m: node.file });
    let present = true;
    for (const t of stored(node.creates)) present &&= await exists(conn, t);
    if (!opts.rebuild && last?.fingerprint === fingerprint && present) {
      result.skipped.push(node.file);
      continue;
    }
    const started = Date.now();
    await node.run(conn);
    for (const t of node.creates) hashes.delete(t);
    await conn.run(
      `insert or replace into ops.model_builds values ($m, $f, $run_id, now(), $ms)`,
      { m: node.file, f: fingerprint, run_id: opts.runId, ms: BigInt(Date.now() - started) },
    );
    result.built.push(node.file);
  }
  opts.log.info('models built', {
    built: result.built.length,
    skipped: result.skipped.length,
    not_selected: nodes.length - selected.size,
    models: result.built.join(',') || '-',
  });
  return result;
}
