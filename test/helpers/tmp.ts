import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { withDuckDB } from '../../pipelines/warehouse.js';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { fromRoot } from '../../pipelines/paths.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { defaultUnitData } from '../../pipelines/settings/unit-data.js';
import { defaultPlan } from '../../pipelines/settings/plan.js';
import { defaultCommentary } from '../../pipelines/settings/commentary.js';
import { defaultBoardPack } from '../../pipelines/settings/board-pack.js';
import { defaultDisclosure } from '../../pipelines/settings/disclosure.js';
import { defaultScorecard } from '../../pipelines/settings/scorecard.js';
import { loadConfig } from '../../pipelines/settings/pipeline.js';
import { OrganisationSection, RegionsSection, resolveOrganisationSection, resolveRegionsSection } from '../../pipelines/settings/regions.js';
import { resolveSotkanetSection, SotkanetSection } from '../../pipelines/settings/sotkanet.js';
import { defaultOps } from '../../pipelines/settings/ops.js';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'tj-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let shippedConfig: ResolvedConfig | undefined;
/** config/pipeline.yaml as shipped, read once, without environment overrides. */
const shipped = (): ResolvedConfig => (shippedConfig ??= loadConfig({}));

/** The shipped configuration with the warehouse moved to `warehousePath`. */
export function testConfig(warehousePath: string, overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    file: fromRoot('config/pipeline.yaml'),
    warehousePath,
    site: { host: '127.0.0.1', port: 0 },
    reference: {
      municipalityKey: fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'),
      population: fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv'),
      gridLayouts: fromRoot('data/reference/statfi/grid_*.csv'),
    },
    serviceUse: defaultServiceUse(),
    unitData: defaultUnitData(),
    plan: defaultPlan(),
    commentary: defaultCommentary(),
    boardPack: defaultBoardPack(),
    scorecard: defaultScorecard(),
    disclosure: defaultDisclosure(),
    // The shipped demo population sources and foresight settings (config/pipeline.yaml), no environment overrides.
    population: shipped().population,
    foresight: shipped().foresight,
    regions: resolveRegionsSection(RegionsSection.parse(undefined)),
    organisation: resolveOrganisationSection(OrganisationSection.parse(undefined)),
    // The demo mirror, offline; no environment overrides (tests never reach the real API).
    sotkanet: resolveSotkanetSection(SotkanetSection.parse(undefined), {}),
    // Operations at their defaults (no schedules, one attempt, 1 h timeout, no alerts).
    ops: defaultOps(),
    // No sign-in: serve stays on 127.0.0.1.
    auth: null,
    ...overrides,
  };
}

/** Opens a DuckDB file read-only, runs fn, closes it (like Evidence does). */
export function withReadOnly<T>(path: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withDuckDB(path, fn, { access_mode: 'READ_ONLY' });
}
