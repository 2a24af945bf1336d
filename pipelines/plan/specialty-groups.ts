/**
 * Specialty groups of service agreements (config/specialty-groups.yaml, docs/plan.md): an agreement line may name a
 * group (operatiiviset, konservatiiviset, the organisation's own) instead of one specialty. Validated with zod when
 * read, and against the specialty list when written to staging.stg_config__specialty_groups (one row per group ×
 * member specialty), which the import and the plan marts read.
 */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { queryRows } from '../warehouse.js';

const Group = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[a-zåäö][a-zåäö0-9_-]*$/, 'a lower-case code (letters, digits, - and _), not a specialty code'),
    name_fi: z.string().trim().min(1),
    specialties: z.array(z.coerce.string().trim().min(1)).min(1),
  })
  .strict();

const GroupFile = z
  .object({ groups: z.array(Group).default([]) })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.groups.forEach((g, i) => {
      for (const key of new Set([g.code, g.name_fi.toLowerCase()])) {
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['groups', i], message: `group "${key}" is defined twice` });
        seen.add(key);
      }
      if (new Set(g.specialties).size !== g.specialties.length) {
        ctx.addIssue({ code: 'custom', path: ['groups', i, 'specialties'], message: 'a specialty is listed twice' });
      }
    });
  });
export type SpecialtyGroup = z.infer<typeof Group>;

/** Reads and validates the group file; an error names the file and the field. */
export function loadSpecialtyGroups(path: string): SpecialtyGroup[] {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new Error(`cannot read the specialty group file ${path}: ${(e as Error).message}`);
  }
  const parsed = GroupFile.safeParse(doc);
  if (!parsed.success) {
    throw new Error(`invalid specialty group file ${path}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data.groups;
}

/** The empty table, for a warehouse whose plan job has not run yet. */
export async function ensureSpecialtyGroups(conn: DuckDBConnection): Promise<void> {
  await conn.run(`create table if not exists staging.stg_config__specialty_groups
    (group_code varchar not null, group_name_fi varchar not null, specialty_code varchar not null)`);
}

/**
 * Replaces staging.stg_config__specialty_groups with the file's groups; a member that is not a code of the specialty
 * list (staging.stg_service_use__specialties) fails with the file, group and code named.
 */
export async function writeSpecialtyGroups(conn: DuckDBConnection, path: string): Promise<void> {
  const groups = loadSpecialtyGroups(path);
  await conn.run(`create or replace table staging.stg_config__specialty_groups
    (group_code varchar not null, group_name_fi varchar not null, specialty_code varchar not null)`);
  const rows = groups.flatMap((g) => g.specialties.map((s) => [g.code, g.name_fi, s]));
  if (!rows.length) return;
  const appender = await conn.createAppender('stg_config__specialty_groups', 'staging');
  for (const [code, name, specialty] of rows) {
    appender.appendVarchar(code!);
    appender.appendVarchar(name!);
    appender.appendVarchar(specialty!);
    appender.endRow();
  }
  appender.closeSync();
  const [bad] = await queryRows<{ group_code: string; reason: string }>(
    conn,
    `select group_code, '"' || specialty_code || '" is not a code of the specialty list (config/specialties.csv)' as reason
     from staging.stg_config__specialty_groups
     where specialty_code not in (select specialty_code from staging.stg_service_use__specialties)
     union all
     select distinct group_code, 'the group code is a specialty code' from staging.stg_config__specialty_groups
     where group_code in (select lower(specialty_code) from staging.stg_service_use__specialties union all select 'all')
     order by all limit 1`,
  );
  if (bad) throw new Error(`invalid specialty group file ${path}: group ${bad.group_code}: ${bad.reason}`);
}
