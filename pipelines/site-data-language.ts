/**
 * The site's data in the site's language (issue 18). The marts carry every word they publish in three columns,
 * `<x>_fi`, `<x>_sv`, `<x>_en` (area and organisation names, specialties, service types, statuses, units, …); the
 * pages read only `<x>_fi`, so a page is one text for every language. After `evidence sources` has written the source
 * queries' parquet files, an sv or en build rewrites each file once through DuckDB: every `<x>_fi` column that has a
 * `<x>_<language>` sibling takes that sibling's value (the Finnish one where the sibling is empty). The Finnish build
 * leaves the files as they are. docs/evidence-offline-patch.md, "Languages".
 */
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { SITE_LANGUAGES } from './settings/pipeline.js';
import { literalPath, queryRows, sqlString } from './warehouse.js';

type SiteLanguage = (typeof SITE_LANGUAGES)[number];

/** Where `evidence sources` writes the parquet files: <source>/<query>/<query>.parquet. */
export const SOURCE_DATA_DIR = join('.evidence', 'template', 'static', 'data');

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The `select * replace (…)` list that puts the language's words into the `_fi` columns, or null when the columns
 * have nothing to replace (pure): `<x>_fi` takes `<x>_<language>` where the row has it.
 */
export function languageReplacements(columns: readonly string[], language: SiteLanguage): string | null {
  if (language === 'fi') return null;
  const names = new Set(columns);
  const picks = columns
    .filter((c) => c.endsWith('_fi') && names.has(`${c.slice(0, -3)}_${language}`))
    .map((c) => {
      const sibling = quoted(`${c.slice(0, -3)}_${language}`);
      return `coalesce(nullif(trim(${sibling}), ''), ${quoted(c)}) as ${quoted(c)}`;
    });
  return picks.length ? picks.join(', ') : null;
}

/** The parquet files under a folder, recursively. */
function parquetFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * Rewrites the source queries' parquet files under `dataDir` (or only under the folders `only` names: the queries a
 * refresh ran again, the others are kept localised) into `language` (see above); returns how many files changed. Each
 * file is written beside itself and renamed over it, so a failure leaves the file as it was.
 */
export async function localiseSourceData(dataDir: string, language: SiteLanguage, only?: readonly string[]): Promise<number> {
  if (language === 'fi' || only?.length === 0) return 0;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  let changed = 0;
  try {
    for (const file of only ? only.flatMap(parquetFiles) : parquetFiles(dataDir)) {
      const source = sqlString(literalPath(file));
      const columns = await queryRows<{ column_name: string }>(conn, `select column_name from (describe select * from read_parquet(${source}))`);
      const replace = languageReplacements(
        columns.map((c) => c.column_name),
        language,
      );
      if (!replace) continue;
      const tmp = `${file}.${language}.tmp`;
      try {
        await conn.run(`copy (select * replace (${replace}) from read_parquet(${source})) to ${sqlString(tmp)} (format parquet, codec 'zstd')`);
        renameSync(tmp, file);
      } finally {
        rmSync(tmp, { force: true });
      }
      changed++;
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return changed;
}
