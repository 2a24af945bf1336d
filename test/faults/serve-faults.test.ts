/**
 * `serve` as a real process (the CLI): local only without sign-in and saying so; with auth.oidc it refuses to start
 * without its secrets (exit 2 naming the key and the variable), and, started, sends every page to sign-in.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../pipelines/paths.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('tj-serve-faults-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  tmp.cleanup();
});

const warehouse = join(tmp.dir, 'w.duckdb');
mkdirSync(join(tmp.dir, 'site', 'current'), { recursive: true });
writeFileSync(join(tmp.dir, 'site', 'current', 'index.html'), '<!doctype html><html lang="fi"><body>Etusivu</body></html>');

/** The shipped configuration with auth.oidc set (or other changes). */
function configWith(name: string, change: (doc: Record<string, any>) => void): string {
  const doc = parse(readFileSync(join(projectRoot, 'config', 'pipeline.yaml'), 'utf8')) as Record<string, any>;
  change(doc);
  const file = join(tmp.dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

const withOidc = (extra: Record<string, unknown> = {}) =>
  configWith('oidc', (doc) => {
    doc.site.host = '127.0.0.1';
    doc.auth.oidc = {
      issuer: 'http://127.0.0.1:9/realms/none', // nothing listens: discovery fails, sign-in says so
      client_id: 'tiedolla-johtaminen',
      client_secret_env: 'TJ_FAULT_CLIENT_SECRET',
      redirect_url: 'https://kojelauta.example.fi/auth/callback',
      cookie_secret_env: 'TJ_FAULT_SESSION_SECRET',
      ...extra,
    };
  });

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('TJ_')));
  return { ...base, WAREHOUSE_PATH: warehouse, ...env };
}

const cliArgs = (args: string[]) => ['--import', 'tsx', join(projectRoot, 'pipelines', 'cli.ts'), ...args];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts `serve`; resolves with its stdout once it has printed the stop hint. */
function startServe(env: Record<string, string>): Promise<{ child: ChildProcess; stdout: string }> {
  const child = spawn(process.execPath, cliArgs(['serve']), { cwd: projectRoot, env: baseEnv(env) });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve({ child, stdout });
      }
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

describe('serve: local only without sign-in, sign-in when configured', () => {
  it('without auth.oidc: listens on 127.0.0.1 and says it is local only', async () => {
    const port = await freePort();
    const { child, stdout } = await startServe({ PORT: String(port) });
    expect(stdout).toContain(`Kojelaudat: http://127.0.0.1:${port}/`);
    expect(stdout).toMatch(/Vain tältä koneelta: kirjautuminen ei ole käytössä/);
    expect(stdout).toMatch(/Local only: no sign-in configured/);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Etusivu');
    child.kill('SIGTERM');
  });

  it('a non-loopback host without auth.oidc: exit 2 naming site.host', () => {
    const file = configWith('open', (doc) => (doc.site.host = '0.0.0.0'));
    const r = spawnSync(process.execPath, cliArgs(['serve']), { cwd: projectRoot, env: baseEnv({ TJ_CONFIG: file }), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/site\.host: "0\.0\.0\.0" is not a loopback address: without sign-in \(auth\.oidc\)/);
  });

  it('with auth.oidc but no secrets in the environment: exit 2 naming the keys and variables, no stack', () => {
    const r = spawnSync(process.execPath, cliArgs(['serve']), { cwd: projectRoot, env: baseEnv({ TJ_CONFIG: withOidc() }), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/oidc\.yaml/);
    expect(r.stderr).toMatch(/auth\.oidc\.cookie_secret_env: the environment variable TJ_FAULT_SESSION_SECRET/);
    expect(r.stderr).toMatch(/auth\.oidc\.client_secret_env: the environment variable TJ_FAULT_CLIENT_SECRET is not set/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a secret written into the file: validate-config exits 2 and never prints it', () => {
    const file = withOidc({ client_secret: 'the-secret-value-123' });
    const r = spawnSync(process.execPath, cliArgs(['validate-config']), { cwd: projectRoot, env: baseEnv({ TJ_CONFIG: file }), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/auth\.oidc\.client_secret: secrets are not read from the configuration file/);
    expect(r.stderr + r.stdout).not.toContain('the-secret-value-123');
  });

  it('with auth.oidc and its secrets: every page goes to sign-in; an unreachable provider is a Finnish 502', async () => {
    const port = await freePort();
    const secret = 'x'.repeat(40);
    const { child, stdout } = await startServe({
      TJ_CONFIG: withOidc(),
      PORT: String(port),
      TJ_FAULT_SESSION_SECRET: secret,
      TJ_FAULT_CLIENT_SECRET: 'client-secret-value',
    });
    expect(stdout).toMatch(/Kirjautuminen: OpenID Connect, http:\/\/127\.0\.0\.1:9\/realms\/none \(julkinen osoite https:\/\/kojelauta\.example\.fi\/\)/);
    expect(stdout).toMatch(/Varoitus: kirjautumispalvelu ei vastaa/);
    expect(stdout).not.toContain(secret);
    const page = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/auth/login?next=%2F');
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(502);
    expect(await login.text()).toContain('Kirjautumispalvelu ei juuri nyt vastaa');
    child.kill('SIGTERM');
  });
});
