import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { selectJobs } from '../pipelines/jobs/index.js';
import { createLogger } from '../pipelines/log.js';
import { projectRoot } from '../pipelines/paths.js';
import { runJobs } from '../pipelines/runner.js';
import { buildSite, evidenceEnv } from '../pipelines/site.js';

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

/** This project's demo refresh: every pipeline job into a fresh warehouse, then sources + build of all pages. */
async function demoRefresh(dir: string, config: ResolvedConfig): Promise<number> {
  const warehousePath = join(dir, 'warehouse.duckdb');
  const started = performance.now();
  const summaries = await runJobs(selectJobs('all'), { config: { ...config, warehousePath }, log: quiet });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`demo refresh failed: ${failed.map((s) => `${s.job}: ${s.message}`).join('; ')}`);
  await buildSite({ warehousePath, log: quiet });
  return (performance.now() - started) / 1000;
}

export async function runRefreshBench(dir: string, config: ResolvedConfig, print: (line: string) => void): Promise<void> {
  const baseline = await stockOnePageBuild();
  print(`stock one-page Evidence build (sources + build): ${baseline.toFixed(1)} s`);
  const refresh = await demoRefresh(dir, config);
  print(`demo refresh (pipelines + sources + build): ${refresh.toFixed(1)} s`);
  print(`BENCH refresh_baseline_s ${baseline.toFixed(1)}`);
  print(`BENCH refresh_s ${refresh.toFixed(1)}`);
  print(`BENCH refresh_ratio ${(refresh / baseline).toFixed(2)}`);
}
