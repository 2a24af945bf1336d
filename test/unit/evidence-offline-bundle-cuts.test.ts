import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, preprocess } from 'svelte/compiler';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { DEV_ONLY_ROUTES, leaveOutDevRoutes } from 'tj-evidence-offline/dev-routes.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { iconImports, inlineIcons, tablerIcons } from 'tj-evidence-offline/icon-imports.js';

const coreComponents = join(process.cwd(), 'node_modules', '@evidence-dev', 'core-components', 'dist');

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svelte')).map((f) => join(dir, f));
}

describe('tj-evidence-offline/icon-imports: Tabler icons as data instead of the 2.5 MB barrel', () => {
  const icons = tablerIcons();

  it('reads every icon of the installed package as its data', () => {
    expect(icons.size).toBeGreaterThan(3000);
    const down = JSON.parse(icons.get('ChevronDown')!) as { default: { a: Record<string, string>; path: { d: string }[] } };
    expect(down.default.a.class).toContain('icon-tabler-chevron-down');
    expect(down.default.path.length).toBeGreaterThan(0);
  });

  it('rewrites named and renamed imports into constants with the same data, leaving the rest of the script', () => {
    const code = `import { onMount } from 'svelte';\n\timport { ChevronUp, ChevronDown as Down } from '@steeze-ui/tabler-icons';\nlet x = 1;`;
    const out = inlineIcons(code, icons, 'X.svelte');
    expect(out).not.toContain('@steeze-ui/tabler-icons');
    expect(out).toContain(`import { onMount } from 'svelte';`);
    expect(out).toContain(`const ChevronUp = ${icons.get('ChevronUp')};`);
    expect(out).toContain(`const Down = ${icons.get('ChevronDown')};`);
    expect(out).toContain('let x = 1;');
  });

  it('fails naming the file and the icon when the package has no such icon', () => {
    expect(() => inlineIcons(`import { NoSuchIcon } from "@steeze-ui/tabler-icons";`, icons, 'Y.svelte')).toThrow(
      "Y.svelte: @steeze-ui/tabler-icons has no icon 'NoSuchIcon'",
    );
  });

  it("leaves no import of the barrel in any of Evidence's components, which still compile", async () => {
    const pre = iconImports();
    let rewritten = 0;
    for (const file of svelteFiles(coreComponents)) {
      const source = readFileSync(file, 'utf8');
      if (!source.includes('@steeze-ui/tabler-icons')) continue;
      const { code } = await preprocess(source, [pre], { filename: file });
      rewritten++;
      expect(code, file).not.toContain('@steeze-ui/tabler-icons');
      expect(() => compile(code, { filename: file, generate: 'dom' }), file).not.toThrow();
    }
    expect(rewritten).toBeGreaterThanOrEqual(19);
  });
});

describe('tj-evidence-offline/dev-routes: Evidence dev-only routes left out of a production build', () => {
  const root = mkdtempSync(join(tmpdir(), 'tj-dev-routes-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const template = (name: string) => {
    const dir = join(root, name, '.evidence', 'template');
    for (const route of [...DEV_ONLY_ROUTES, 'api', 'indikaattorit']) {
      mkdirSync(join(dir, 'src', 'pages', route), { recursive: true });
      writeFileSync(join(dir, 'src', 'pages', route, '+page.svelte'), '<p/>');
    }
    return dir;
  };

  it('removes settings/ and explore/ from the template Evidence builds in, and nothing else', () => {
    const dir = template('build');
    expect(leaveOutDevRoutes(dir, { EVIDENCE_IS_BUILDING: 'true' }).sort()).toEqual(['explore', 'settings']);
    expect(readdirSync(join(dir, 'src', 'pages')).sort()).toEqual(['api', 'indikaattorit']);
  });

  it('keeps them under evidence dev, and never touches a folder that is not the Evidence template', () => {
    const dev = template('dev');
    expect(leaveOutDevRoutes(dev, {})).toEqual([]);
    expect(existsSync(join(dev, 'src', 'pages', 'settings'))).toBe(true);
    const project = join(root, 'dev');
    mkdirSync(join(project, 'src', 'pages', 'settings'), { recursive: true });
    expect(leaveOutDevRoutes(project, { EVIDENCE_IS_BUILDING: 'true' })).toEqual([]);
    expect(existsSync(join(project, 'src', 'pages', 'settings'))).toBe(true);
  });
});
