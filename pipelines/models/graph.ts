/**
 * The SQL files as a dependency graph (docs/pipelines.md, "SQL"): each file under pipelines/sql/<layer>/ makes the
 * tables and views it creates and reads the schema-qualified ones it names (`staging.stg_…`, `marts.regions`), so
 * the order to build any selection is read from the SQL itself, not written down again in TypeScript. Pure: it reads
 * text, runs nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fromRoot } from '../paths.js';

export const SQL_DIR = fromRoot('pipelines/sql');
export const SQL_LAYERS = ['raw', 'staging', 'intermediate', 'marts', 'ops'] as const;
const SCHEMA = `(?:${SQL_LAYERS.join('|')}|temp)`;

export interface Model {
  /** The file, relative to pipelines/sql (e.g. "marts/regions.sql"). */
  file: string;
  /** The tables and views it creates, schema-qualified ("temp." for temporary ones). */
  creates: string[];
  /** The schema-qualified tables and views it reads that it does not create itself. */
  reads: string[];
  /**
   * Of `creates`, the tables it only declares (`create table if not exists`): it makes sure they exist, but what is
   * in them is written elsewhere (an import), so their content is an input of whoever runs the file.
   */
  declares?: string[];
}

/** The SQL text without comments and string literals (a name in a comment is no dependency). */
function code(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/'(?:[^']|'')*'/g, "''");
}

/** What one SQL text creates and reads. Pure. */
export function parseModel(file: string, sql: string): Model {
  const text = code(sql).toLowerCase();
  const creates = new Set<string>();
  const declares = new Set<string>();
  for (const m of text.matchAll(/create\s+(or\s+replace\s+)?(temp(?:orary)?\s+)?(?:table|view)\s+(if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)/g)) {
    const name = `${m[4] ? m[4].slice(0, -1) : m[2] ? 'temp' : 'main'}.${m[5]}`;
    creates.add(name);
    if (m[3] && !m[1]) declares.add(name);
  }
  const reads = new Set<string>();
  for (const m of text.matchAll(new RegExp(`(?<![a-z0-9_.])(${SCHEMA})\\.([a-z_][a-z0-9_]*)\\b`, 'g'))) {
    const name = `${m[1]}.${m[2]}`;
    if (!creates.has(name)) reads.add(name);
  }
  return { file, creates: [...creates].sort(), reads: [...reads].sort(), declares: [...declares].sort() };
}

/** Every SQL file under pipelines/sql, as models. */
export function readModels(dir = SQL_DIR): Model[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.sql')) files.push(join(d, e.name));
    }
  };
  walk(dir);
  return files.map((f) => parseModel(relative(dir, f), readFileSync(f, 'utf8')));
}

/**
 * The given files in an order that builds each after the files making what it reads (stable otherwise); a read
 * no given file makes is an input (built by an earlier job, or by TypeScript). Throws on a cycle, naming it.
 */
export function buildOrder<T extends Model>(models: readonly T[]): T[] {
  const maker = new Map<string, T>();
  for (const m of models) for (const t of m.creates) maker.set(t, m);
  const ordered: T[] = [];
  const state = new Map<T, 'open' | 'done'>();
  const visit = (m: T, path: string[]): void => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'open') throw new Error(`SQL dependency cycle: ${[...path, m.file].join(' → ')}`);
    state.set(m, 'open');
    for (const r of m.reads) {
      const dep = maker.get(r);
      if (dep && dep !== m) visit(dep, [...path, m.file]);
    }
    state.set(m, 'done');
    ordered.push(m);
  };
  for (const m of models) visit(m, []);
  return ordered;
}
