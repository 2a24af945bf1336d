/**
 * Empty source queries as empty parquet files. For a source query with no rows, `evidence sources` lists the parquet
 * file in its manifest but writes only `<query>.schema.json` beside it; the prerender (evidence-offline/parquet-tables.js)
 * and the browser (evidence-offline/lazy-tables.js) then read a file that is not there and the build fails with
 * ENOENT. A month with nothing to show is normal data (e.g. the year-on-year changes of a warehouse with one year),
 * so after `evidence sources` every listed file that is missing is written as an empty parquet file with the
 * columns and types the schema file gives. docs/evidence-offline-patch.md, "Empty sources".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVIDENCE_TYPE_SQL } from 'tj-evidence-offline/evidence-types.js';
import { z } from 'zod';
import { sqlString, withDuckDB } from './warehouse.js';

/** Evidence's column description in `<query>.schema.json` (its results schema: name and evidenceType). */
const SourceSchema = z
  .array(z.object({ name: z.string().min(1), evidenceType: z.enum(['boolean', 'number', 'string', 'date']) }).passthrough())
  .min(1);

/** What Evidence's manifest.json lists: the rendered parquet files per source, relative to the template folder. */
const SourceManifest = z.object({ renderedFiles: z.record(z.array(z.string())) }).passthrough();

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The select of no rows with the schema's columns and types (pure). */
export function emptySelect(columns: z.infer<typeof SourceSchema>): string {
  return `select ${columns.map((c) => `null::${EVIDENCE_TYPE_SQL[c.evidenceType]} as ${quoted(c.name)}`).join(', ')} where false`;
}

/**
 * Writes every parquet file the manifest under `dataDir` lists but `evidence sources` did not write (an empty query),
 * from the schema file beside it; returns the files written. Fails naming the file when neither the parquet nor a
 * valid schema file is there.
 */
export async function writeEmptySources(dataDir: string): Promise<string[]> {
  const manifestFile = join(dataDir, 'manifest.json');
  if (!existsSync(manifestFile)) return [];
  const manifest = SourceManifest.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
  // manifest paths are relative to the template folder: static/data/<source>/<query>/<query>.parquet
  const templateDir = dirname(dirname(dataDir));
  const missing = Object.values(manifest.renderedFiles)
    .flat()
    .map((f) => join(templateDir, f))
    .filter((f) => f.endsWith('.parquet') && !existsSync(f));
  if (!missing.length) return [];
  await withDuckDB(':memory:', async (conn) => {
    for (const file of missing) {
      const schemaFile = file.replace(/\.parquet$/, '.schema.json');
      if (!existsSync(schemaFile)) throw new Error(`${file}: listed in ${manifestFile} but neither it nor ${schemaFile} exists`);
      const parsed = SourceSchema.safeParse(JSON.parse(readFileSync(schemaFile, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${schemaFile}: ${issue?.path.join('.') || '(file)'}: ${issue?.message ?? 'not a source schema'}`);
      }
      await conn.run(`copy (${emptySelect(parsed.data)}) to ${sqlString(file)} (format parquet)`);
    }
  });
  return missing;
}
