/**
 * `npm run bench -- scale`: a national deployment's size, built and served on this machine: the 22 wellbeing
 * counties (21 counties and Helsinki, about 290 municipalities, each county with its three service areas), 1 000
 * units with monthly unit data, 10 years (2016-2025; env SCALE_SERVICE_USE_YEARS fewer) of monthly service use of every municipality and the population
 * by age of every municipality. Prints the pipelines' time, `BENCH scale_build_s` (`evidence sources` + build),
 * `BENCH scale_build_ratio` (÷ the demo's build in the same run), the build's peak memory and the heaviest page
 * type's weight (`BENCH scale_page_bytes_max_kb`, shared assets cached; the front page's cold load beside it).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { fromRoot } from '../pipelines/paths.js';
import { writeDemoPopulation } from '../pipelines/demo/population.js';
import { writeNationalExtracts } from '../pipelines/demo/service-use-extracts.js';
import { demoBuild, measuredBuild, pageTypes, pageWeights, refreshInto } from './pages.js';

export const SCALE_UNITS = 1_000;
/**
 * The years of monthly service use: 10 (2016-2025). Env SCALE_SERVICE_USE_YEARS takes fewer (the last ones): ten
 * national years take about 18 min of pipelines (the disclosure step 10 of them) before the build (docs/performance.md).
 */
export function scaleYears(env: NodeJS.ProcessEnv = process.env): { from: number; to: number } {
  const years = Number(env.SCALE_SERVICE_USE_YEARS ?? 10);
  if (!Number.isInteger(years) || years < 1 || years > 10) throw new Error(`SCALE_SERVICE_USE_YEARS: a whole number 1-10, not ${env.SCALE_SERVICE_USE_YEARS}`);
  return { from: 2026 - years, to: 2025 };
}

interface County {
  code: string;
  slug: string;
  name: string;
}

