import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { BUNDLE_INPUTS, bundleFingerprint, forgetBundles, KIT_VERSION, keptBundles, recordBundles } from '../../pipelines/site-bundles.js';
import { nameDataFilesByContent } from '../../pipelines/site-prerender.js';
import { evidenceEnv } from '../../pipelines/site.js';
import { tempDir } from '../helpers/tmp.js';

/** A copy of everything of this project that reaches the bundles, so that a test may change it. */
function copyBundleInputs(root: string): void {
  for (const input of [...BUNDLE_INPUTS, 'node_modules/@sveltejs/kit/package.json'].filter((f) => existsSync(fromRoot(f)))) {
    mkdirSync(dirname(join(root, input)), { recursive: true });
    cpSync(fromRoot(input), join(root, input), { recursive: true, dereference: true });
  }
}

describe('the fingerprint of what reaches the bundles', () => {
  it('changes with a page, a component, a setting Vite compiles in, a patch or a package version; not with the data', () => {
    const tmp = tempDir('tj-fingerprint-');
    try {
      const root = tmp.dir;
      copyBundleInputs(root);
      const env = evidenceEnv(join(root, 'a.duckdb'), { PATH: process.env.PATH });
      const base = bundleFingerprint(env, root);
      expect(base).toMatch(/^[0-9a-f]{64}$/);
      // the data: another warehouse file, its date, the connection (a MotherDuck token), a process variable
      const otherData = evidenceEnv(join(root, 'b.duckdb'), { PATH: '/bin', EVIDENCE_SOURCE__warehouse__token: 't0k' });
      expect(bundleFingerprint(otherData, root)).toBe(base);

      const changed: Record<string, string> = {};
      const edit = (name: string, file: string, text: string) => {
        const before = readFileSync(join(root, file));
        appendFileSync(join(root, file), text);
        changed[name] = bundleFingerprint(env, root);
        writeFileSync(join(root, file), before);
        expect(bundleFingerprint(env, root), `${name} undone`).toBe(base);
      };
      edit('page', 'reports/index.md', '\nUusi kappale.\n');
      edit('component', 'components/fi-format.js', '\n// x\n');
      edit('svelte config', 'svelte.config.js', '\n// x\n');
      edit('evidence config', 'evidence.config.yaml', '\n# x\n');
      edit('evidence-offline', 'evidence-offline/site.js', '\n// x\n');
      edit('patch', 'patches/@evidence-dev+component-utilities+4.0.13.patch', '\n');
      edit('installed packages', 'node_modules/.package-lock.json', ' ');
      const kitPackage = join(root, 'node_modules/@sveltejs/kit/package.json');
      const kit = readFileSync(kitPackage, 'utf8');
      writeFileSync(kitPackage, kit.replace(`"version": "${KIT_VERSION}"`, '"version": "2.99.0"'));
      changed['kit version'] = bundleFingerprint(env, root);
      writeFileSync(kitPackage, kit);
      changed['an .env file'] = (() => {
        writeFileSync(join(root, '.env'), 'VITE_X=1\n');
        const f = bundleFingerprint(env, root);
        rmSync(join(root, '.env'));
        return f;
      })();
      changed['a new page'] = (() => {
        writeFileSync(join(root, 'reports', 'uusi.md'), '# Uusi\n');
        return bundleFingerprint(env, root);
      })();
      changed['site language'] = bundleFingerprint(evidenceEnv(join(root, 'a.duckdb'), { PATH: process.env.PATH }, { name: 'X', language: 'sv' }), root);
      changed['a VITE_ variable'] = bundleFingerprint({ ...env, VITE_EVIDENCE_DEBUG: 'true' }, root);
      changed['a PUBLIC_ variable'] = bundleFingerprint({ ...env, PUBLIC_X: '1' }, root);
      changed['NODE_ENV'] = bundleFingerprint({ ...env, NODE_ENV: 'development' }, root);
      for (const [name, fingerprint] of Object.entries(changed)) expect(fingerprint, name).not.toBe(base);
      expect(new Set(Object.values(changed)).size).toBe(Object.keys(changed).length);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the kept bundles', () => {
  function output(root: string): { outputDir: string; recordFile: string } {
    const outputDir = join(root, 'output');
    for (const [file, text] of Object.entries({
      'server/index.js': 'export const Server = 1;',
      'server/manifest-full.js': 'export const manifest = {};',
      'server/nodes/0.js': 'export {};',
      'client/_app/immutable/entry/start.abc123.js': 'start();',
      'client/_app/version.json': '{"version":"1"}',
      'client/data/manifest.json': '{"renderedFiles":{}}',
    })) {
      mkdirSync(dirname(join(outputDir, file)), { recursive: true });
      writeFileSync(join(outputDir, file), text);
    }
    return { outputDir, recordFile: join(root, 'tj-bundles.json') };
  }

  it('are reused only with the same fingerprint, SvelteKit version and files; the data beside them may change', () => {
    const tmp = tempDir('tj-kept-');
    try {
      const { outputDir, recordFile } = output(tmp.dir);
      const opts = { outputDir, recordFile, kitVersion: KIT_VERSION };
      expect(keptBundles('f1', opts)).toEqual({ reuse: false, reason: 'no previous successful full build is recorded' });
      recordBundles('f1', outputDir, recordFile);
      expect(keptBundles('f1', opts)).toEqual({ reuse: true });
      // the data and the manifests that list them are written by every refresh
      writeFileSync(join(outputDir, 'client/data/manifest.json'), '{"renderedFiles":{"a":[]}}');
      writeFileSync(join(outputDir, 'server/manifest-full.js'), 'export const manifest = {assets:1};');
      writeFileSync(join(outputDir, 'server/manifest.js'), 'export const manifest = {};');
      expect(keptBundles('f1', opts)).toEqual({ reuse: true });

      expect(keptBundles('f2', opts)).toEqual({ reuse: false, reason: 'a page, component, setting or package that reaches the bundles changed' });
      expect(keptBundles('f1', { ...opts, kitVersion: '2.9.0' })).toMatchObject({ reuse: false, reason: expect.stringMatching(/SvelteKit 2\.9\.0 is installed/) });
      expect(keptBundles('f1', { ...opts, kitVersion: undefined })).toMatchObject({ reuse: false, reason: expect.stringMatching(/SvelteKit missing/) });

      writeFileSync(join(outputDir, 'client/_app/immutable/entry/start.abc123.js'), 'start(2);');
      expect(keptBundles('f1', opts)).toMatchObject({ reuse: false, reason: expect.stringMatching(/changed since their build \(client\/_app\/immutable\/entry\/start/) });
      writeFileSync(join(outputDir, 'client/_app/immutable/entry/start.abc123.js'), 'start();');
      writeFileSync(join(outputDir, 'server/nodes/1.js'), 'export {};');
      expect(keptBundles('f1', opts)).toEqual({ reuse: false, reason: 'the kept bundles are not the files the build wrote' });

      forgetBundles(recordFile);
      expect(keptBundles('f1', opts)).toMatchObject({ reuse: false, reason: 'no previous successful full build is recorded' });
      writeFileSync(recordFile, '{"fingerprint":1}');
      expect(keptBundles('f1', opts)).toMatchObject({ reuse: false, reason: expect.stringMatching(/not a bundle record/) });
    } finally {
      tmp.cleanup();
    }
  });

  it('the data files get content-hashed names, as the Evidence CLI gives them after a build', () => {
    const tmp = tempDir('tj-datahash-');
    try {
      const dir = join(tmp.dir, 'data');
      mkdirSync(join(dir, 'warehouse', 'kpi'), { recursive: true });
      writeFileSync(join(dir, 'warehouse', 'kpi', 'kpi.parquet'), 'PAR1 data');
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ renderedFiles: { warehouse: ['static/data/warehouse/kpi/kpi.parquet', 'static/data/warehouse/gone/gone.parquet'] } }));
      expect(nameDataFilesByContent(dir)).toBe(1);
      const md5 = '1b9c12d4d7a9bb5d2d4c39a9b4ac1bd2'.length; // an md5 in hex
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { renderedFiles: { warehouse: string[] } };
      const [hashed, gone] = manifest.renderedFiles.warehouse;
      expect(hashed).toMatch(new RegExp(`^static/data/warehouse/kpi/[0-9a-f]{${md5}}/kpi\\.parquet$`));
      expect(gone).toBe('static/data/warehouse/gone/gone.parquet');
      expect(readFileSync(join(dir, hashed!.replace('static/data/', '')), 'utf8')).toBe('PAR1 data');
      expect(readFileSync(join(dir, 'manifest.json'), 'utf8').endsWith('}\n')).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });
});
