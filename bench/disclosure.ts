/**
 * Disclosure control on the demo extracts (docs/disclosure.md): the demo pipelines into a temporary warehouse, then
 *   BENCH su_withheld_pct               share of the published monthly municipality cells (marts.service_use_monthly) withheld, %
 *   BENCH su_complementary_per_primary  complementary / primary withheld municipality cells of the service-use cube (whole cells)
 *   BENCH su_care_only_per_primary      cells with only care periods and bed days withheld / primary (their visits and euros shown)
 *   BENCH disclosure_step_ms            the service-use disclosure step (complementary choice, attacker, yearly and area totals)
 *   BENCH disclosure_attack_ms          the publish check: the attacker over every protected mart of the published copy
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { attackPublished } from '../pipelines/disclosure/published.js';
import { selectJobs } from '../pipelines/jobs/index.js';
import { createLogger } from '../pipelines/log.js';
import { copyMarts } from '../pipelines/ops/publish.js';
import { runJobs } from '../pipelines/runner.js';
import { queryRows, withDuckDB } from '../pipelines/warehouse.js';

export async function runDisclosureBench(dir: string, config: ResolvedConfig, print: (line: string) => void): Promise<void> {
  const warehouse = join(dir, 'warehouse.duckdb');
  let stepMs = NaN;
  const log = createLogger((line) => {
    const m = / service-use marts built .*suppression_ms=(\d+)/.exec(line);
    if (m) stepMs = Number(m[1]);
  });
  const summaries = await runJobs(selectJobs('all'), { config: { ...config, warehousePath: warehouse }, log });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`demo pipelines failed: ${failed.map((s) => `${s.job} ${s.message ?? ''}`).join('; ')}`);
  const [stats] = await withDuckDB(warehouse, (conn) =>
    queryRows<{ withheld_pct: number; primary: bigint; complementary: bigint; care_only: bigint }>(
      conn,
      `select (select 100.0 * count(*) filter (where is_suppressed) / count(*) from marts.service_use_monthly) as withheld_pct,
              count(*) filter (where suppression = 'primary') as primary,
              count(*) filter (where suppression = 'complementary') as complementary,
              count(*) filter (where suppression = 'care_periods') as care_only
       from intermediate.int_service_use__cells where municipality_level = 'municipality'`,
    ),
  );
  const published = join(dir, 'published.duckdb');
  await copyMarts(warehouse, published);
  const started = Date.now();
  const found = await withDuckDB(published, (conn) => attackPublished(conn), { access_mode: 'READ_ONLY' });
  const attackMs = Date.now() - started;
  const leaks = found.filter((l) => l.enforced);
  print(`disclosure: ${leaks.length} recoverable withheld cells on the demo (must be 0), of which ${leaks.filter((l) => l.measure === 'cost_eur' && l.attack === 'interval').length} euro amounts bounded within ±1 %`);
  print(`BENCH su_withheld_pct ${Number(stats!.withheld_pct).toFixed(1)}`);
  print(`BENCH su_complementary_per_primary ${(Number(stats!.complementary) / Number(stats!.primary)).toFixed(3)}`);
  print(`BENCH su_care_only_per_primary ${(Number(stats!.care_only) / Number(stats!.primary)).toFixed(3)}`);
  print(`BENCH disclosure_step_ms ${stepMs}`);
  print(`BENCH disclosure_attack_ms ${attackMs}`);
}