/** The 22 organisers of 2023 (21 wellbeing counties and Helsinki), from the Sotkanet id map; not Ahvenanmaa. */
export function nationalCounties(): County[] {
  const lines = readFileSync(fromRoot('data/reference/sotkanet/wellbeing_counties_id_map.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines
    .map((l) => l.split(','))
    .filter(([, , , code]) => code !== '91')
    .map(([name, , , code]) => ({
      code: code!,
      name: name!,
      slug: name!
        .toLowerCase()
        .replace(/[äå]/g, 'a')
        .replace(/ö/g, 'o')
        .replace(/[^a-z0-9]+/g, '-'),
    }));
}

interface Unit {
  code: string;
  name_fi: string;
  service_area: string;
  municipality: string;
  valid_from?: string;
  valid_to?: string;
}

/**
 * The demo's organisation model grown to national size: every county missing from it (by its region reference),
 * three service areas for each, and units up to `units`: copies of the demo's units spread over the other counties'
 * municipalities, each copy reporting its template's monthly data. Returns the new units with their templates.
 */
export function nationalOrganisation(
  demo: { organisations: { code: string; region?: { code: string } }[]; service_areas: { code: string }[]; units: Unit[] },
  counties: County[],
  municipalitiesOf: (county: string) => string[],
  units = SCALE_UNITS,
): { model: typeof demo; copies: { code: string; template: string }[] } {
  const present = new Set(demo.organisations.map((o) => o.region?.code).filter(Boolean));
  const others = counties.filter((c) => !present.has(c.code));
  const kinds = [...new Set(demo.units.map((u) => u.service_area.replace(/^[a-z]+-/, '')))];
  const organisations = [
    ...demo.organisations,
    ...others.map((c) => ({ code: c.slug, type: 'wellbeing_county', name_fi: c.name, valid_from: '2023-01-01', valid_to: null, region: { category: 'HYVINVOINTIALUE', code: c.code } })),
  ];
  const serviceAreas = [
    ...demo.service_areas,
    ...others.flatMap((c) => kinds.map((k) => ({ code: `${c.slug}-${k}`, name_fi: `${k}, ${c.name}`, organisation: c.slug, valid_from: '2019-01-01' }))),
  ];
  const copies: { code: string; template: string }[] = [];
  const newUnits: Unit[] = [];
  for (let i = 0; i < units - demo.units.length; i++) {
    const county = others[i % others.length]!;
    const template = demo.units[i % demo.units.length]!;
    const members = municipalitiesOf(county.code);
    const n = Math.floor(i / others.length);
    const code = `${county.slug}-${n + 1}`;
    newUnits.push({
      ...template,
      code,
      name_fi: `Yksikkö ${n + 1}, ${county.name}`,
      service_area: `${county.slug}-${template.service_area.replace(/^[a-z]+-/, '')}`,
      municipality: members[n % members.length]!,
    });
    copies.push({ code, template: template.code });
  }
  return { model: { ...demo, organisations, service_areas: serviceAreas, units: [...demo.units, ...newUnits] }, copies };
}

/** The municipality codes of each wellbeing county in the 2025 key. */
function municipalitiesByCounty(): Map<string, string[]> {
  const [header, ...rows] = readFileSync(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  const [year, code, county] = ['year', 'municipality_code', 'hyvinvointialue_code'].map((c) => cols.indexOf(c)) as [number, number, number];
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const f = r.split(',');
    if (f[year] !== '2025') continue;
    out.set(f[county]!, [...(out.get(f[county]!) ?? []), f[code]!]);
  }
  return out;
}

/** Writes the national scenario's inputs under `dir` and returns the configuration that reads them. */
export async function nationalScenario(
  dir: string,
  base: ResolvedConfig,
  years = scaleYears(),
): Promise<{ config: ResolvedConfig; serviceUseRows: number }> {
  const counties = nationalCounties();
  const codes = new Set(counties.map((c) => c.code));
  const byCounty = municipalitiesByCounty();
  const demo = parseYaml(readFileSync(base.organisation.file, 'utf8'));
  const { model, copies } = nationalOrganisation(demo, counties, (c) => byCounty.get(c) ?? []);
  mkdirSync(dir, { recursive: true });
  const orgFile = join(dir, 'organisation.yaml');
  writeFileSync(orgFile, stringifyYaml(model));

  // Unit data: each copy reports its template's months (DuckDB copies the CSVs, no row loop here).
  const unitDir = join(dir, 'unit-data');
  mkdirSync(unitDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('create table copies (code varchar, template varchar)');
  const appender = await conn.createAppender('copies');
  for (const c of copies) {
    appender.appendVarchar(c.code);
    appender.appendVarchar(c.template);
    appender.endRow();
  }
  appender.closeSync();
  for (const file of readdirSync(base.unitData.dropDir).filter((f) => f.endsWith('.csv'))) {
    await conn.run(
      `copy (select * from read_csv($src, all_varchar = true)
             union all by name
             select d.* replace (c.code as unit_code) from read_csv($src, all_varchar = true) d join copies c on d.unit_code = c.template)
       to $dst (header, delimiter ',')`,
      { src: join(base.unitData.dropDir, file), dst: join(unitDir, file) },
    );
  }
  conn.closeSync();
  instance.closeSync();

  const serviceUseDir = join(dir, 'service-use');
  const serviceUseRows = writeNationalExtracts(serviceUseDir, codes, years.from, years.to);
  const populationDir = join(dir, 'population');
  writeDemoPopulation(populationDir, codes);
  const population = {
    ...base.population,
    sources: base.population.sources.map((s) => (s.file ? { ...s, file: join(populationDir, s.file.split('/').pop()!) } : s)),
  };
  const config: ResolvedConfig = {
    ...base,
    warehousePath: join(dir, 'warehouse.duckdb'),
    organisation: { ...base.organisation, file: orgFile },
    unitData: { ...base.unitData, dropDir: unitDir },
    // The warehouse connection's DuckDB memory limit (set by the service-use job, kept by the marts job): the demo's
    // 1 GB is not enough for the national marts ("failed to pin block", 29.11.2026).
    serviceUse: { ...base.serviceUse, dropDir: serviceUseDir, duckdb: { ...base.serviceUse.duckdb, memoryLimit: process.env.SCALE_MEMORY_LIMIT ?? '4GB' } },
    population,
    // The marts job's 20 min timeout is the demo's: ten national years on a busy 2-core machine took longer (the
    // job timed out after 1 200 s, 29.11.2026), so the scenario allows it 3 h (env SCALE_MARTS_TIMEOUT_MIN).
    ops: {
      ...base.ops,
      jobs: { ...base.ops.jobs, marts: { ...base.ops.jobs.marts!, timeoutMs: Number(process.env.SCALE_MARTS_TIMEOUT_MIN ?? 180) * 60_000 } },
    },
  };
  return { config, serviceUseRows };
}

/**
 * Env SCALE_WAREHOUSE / SCALE_DEMO_WAREHOUSE: warehouses already refreshed (the national one by `nationalScenario`,
 * the demo by `run all`), to measure the builds alone, e.g. when the pipelines ran before the build lock was free.
 */
export async function runScaleBench(dir: string, base: ResolvedConfig, print: (line: string) => void, env = process.env): Promise<void> {
  const demo = env.SCALE_DEMO_WAREHOUSE ? await measuredBuild(env.SCALE_DEMO_WAREHOUSE) : await demoBuild(dir, base);
  print(`demo build: ${demo.seconds.toFixed(1)} s, peak ${demo.peakMb} MB (${demo.atPeak})`);
  let warehousePath = env.SCALE_WAREHOUSE;
  if (!warehousePath) {
    let t = Date.now();
    const years = scaleYears(env);
    const { config, serviceUseRows } = await nationalScenario(join(dir, 'national'), base, years);
    print(`national scenario: 22 counties, ${SCALE_UNITS} units, ${serviceUseRows} monthly service-use rows ${years.from}-${years.to}, generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    await refreshInto(config);
    print(`national scenario: pipelines (run all) ${((Date.now() - t) / 1000).toFixed(1)} s`);
    warehousePath = config.warehousePath;
  }
  const national = await measuredBuild(warehousePath);
  print(`national build: ${national.atPeak}`);
  print(`BENCH scale_build_s ${national.seconds.toFixed(1)}`);
  print(`BENCH scale_build_ratio ${(national.seconds / demo.seconds).toFixed(2)}`);
  print(`BENCH scale_build_peak_rss_mb ${national.peakMb}`);
  await pageWeights(await pageTypes(warehousePath), print, undefined, 'scale_');
}
