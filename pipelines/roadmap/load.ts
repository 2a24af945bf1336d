/**
 * Loads the validated roadmap into staging (staging.stg_config__roadmap_*, pipelines/sql/staging/
 * stg_config__roadmap_<table>.sql). Configuration, not bulk data: a few dozen rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { runSqlModels } from '../models/build.js';
import type { Roadmap } from './config.js';

/** The tables with names (name_fi, name_sv, name_en). */
const NAMED = ['objectives', 'initiatives', 'milestones'] as const;
const TABLES = ['settings', 'target_states', 'objectives', 'objective_indicators', 'initiatives', 'initiative_objectives', 'milestones'] as const;

/** The staging tables, created when missing (the marts job reads them even before the first roadmap run). */
export async function ensureRoadmapStaging(conn: DuckDBConnection): Promise<void> {
  await runSqlModels(conn, TABLES.map((t) => `staging/stg_config__roadmap_${t}.sql`));
  // the Swedish and English names (config/roadmap.yaml name_sv / name_en; the Finnish name without them), last: added
  // here so that a warehouse made before them gains them too
  for (const t of NAMED) for (const l of ['sv', 'en']) await conn.run(`alter table staging.stg_config__roadmap_${t} add column if not exists name_${l} varchar`);
}

/** Replaces the roadmap in staging; returns the rows written. */
export async function loadRoadmapToStaging(conn: DuckDBConnection, roadmap: Roadmap): Promise<number> {
  await ensureRoadmapStaging(conn);
  for (const t of TABLES) await conn.run(`delete from staging.stg_config__roadmap_${t}`);
  let n = 0;
  const insert = async (table: (typeof TABLES)[number], values: readonly (string | number | boolean)[]) => {
    const params = Object.fromEntries(values.map((v, i) => [`p${i}`, v]));
    await conn.run(`insert into staging.stg_config__roadmap_${table} values (${values.map((_, i) => `$p${i}`).join(', ')})`, params);
    n++;
  };
  await insert('settings', [roadmap.status_as_of, roadmap.is_example, roadmap.file]);
  // the Swedish and English names last (ensureRoadmapStaging adds them last); missing, the Finnish name
  const names = (x: { name_fi: string; name_sv?: string | undefined; name_en?: string | undefined }) => [x.name_sv ?? x.name_fi, x.name_en ?? x.name_fi];
  let objectiveSort = 0;
  let initiativeSort = 0;
  for (const o of roadmap.organisations) {
    const t = o.target_state;
    await insert('target_states', [o.org, t.quadrant, t.welfare_score, t.cost_score, t.target_year]);
    for (const ob of o.objectives) {
      await insert('objectives', [o.org, ob.id, ob.perspective, ob.name_fi, ob.owner, objectiveSort++, ...names(ob)]);
      for (const [k, ind] of ob.indicators.entries()) await insert('objective_indicators', [ob.id, ind, k]);
    }
    for (const ini of o.initiatives) {
      await insert('initiatives', [o.org, ini.id, ini.name_fi, ini.owner, ini.start, ini.end, initiativeSort++, ...names(ini)]);
      for (const ob of ini.objectives) await insert('initiative_objectives', [ini.id, ob]);
      for (const [k, m] of ini.milestones.entries()) await insert('milestones', [ini.id, k + 1, m.name_fi, m.due, m.status, ...names(m)]);
    }
  }
  return n;
}
