/** Real processes for the operations fault suite: the fixture CLI/scheduler with fake jobs, a temp warehouse. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../pipelines/paths.js';
import { opsPaths, readPointer } from '../../pipelines/ops/publish.js';
import { tempDir, withReadOnly } from '../helpers/tmp.js';

const FIXTURE = join(projectRoot, 'test', 'faults', 'fixtures', 'ops-cli.ts');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The shipped configuration with the operations sections replaced (so every other section stays valid). */
export function configText(warehouse: string, ops: Record<string, unknown>): string {
  const doc = parse(readFileSync(join(projectRoot, 'config', 'pipeline.yaml'), 'utf8')) as Record<string, unknown>;
  doc.warehouse = { path: warehouse };
  for (const key of ['scheduler', 'jobs', 'publish', 'alerts']) delete doc[key];
  return stringify({ ...doc, ...ops });
}

export function opsFixture(prefix: string) {
  const tmp = tempDir(prefix);
  const warehouse = join(tmp.dir, 'warehouse.duckdb');
  const configFile = join(tmp.dir, 'pipeline.yaml');
  const paths = opsPaths(warehouse);
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'ALERT_URL'));
    return { ...base, TJ_CONFIG: configFile, WAREHOUSE_PATH: warehouse, ...extra };
  };
  return {
    dir: tmp.dir,
    warehouse,
    paths,
    cleanup: tmp.cleanup,
    writeConfig(ops: Record<string, unknown>) {
      writeFileSync(configFile, configText(warehouse, ops));
    },
    writeRawConfig(text: string) {
      writeFileSync(configFile, text);
    },
    start(args: string[], extra: Record<string, string> = {}): ChildProcess {
      return spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
        cwd: projectRoot,
        env: env(extra),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
    run(args: string[], extra: Record<string, string> = {}): Promise<Result> {
      return finished(this.start(args, extra));
    },
    pointer: () => readPointer(warehouse),
    async runs(): Promise<Record<string, unknown>[]> {
      return withReadOnly(warehouse, async (conn) =>
        (await conn.runAndReadAll(
          `select job, trigger, attempt, outcome, message, batch_id from ops.runs order by started_at, job`,
        )).getRowObjectsJS(),
      );
    },
    lockExists: () => existsSync(`${warehouse}.lock`),
  };
}

export function finished(child: ChildProcess): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Polls until check() is truthy, or fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
