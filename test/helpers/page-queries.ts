/**
 * The pages' SQL (the named ```sql blocks of reports/**.md), made runnable on a DuckDB connection for tests: a page's
 * parameters and inputs become given values, a query it reads (`${tiles}`) becomes that query as a subquery, a
 * message (`${t('columns.arvo')}`) its key, an expression over the page's values (`${inputs.x.value === 'ALL' ? …}`)
 * its result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../pipelines/paths.js';

export interface PageQuery {
  /** the page's file under reports/, e.g. `alueet/[area].md` */
  page: string;
  name: string;
  sql: string;
}

/** Every named SQL block of every page. */
export function pageQueries(): PageQuery[] {
  const dir = fromRoot('reports');
  const pages = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
  return pages.flatMap((page) =>
    [...readFileSync(join(dir, page), 'utf8').matchAll(/^```sql (\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ page: page.replaceAll('\\', '/'), name: m[1]!, sql: m[2]! })),
  );
}

/**
 * The query with its page's references filled in from `values` (a parameter or input by its name: `${params.area}`
 * and `${inputs.area.value}` both take `values.area`), or null when a value it needs is not given.
 */
export function runnableSql(query: PageQuery, all: readonly PageQuery[], values: Record<string, string>): string | null {
  let missing = false;
  const sql = query.sql.replace(/\$\{([^}]+)\}/g, (_, ref: string) => {
    const message = /^t\('([^']+)'\)$/.exec(ref);
    if (message) return message[1]!;
    const value = /^(?:params\.(\w+)|inputs\.(\w+)\.value)$/.exec(ref);
    if (value) {
      const v = values[value[1] ?? value[2]!];
      if (v === undefined) missing = true;
      return v ?? '';
    }
    const other = all.find((q) => q.page === query.page && q.name === ref);
    if (!other && /\b(?:params|inputs)\./.test(ref)) {
      // an expression over the page's values, as `${inputs.specialty.value === 'ALL' ? 'a' : 'b'}`
      const names = [...new Set([...ref.matchAll(/\b(?:params|inputs)\.(\w+)/g)].map((m) => m[1]!))];
      if (names.some((n) => values[n] === undefined)) missing = true;
      const inputs = Object.fromEntries(names.map((n) => [n, { value: values[n] }]));
      return String(new Function('params', 'inputs', `return (${ref});`)(values, inputs));
    }
    const inner = other && runnableSql(other, all, values);
    if (!inner) missing = true;
    return `(${inner ?? ''})`;
  });
  return missing ? null : sql.trim().replace(/;\s*$/, '');
}
