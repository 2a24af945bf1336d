#!/usr/bin/env -S npx tsx
/**
 * The one command-line entry: `npm run pipeline -- <command>`.
 * Exit codes (docs/operations.md): 0 success, 1 a job, data check or build failed, 2 bad usage or configuration,
 * 3 skipped because another process holds the warehouse lock, 4 interrupted (SIGTERM/SIGINT).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, requireKnownJobs, type ResolvedConfig } from './settings/pipeline.js';
import { importerFor, mirrorFor, resolveUserPath, UsageError } from './importers.js';
import { JOBS, UnknownJobError } from './jobs/index.js';
import { loadOrganisation, OrganisationConfigError } from './regions/organisation.js';
import { checkSotkanetMeasures, loadRegistry, RegistryError } from './scorecard/registry.js';
import { ForesightConfigError } from './settings/foresight.js';
import { readForesightInputs } from './foresight/build.js';
import { loadTargets, TargetsError } from './scorecard/targets.js';
import { loadRoadmapChecked, RoadmapError } from './roadmap/config.js';
import { loadContracts, ContractFileError } from './contracts/contract.js';
import { MARTS_DOC, martsDoc } from './contracts/doc.js';
import { COMMENTARY_TEMPLATE, writeCommentaryTemplate } from './commentary/template.js';
import { BoardPackError, boardPackDir, writeBoardPacks } from './ops/board-pack.js';
import { createLogger } from './log.js';
import { redactSecrets } from './safe-text.js';
import { projectRoot } from './paths.js';
import type { Job } from './jobs/job.js';
import { CommandExit, defaultOpsCli, describeOps, refreshFromCli, registerOpsCommands, registerRunCommand, runCommand, type RunOptions } from './ops/commands.js';
import { acquireLock, LockedError } from './ops/lock.js';
import { opsPaths, publishedWarehouse } from './ops/publish.js';
import { EXIT } from './ops/refresh.js';
import { serviceUseFileProblems } from './service-use/aliases.js';
import { buildSite, ensurePagesLink, evidenceEnv, servedSiteDir, serveSite } from './site.js';
import { accessGateFromEnv, type AccessGate } from './auth/access-gate.js';

export { EXIT };

const log = createLogger();
/** Operations wiring (pipelines/ops): the real job registry, Evidence, progress on a terminal. */
const opsCli = () => defaultOpsCli(JOBS, config, log);
/** What Evidence reads: the published copy (docs/operations.md, atomic publish), else the working warehouse. */
const evidenceWarehouse = (cfg: ResolvedConfig): string => publishedWarehouse(cfg.warehousePath) ?? cfg.warehousePath;

class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

let loaded: ResolvedConfig | undefined;
/**
 * The configuration, read and validated once per process, on first use (so `--help` and `jobs` work with a broken
 * file); the job names its `jobs:` section uses are checked here, at the edge, against the registry.
 */
function config(): ResolvedConfig {
  return (loaded ??= requireKnownJobs(loadConfig(), JOBS.map((j) => j.name)));
}

async function runTarget(target: string, opts: RunOptions = {}): Promise<void> {
  await runCommand(opsCli(), target, opts);
}

/** Through the warehouse lock, the data checks and the atomic publish (pipelines/ops/refresh.ts). */
async function runJobList(jobs: readonly Job[], cfg: ResolvedConfig, label = 'import'): Promise<void> {
  await refreshFromCli(opsCli(), jobs, cfg, { label });
}

async function withLock(cfg: ResolvedConfig, command: string) {
  try {
    return await acquireLock(cfg.warehousePath, { command, waitMs: cfg.ops.scheduler.lockWaitMs });
  } catch (e) {
    if (e instanceof LockedError) throw new CommandExit(`${command}: skipped: ${e.message}`, EXIT.locked);
    throw e;
  }
}

/** The sign-in gate (auth.oidc, secrets from the environment), or null: then the site is for this machine only. */
const gateFor = (cfg: ResolvedConfig) => accessGateFromEnv(cfg.auth, cfg.file, process.env, log);

