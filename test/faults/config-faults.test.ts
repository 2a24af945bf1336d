/**
 * Issue 13, smaller items: `validate-config` (the real CLI, a real process) exits 2 naming the key for mistakes that
 * used to pass and fail later with exit 1: missing alias or specialty files, a bad DuckDB memory_limit, a cron
 * expression that never fires; and a site host that would expose the site to the network.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../pipelines/paths.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('tj-config-faults-');
afterAll(() => tmp.cleanup());

/** The shipped configuration with one key changed. */
function variant(name: string, path: string[], value: unknown): string {
  const doc = parse(readFileSync(join(projectRoot, 'config', 'pipeline.yaml'), 'utf8')) as Record<string, unknown>;
  let node = doc;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
  const file = join(tmp.dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

function cli(args: string[], env: Record<string, string>) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'pipelines', 'cli.ts'), ...args], {
    cwd: projectRoot,
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const validate = (configFile: string) => cli(['validate-config'], { TJ_CONFIG: configFile, WAREHOUSE_PATH: join(tmp.dir, 'w.duckdb') });

describe('validate-config catches what used to fail later', () => {
  const cases: [string, string[], unknown, RegExp][] = [
    ['aliases', ['service_use', 'aliases'], 'config/no-such-aliases.yaml', /service_use\.aliases: cannot read the service-use alias file .*no-such-aliases\.yaml/],
    ['specialties', ['service_use', 'specialties'], 'config/no-such-specialties.csv', /service_use\.specialties: .*no-such-specialties\.csv: cannot open the file/],
    ['memory', ['service_use', 'duckdb', 'memory_limit'], 'lots', /service_use\.duckdb\.memory_limit: a size such as 1GB/],
    ['cron', ['jobs', 'sotkanet', 'schedule'], '0 3 30 2 *', /jobs\.sotkanet\.schedule: cron expression "0 3 30 2 \*" never fires/],
    ['host', ['site', 'host'], '0.0.0.0', /site\.host: "0\.0\.0\.0" is not a loopback address/],
    ['roadmap', ['scorecard', 'roadmap'], 'config/no-such-roadmap.yaml', /Invalid roadmap .*no-such-roadmap\.yaml:\n {2}- cannot read the file/],
  ];
  for (const [name, path, value, message] of cases) {
    it(`${path.join('.')}: ${String(value)} → exit 2 naming the key`, () => {
      const r = validate(variant(name, path, value));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    });
  }

  it('the shipped configuration passes', () => {
    const r = validate(join(projectRoot, 'config', 'pipeline.yaml'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Configuration OK');
  });
});

describe('a warehouse folder that cannot be written', () => {
  // /sys is read-only even for root (so this also holds where the tests run as root, unlike chmod).
  it('gives a message naming the path and what to check (exit 2), not a stack trace', () => {
    const r = cli(['run', 'regions'], { WAREHOUSE_PATH: `/sys/kernel/tj-test-${process.pid}/warehouse.duckdb` });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^cannot write: .*\/sys\/kernel\/tj-test-\d+/m);
    expect(r.stderr).toContain('Check that the warehouse folder (WAREHOUSE_PATH or warehouse.path in config/pipeline.yaml) exists, is writable');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
