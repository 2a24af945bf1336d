#!/usr/bin/env -S npx tsx
/**
 * The one command-line entry: `npm run pipeline -- <command>`.
 * Exit codes: 0 success, 1 a job or build failed, 2 bad usage or configuration.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type ResolvedConfig } from './config.js';
import { importerFor, mirrorFor, resolveUserPath, UsageError } from './importers.js';
import { JOBS, selectJobs, UnknownJobError } from './jobs/index.js';
import { loadOrganisation, OrganisationConfigError } from './regions/organisation.js';
import { createLogger } from './log.js';
import { projectRoot } from './paths.js';
import { runJobs } from './runner.js';
import { BUILD_DIR, buildSite, ensurePagesLink, evidenceEnv, serveSite } from './site.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const log = createLogger();

class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function config(): ResolvedConfig {
  return loadConfig();
}

async function runTarget(target: string, opts: { force?: boolean } = {}): Promise<void> {
  const jobs = selectJobs(target);
  const cfg = config();
  if (opts.force) cfg.sotkanet.force = true;
  await runJobList(jobs, cfg);
}

async function runJobList(jobs: Parameters<typeof runJobs>[0], cfg: ResolvedConfig): Promise<void> {
  const summaries = await runJobs(jobs, { config: cfg, log });
  const failed = summaries.filter((s) => s.outcome === 'failed');
  if (failed.length) {
    throw new ExitError(failed.map((s) => `job ${s.job} failed: ${s.message}`).join('\n'), EXIT.failed);
  }
}

async function serve(cfg: ResolvedConfig): Promise<void> {
  const site = await serveSite(BUILD_DIR, cfg.site.host, cfg.site.port);
  process.stdout.write(`\nKojelaudat: ${site.url}\n(Ctrl+C lopettaa / stops)\n`);
  const stop = () => void site.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function buildProgram(): Command {
  const program = new Command('pipeline')
    .description('Tiedolla johtaminen: pipelines into the DuckDB warehouse, and the Evidence dashboards')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('run')
    .argument('<job>', `a job (${JOBS.map((j) => j.name).join(', ')}) or "all"`)
    .description('run a job, or all jobs in dependency order, into the warehouse')
    .option('--force', 'refetch Sotkanet indicators even when their data-updated has not changed')
    .action((target: string, opts: { force?: boolean }) => runTarget(target, opts));

  program
    .command('import')
    .argument('<source>', 'the source: sotkanet, service-use')
    .argument('<paths...>', 'what to import (sotkanet: one mirror directory; service-use: extract files)')
    .description('load files of a source with no network (then rebuild the marts)')
    .action(async (source: string, paths: string[]) => {
      const importer = importerFor(source);
      const cfg = config();
      await runJobList(importer.jobs(paths.map((p) => resolveUserPath(p)), cfg), cfg);
    });

  program
    .command('mirror')
    .argument('<source>', 'the source: sotkanet')
    .argument('<dir>', 'the mirror directory to write')
    .option('--force', 'refetch every indicator even when its data-updated has not changed')
    .description('save a source\'s raw responses as files for `import` (e.g. to move into an air-gapped network)')
    .action(async (source: string, dir: string, opts: { force?: boolean }) => {
      const mirror = mirrorFor(source);
      const cfg = config();
      if (opts.force) cfg.sotkanet.force = true;
      try {
        process.stdout.write(`${await mirror.run(resolveUserPath(dir), cfg, log)}\n`);
      } catch (e) {
        throw new ExitError(`mirror ${source} failed: ${(e as Error).message}`, EXIT.failed);
      }
    });

  program
    .command('jobs')
    .description('list the jobs')
    .action(() => {
      for (const j of JOBS) {
        process.stdout.write(`${j.name.padEnd(12)} ${j.description}${j.dependsOn.length ? ` (after ${j.dependsOn.join(', ')})` : ''}\n`);
      }
    });

  program
    .command('validate-config')
    .description('check the configuration file and exit')
    .action(() => {
      const cfg = config();
      const org = loadOrganisation(cfg.organisation.file);
      process.stdout.write(`Configuration OK: ${cfg.file}\nwarehouse: ${cfg.warehousePath}\n`);
      process.stdout.write(`Organisation model OK: ${cfg.organisation.file} (${org.organisations.length} organisations)\n`);
      process.stdout.write(`Sotkanet: ${cfg.sotkanet.mode === 'online' ? cfg.sotkanet.baseUrl : cfg.sotkanet.mirrorDir} (${cfg.sotkanet.indicators.length} indicators)\n`);
    });

  program
    .command('build-site')
    .description('evidence sources + evidence build from the warehouse marts, into ./build')
    .action(async () => {
      await buildSite({ warehousePath: config().warehousePath, log });
    });

  program
    .command('serve')
    .description('serve the built dashboards on 127.0.0.1 (PORT overrides the port)')
    .action(async () => serve(config()));

  program
    .command('start')
    .description('the demo: run all jobs, build the dashboards and serve them')
    .action(async () => {
      const cfg = config();
      await runTarget('all');
      await buildSite({ warehousePath: cfg.warehousePath, log });
      await serve(cfg);
    });

  program
    .command('dev')
    .description('evidence dev (live-reloading pages from reports/) on the current warehouse')
    .action(async () => {
      ensurePagesLink();
      const child = spawn(join(projectRoot, 'node_modules', '.bin', 'evidence'), ['dev', '--host', '127.0.0.1'], {
        cwd: projectRoot,
        env: evidenceEnv(config().warehousePath),
        stdio: 'inherit',
      });
      await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ConfigError || e instanceof UnknownJobError || e instanceof UsageError || e instanceof OrganisationConfigError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof ExitError) {
      process.stderr.write(`${e.message}\n`);
      return e.code;
    }
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failed;
  }
}

const code = await main(process.argv);
if (code !== EXIT.ok) process.exit(code);