async function serve(cfg: ResolvedConfig, gate: AccessGate | null): Promise<void> {
  // The published site (data/site/current, followed across switches), else ./build from `build-site`.
  const site = await serveSite(servedSiteDir(opsPaths(cfg.warehousePath).siteDir), cfg.site.host, cfg.site.port, gate ?? undefined);
  if (gate) {
    const problem = await gate.check();
    process.stdout.write(
      `\nKojelaudat: ${site.url}\nKirjautuminen: OpenID Connect, ${cfg.auth?.oidc?.issuer} (julkinen osoite ${new URL(cfg.auth?.oidc?.redirectUrl ?? site.url).origin}/)\n` +
        (problem ? `Varoitus: kirjautumispalvelu ei vastaa (${problem}); yritetään uudelleen kirjauduttaessa.\n` : ''),
    );
  } else {
    process.stdout.write(
      `\nKojelaudat: ${site.url}\nVain tältä koneelta: kirjautuminen ei ole käytössä (auth.oidc), joten palvelin kuuntelee vain osoitetta ${cfg.site.host}.\n` +
        `Local only: no sign-in configured (auth.oidc in ${cfg.file}, docs/operations.md).\n`,
    );
  }
  process.stdout.write('(Ctrl+C lopettaa / stops)\n');
  const stop = () => void site.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function buildProgram(): Command {
  const program = new Command('pipeline')
    .description('Tiedolla johtaminen: pipelines into the DuckDB warehouse, and the Evidence dashboards')
    .showHelpAfterError()
    .exitOverride();

  registerRunCommand(program, JOBS, runTarget);

  program
    .command('import')
    .argument('<source>', 'the source: sotkanet, service-use')
    .argument('<paths...>', 'what to import (sotkanet: one mirror directory; service-use: extract files)')
    .description('load files of a source with no network (then rebuild the marts)')
    .action(async (source: string, paths: string[]) => {
      const importer = importerFor(source);
      const cfg = config();
      await runJobList(importer.jobs(paths.map((p) => resolveUserPath(p)), cfg), cfg, `import ${source}`);
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
      const fileProblems = serviceUseFileProblems(cfg.serviceUse);
      if (fileProblems.length) throw new ConfigError(cfg.file, fileProblems);
      const org = loadOrganisation(cfg.organisation.file);
      process.stdout.write(`Configuration OK: ${cfg.file}\nwarehouse: ${cfg.warehousePath}\n`);
      process.stdout.write(`Organisation model OK: ${cfg.organisation.file} (${org.organisations.length} organisations)\n`);
      const registry = loadRegistry(cfg.scorecard.indicators);
      checkSotkanetMeasures(registry, cfg.sotkanet.indicators.map((i) => i.id));
      const targets = loadTargets(cfg.scorecard.targets, registry, new Set([...org.organisations, ...org.service_areas, ...org.units].map((o) => o.code)));
      process.stdout.write(`Indicator registry OK: ${cfg.scorecard.indicators} (${registry.indicators.length} indicators), targets OK: ${cfg.scorecard.targets} (${targets.length})\n`);
      const roadmap = loadRoadmapChecked(cfg.scorecard.roadmap, org.organisations.map((o) => o.code), registry);
      process.stdout.write(`Roadmap OK: ${cfg.scorecard.roadmap} (${roadmap.organisations.length} organisations)\n`);
      process.stdout.write(`Sotkanet: ${cfg.sotkanet.mode === 'online' ? cfg.sotkanet.baseUrl : cfg.sotkanet.mirrorDir} (${cfg.sotkanet.indicators.length} indicators)\n`);
      const foresight = readForesightInputs(cfg.foresight, cfg.population.mainVariant);
      process.stdout.write(
        `Foresight OK: horizon ${cfg.foresight.horizon}, ${cfg.foresight.rateAssumptions.length} rate assumptions; ` +
          `scenarios OK: ${cfg.foresight.scenarios} (${foresight.scenarios.scenarios.map((s) => s.code).join(', ')}); ` +
          `national rates OK: ${cfg.foresight.nationalRates}\n`,
      );
      process.stdout.write(describeOps(cfg));
    });

  program
    .command('write-docs')
    .description(`write ${MARTS_DOC} from the marts' contracts (pipelines/sql/marts/*.yml) and the commentary template`)
    .action(async () => {
      writeFileSync(join(projectRoot, MARTS_DOC), martsDoc(loadContracts()));
      process.stdout.write(`${MARTS_DOC} written\n`);
      const wrote = await writeCommentaryTemplate(join(projectRoot, COMMENTARY_TEMPLATE));
      process.stdout.write(`${COMMENTARY_TEMPLATE} ${wrote ? 'written' : 'unchanged'}\n`);
    });

  program
    .command('build-site')
    .description('evidence sources + evidence build from the published warehouse (else the working one), into ./build')
    .action(async () => {
      const cfg = config();
      // Evidence always builds into ./build: one build at a time (the scheduler's rebuilds hold the same lock).
      const lock = await withLock(cfg, 'build-site');
      try {
        await buildSite({ warehousePath: evidenceWarehouse(cfg), log, frame: cfg.site.frame });
      } finally {
        lock.release();
      }
    });

  program
    .command('board-pack')
    .description('print the board report /raportti/<org> of a period to PDF (chromium) into data/board-packs/<org>/<period>.pdf')
    .option('--org <id>', 'one organisation (an org_id of marts.scorecard_organisations); default every county and area')
    .option('--period <period>', 'YYYY or YYYY-MM; default each organisation\'s latest period')
    .action(async (opts: { org?: string; period?: string }) => {
      const cfg = config();
      try {
        const packs = await writeBoardPacks({
          warehousePath: evidenceWarehouse(cfg),
          siteDir: servedSiteDir(opsPaths(cfg.warehousePath).siteDir),
          outDir: boardPackDir(cfg.warehousePath),
          org: opts.org,
          period: opts.period,
          log,
        });
        for (const p of packs) process.stdout.write(`${p.file}\n`);
      } catch (e) {
        if (e instanceof BoardPackError) throw new ExitError(e.message, EXIT.usage);
        throw e;
      }
    });

  program
    .command('serve')
    .description('serve the built dashboards: on 127.0.0.1, or with OpenID Connect sign-in (auth.oidc) (PORT overrides the port)')
    .action(async () => {
      const cfg = config();
      await serve(cfg, gateFor(cfg));
    });

  program
    .command('start')
    .description('the demo: run all jobs, build the dashboards and serve them')
    .action(async () => {
      const cfg = config();
      const gate = gateFor(cfg); // a missing secret stops here, before the long run
      // Run, check, publish, build the site into data/site/<time>/ and switch data/site/current to it.
      await runTarget('all', { buildSite: true });
      await serve(cfg, gate);
    });

  program
    .command('dev')
    .description('evidence dev (live-reloading pages from reports/) on the current warehouse')
    .action(async () => {
      ensurePagesLink();
      const child = spawn(join(projectRoot, 'node_modules', '.bin', 'evidence'), ['dev', '--host', '127.0.0.1'], {
        cwd: projectRoot,
        env: evidenceEnv(evidenceWarehouse(config()), process.env, config().site.frame),
        stdio: 'inherit',
      });
      await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    });

  registerOpsCommands(program, opsCli);
  return program;
}

/**
 * A folder the pipeline cannot write (a read-only or foreign warehouse folder, a full disk): a message naming the path
 * and what to check, not a stack trace. Node's errors carry a code; DuckDB's say it in words.
 */
function filesystemProblem(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  const byCode = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(err?.code ?? '');
  if (!byCode && !/Permission denied|Read-only file system|Operation not permitted|No space left/i.test(err?.message ?? '')) return null;
  return `cannot write: ${err.message.split('\n')[0]}\nCheck that the warehouse folder (WAREHOUSE_PATH or warehouse.path in config/pipeline.yaml) exists, is writable by this user and has free space.`;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ConfigError || e instanceof UnknownJobError || e instanceof UsageError || e instanceof OrganisationConfigError || e instanceof RegistryError || e instanceof TargetsError || e instanceof RoadmapError || e instanceof ForesightConfigError || e instanceof ContractFileError) {
      process.stderr.write(`${redactSecrets(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof CommandExit) {
      process.stderr.write(`${redactSecrets(e.message)}\n`);
      return e.code;
    }
    if (e instanceof ExitError) {
      process.stderr.write(`${redactSecrets(e.message)}\n`);
      return e.code;
    }
    const fs = filesystemProblem(e);
    if (fs) {
      process.stderr.write(`${redactSecrets(fs)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${redactSecrets((e as Error).stack ?? String(e))}\n`);
    return EXIT.failed;
  }
}

const code = await main(process.argv);
if (code !== EXIT.ok) process.exit(code);
