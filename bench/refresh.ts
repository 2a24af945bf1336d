import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { selectJobs } from '../pipelines/jobs/index.js';
import { createLogger } from '../pipelines/log.js';
import { projectRoot } from '../pipelines/paths.js';
import { runJobs } from '../pipelines/runner.js';
import { buildSite, evidenceEnv, type BuildTimings } from '../pipelines/site.js';

const quiet = createLogger(() => {});

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/**
 * Baseline: a stock-style one-page Evidence project (one DuckDB source with one small table, one page with a
 * BigValue and a LineChart), `evidence sources` + `evidence build`, with the same installed packages.
 */
async function stockOnePageBuild(): Promise<number> {
  // Inside the project folder, so that Node and Vite find the same node_modules without symlinks.
  const project = join(projectRoot, '.bench', 'stock-one-page');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'pages'), { recursive: true });
  mkdirSync(join(project, 'sources', 'demo'), { recursive: true });
  cpSync(join(projectRoot, 'evidence.config.yaml'), join(project, 'evidence.config.yaml'));
  // Like Evidence's template: the Evidence packages as dependencies (Vite decides what to bundle from them).
  const ours = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const dependencies = Object.fromEntries(Object.entries(ours.dependencies).filter(([name]) => name.startsWith('@evidence-dev/')));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'stock-one-page', private: true, type: 'module', dependencies }));
  writeFileSync(join(project, 'sources', 'demo', 'connection.yaml'), 'name: demo\ntype: duckdb\noptions:\n  filename: ":memory:"\n');
  writeFileSync(
    join(project, 'sources', 'demo', 'numbers.sql'),
    'select range as year, 1000 + range * 7 as value from range(2000, 2023)\n',
  );
  writeFileSync(
    join(project, 'pages', 'index.md'),
    '# One page\n\n```sql numbers\nselect * from demo.numbers\n```\n\n<BigValue data={numbers} value=value />\n\n<LineChart data={numbers} x=year y=value />\n',
  );
  const env = { ...evidenceEnv(':memory:'), EVIDENCE_SOURCE__warehouse__filename: undefined };
  const bin = join(projectRoot, 'node_modules', '.bin', 'evidence');
  const started = performance.now();
  try {
    await run(bin, ['sources'], project, env);
    await run(bin, ['build:strict'], project, env);
    return (performance.now() - started) / 1000;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/** Every pipeline job on `warehousePath` (the service-use extracts from `dropDir`), then sources + the site. */
async function demoRefresh(
  warehousePath: string,
  dropDir: string,
  config: ResolvedConfig,
  fullBuild: boolean,
  print: (line: string) => void,
): Promise<{ seconds: number; kind: BuildTimings['kind'] }> {
  const started = performance.now();
  const summaries = await runJobs(selectJobs('all'), { config: { ...config, warehousePath, serviceUse: { ...config.serviceUse, dropDir } }, log: quiet });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`demo refresh failed: ${failed.map((s) => `${s.job}: ${s.message}`).join('; ')}`);
  const jobsS = (performance.now() - started) / 1000;
  // the build's own lines on what it ran and why (sources: which queries, the checksums' time; data-only or full)
  const said = createLogger((line) => /evidence sources|site build|site precompressed/.test(line) && print(`  ${line}`));
  const { kind, sourcesMs, buildMs, sources, finishMs } = await buildSite({ warehousePath, log: said, fullBuild });
  // where the time goes (not BENCH lines): each job, then `evidence sources` and the site build
  print(`  jobs ${jobsS.toFixed(1)} s (${summaries.map((s) => `${s.job} ${(s.durationMs / 1000).toFixed(1)}`).join(', ')}); sources ${(sourcesMs / 1000).toFixed(1)} s (queries: ${Array.isArray(sources) ? sources.join(' ') || 'none changed' : sources}); ${kind} site build ${(buildMs / 1000).toFixed(1)} s (of it language, preloads, brotli/gzip ${(finishMs / 1000).toFixed(1)} s)`);
  return { seconds: (performance.now() - started) / 1000, kind };
}

/**
 * The monthly refresh as operators run it: a previous build exists, the pipelines bring new data (the newest demo
 * extract arrives in the drop folder and is imported into the same warehouse), the site is refreshed, data-only
 * when no page, component or setting changed (docs/operations.md, "A data-only refresh"): `refresh_s` /
 * `refresh_ratio`. The previous build is itself measured as a full refresh (every job into a fresh warehouse from
 * the other extracts, `evidence build:strict`): `refresh_full_s` / `refresh_full_ratio`, the refresh as it was
 * before, so that nothing is hidden.
 */
export async function runRefreshBench(dir: string, config: ResolvedConfig, print: (line: string) => void): Promise<void> {
  const baseline = await stockOnePageBuild();
  print(`stock one-page Evidence build (sources + build): ${baseline.toFixed(1)} s`);
  const dropDir = join(dir, 'service-use');
  cpSync(config.serviceUse.dropDir, dropDir, { recursive: true });
  const newest = readdirSync(dropDir).sort().at(-1)!;
  renameSync(join(dropDir, newest), join(dir, newest));
  const warehousePath = join(dir, 'warehouse.duckdb');
  const full = await demoRefresh(warehousePath, dropDir, config, true, print);
  print(`full refresh (pipelines into a new warehouse + sources + evidence build:strict): ${full.seconds.toFixed(1)} s`);
  renameSync(join(dir, newest), join(dropDir, newest));
  const monthly = await demoRefresh(warehousePath, dropDir, config, false, print);
  print(`monthly refresh (${newest} arrives; pipelines + sources + ${monthly.kind} site build): ${monthly.seconds.toFixed(1)} s`);
  if (monthly.kind !== 'data-only') print('the monthly refresh fell back to a full build: see the build log for why');
  print(`BENCH refresh_baseline_s ${baseline.toFixed(1)}`);
  print(`BENCH refresh_s ${monthly.seconds.toFixed(1)}`);
  print(`BENCH refresh_ratio ${(monthly.seconds / baseline).toFixed(2)}`);
  print(`BENCH refresh_full_s ${full.seconds.toFixed(1)}`);
  print(`BENCH refresh_full_ratio ${(full.seconds / baseline).toFixed(2)}`);
}
