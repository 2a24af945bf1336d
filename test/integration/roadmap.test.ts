/**
 * The roadmap on a real warehouse (issue 16): `run all` (the demo with one small service-use extract, to stay fast) loads
 * config/roadmap.yaml and publishes marts.objectives, initiatives, milestones and target_states; the distance to
 * the target equals a hand computation from marts.dual_model and the file's target point; late milestones are those
 * due before the status date and not done. A broken roadmap fails the run naming file and key path, and the
 * published state (and staging) stay as they were.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { publishedWarehouse, readPointer } from '../../pipelines/ops/publish.js';
import { refresh } from '../../pipelines/ops/refresh.js';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { loadRoadmapChecked } from '../../pipelines/roadmap/config.js';
import { loadRoadmapToStaging } from '../../pipelines/roadmap/load.js';
import { loadOrganisation } from '../../pipelines/regions/organisation.js';
import { loadRegistry } from '../../pipelines/scorecard/registry.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
let tmp: { dir: string; cleanup: () => void };
let config: ResolvedConfig;
type Row = Record<string, unknown>;
const shipped = parseYaml(readFileSync(fromRoot('config/roadmap.yaml'), 'utf8'));
const published = (sql: string) => withReadOnly(publishedWarehouse(config.warehousePath)!, (conn) => queryRows<Row>(conn, sql));

beforeAll(async () => {
  tmp = tempDir('tj-roadmap-');
  const drop = join(tmp.dir, 'service-use');
  mkdirSync(drop);
  // One small extract: the foresight marts need a year of service use.
  copyFileSync(fromRoot('data/demo/service-use/kainuu_2019.csv'), join(drop, 'kainuu_2019.csv'));
  const base = testConfig(join(tmp.dir, 'w.duckdb'));
  config = { ...base, serviceUse: { ...base.serviceUse, dropDir: drop } };
  const r = await refresh({ jobs: selectJobs('all'), trigger: 'manual', label: 'run all', rebuildSite: false }, config, { log, alert: async () => {} });
  if (r.outcome !== 'success') throw new Error(`run all: ${r.message}`);
}, 600_000);

afterAll(() => tmp?.cleanup());

describe('the roadmap marts (published)', () => {
  it('target_states: the distance per area and year is the Euclidean distance from the dual-model point to the target point', async () => {
    const rows = await published(`select t.org_id, t.year, t.distance, t.target_welfare_score, t.target_cost_score, d.welfare_score, d.cost_score
      from marts.target_states t join marts.dual_model d using (org_id, year) order by all`);
    const orgs = shipped.organisations as { org: string; target_state: { welfare_score: number; cost_score: number } }[];
    expect(new Set(rows.map((r) => r.org_id))).toEqual(new Set(orgs.map((o) => o.org)));
    let checked = 0;
    for (const o of orgs) {
      const own = rows.filter((r) => r.org_id === o.org);
      expect(own.length, o.org).toBeGreaterThan(1);
      for (const r of own) {
        expect(r.target_welfare_score).toBe(o.target_state.welfare_score);
        expect(r.target_cost_score).toBe(o.target_state.cost_score);
        if (r.welfare_score === null || r.cost_score === null) {
          expect(r.distance).toBeNull();
          continue;
        }
        const dw = o.target_state.welfare_score - (r.welfare_score as number);
        const dc = o.target_state.cost_score - (r.cost_score as number);
        expect(r.distance as number).toBeCloseTo(Math.sqrt(dw * dw + dc * dc), 9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // Every area and year of the dual model for a roadmap area has its row.
    const [missing] = await published(`select count(*) as n from marts.dual_model d
      where d.org_id in (select org_id from marts.target_states) and not exists (select 1 from marts.target_states t where t.org_id = d.org_id and t.year = d.year)`);
    expect(missing?.n).toBe(0n);
  });

  it('milestones: late = due before status_as_of and not done; initiatives count them; objectives list every indicator', async () => {
    const asOf = String(shipped.status_as_of instanceof Date ? shipped.status_as_of.toISOString().slice(0, 10) : shipped.status_as_of);
    const expectedLate: string[] = [];
    let total = 0;
    for (const o of shipped.organisations) {
      for (const i of o.initiatives) {
        i.milestones.forEach((m: { due: Date | string; status: string }, k: number) => {
          total++;
          const due = m.due instanceof Date ? m.due.toISOString().slice(0, 10) : m.due;
          if (m.status !== 'valmis' && due < asOf) expectedLate.push(`${i.id}#${k + 1}`);
        });
      }
    }
    const ms = await published(`select initiative_id, milestone_no, is_late, days_late, status_fi, cast(status_as_of as varchar) as as_of from marts.milestones`);
    expect(ms.length).toBe(total);
    expect(ms.filter((m) => m.is_late).map((m) => `${m.initiative_id}#${m.milestone_no}`).sort()).toEqual(expectedLate.sort());
    expect(expectedLate.length).toBeGreaterThan(0);
    for (const m of ms) {
      expect(m.as_of).toBe(asOf);
      expect(m.status_fi === 'myöhässä').toBe(m.is_late);
      expect((m.days_late as number | null) !== null).toBe(m.is_late);
    }
    const [counts] = await published(`select sum(milestones_late) as late, sum(milestones_total) as total, bool_and(is_example) as example from marts.initiatives`);
    expect(counts).toMatchObject({ late: BigInt(expectedLate.length), total: BigInt(total), example: true });
    const obj = await published(`select objective_id, indicator_id, indicator_name_fi from marts.objectives`);
    const expectedPairs = shipped.organisations.flatMap((o: any) => o.objectives.flatMap((ob: any) => ob.indicators.map((i: string) => `${ob.id}|${i}`)));
    expect(obj.map((r) => `${r.objective_id}|${r.indicator_id}`).sort()).toEqual(expectedPairs.sort());
    expect(obj.every((r) => r.indicator_name_fi !== r.indicator_id)).toBe(true); // names from the registry
  });

  // branch lang (issue 18): the roadmap's names in Swedish and English, from config/roadmap.yaml name_sv / name_en
  it('objectives, initiatives and milestones publish the file\'s Swedish and English names, and the lists of them in the file\'s order', async () => {
    const orgs = shipped.organisations as any[];
    const name = (x: any, lang: string) => x[`name_${lang}`] ?? x.name_fi;
    for (const lang of ['fi', 'sv', 'en']) {
      const objectives = orgs.flatMap((o) => o.objectives);
      const initiatives = orgs.flatMap((o) => o.initiatives);
      const ob = await published(`select distinct objective_id as id, objective_name_${lang} as name, initiatives_${lang} as list from marts.objectives`);
      expect(Object.fromEntries(ob.map((r) => [r.id, [r.name, r.list]]))).toEqual(
        Object.fromEntries(
          objectives.map((o) => {
            const serving = initiatives.filter((i) => i.objectives.includes(o.id)).map((i) => name(i, lang));
            return [o.id, [name(o, lang), serving.length ? serving.join('; ') : null]];
          }),
        ),
      );
      const ini = await published(`select initiative_id as id, initiative_name_${lang} as name, objectives_${lang} as list from marts.initiatives`);
      expect(Object.fromEntries(ini.map((r) => [r.id, [r.name, r.list]]))).toEqual(
        Object.fromEntries(initiatives.map((i) => [i.id, [name(i, lang), objectives.filter((o) => i.objectives.includes(o.id)).map((o) => name(o, lang)).join('; ')]])),
      );
      const ms = await published(`select initiative_id as id, milestone_no as no, initiative_name_${lang} as initiative, milestone_name_${lang} as name from marts.milestones order by id, no`);
      expect(ms.map((r) => [r.id, r.no, r.initiative, r.name])).toEqual(
        initiatives
          .flatMap((i) => i.milestones.map((m: any, k: number) => [i.id, k + 1, name(i, lang), name(m, lang)]))
          .sort((a: any[], b: any[]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])),
      );
    }
    // the demo names every one in Swedish and English, none the Finnish text
    const [same] = await published(`select count(*) filter (where objective_name_sv = objective_name_fi or objective_name_en = objective_name_fi) as n from marts.objectives`);
    expect(same?.n).toBe(0n);
  });

  it('a missing Swedish or English name is the Finnish one in staging, also on a warehouse built before the names existed', async () => {
    const path = join(tmp.dir, 'names.duckdb');
    await withWarehouse(path, async (conn) => {
      // the staging table as a warehouse built before the names has it
      await conn.run(`create table staging.stg_config__roadmap_milestones (initiative_id varchar not null, milestone_no integer not null,
        name_fi varchar not null, due_date date not null, status varchar not null)`);
      const codes = loadOrganisation(fromRoot('config/organisation.yaml')).organisations.map((o) => o.code);
      const roadmap = loadRoadmapChecked(fromRoot('config/roadmap.yaml'), codes, loadRegistry(fromRoot('config/indicators.yaml')));
      const first = roadmap.organisations[0]!.initiatives[0]!;
      delete first.name_en;
      delete first.milestones[0]!.name_sv;
      await loadRoadmapToStaging(conn, roadmap);
      const [m] = await queryRows<Row>(conn, `select name_fi, name_sv, name_en from staging.stg_config__roadmap_milestones where initiative_id = '${first.id}' and milestone_no = 1`);
      expect(m).toEqual({ name_fi: first.milestones[0]!.name_fi, name_sv: first.milestones[0]!.name_fi, name_en: first.milestones[0]!.name_en });
      const [i] = await queryRows<Row>(conn, `select name_sv, name_en from staging.stg_config__roadmap_initiatives where initiative_id = '${first.id}'`);
      expect(i).toEqual({ name_sv: first.name_sv, name_en: first.name_fi });
    });
  });

  it('a broken roadmap fails the run naming file and key path; the published state and staging stay', async () => {
    const before = readPointer(config.warehousePath);
    const [lateBefore] = await published(`select count(*) as n from marts.milestones where is_late`);
    const bad = structuredClone(shipped);
    bad.organisations[2].initiatives[0].milestones[1].due = 'ensi keväänä';
    const badFile = join(tmp.dir, 'roadmap.yaml');
    writeFileSync(badFile, stringify(bad));
    const badConfig = { ...config, scorecard: { ...config.scorecard, roadmap: badFile } };
    const r = await refresh({ jobs: selectJobs('all').filter((j) => j.name === 'roadmap' || j.name === 'marts'), trigger: 'manual', label: 'run roadmap', rebuildSite: false }, badConfig, {
      log,
      alert: async () => {},
    });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain(`${badFile}: organisations[2].initiatives[0].milestones[1].due: not a date`);
    expect(r.message).not.toContain('ensi keväänä');
    // Nothing published: the same batch (only the run history of the status page is synced into a copy of it).
    const after = readPointer(config.warehousePath);
    expect({ batch: after?.batch_id, at: after?.published_at, tables: after?.tables }).toEqual({ batch: before?.batch_id, at: before?.published_at, tables: before?.tables });
    const [lateAfter] = await published(`select count(*) as n from marts.milestones where is_late`);
    expect(lateAfter?.n).toBe(lateBefore?.n);
    const [staged] = await withReadOnly(config.warehousePath, (conn) =>
      queryRows<Row>(conn, `select count(*) as n from staging.stg_config__roadmap_milestones where initiative_id = '${shipped.organisations[2].initiatives[0].id}'`),
    );
    expect(staged?.n).toBe(BigInt(shipped.organisations[2].initiatives[0].milestones.length));
  });
});
