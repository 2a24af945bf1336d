// Evidence's prerender renders each page a second time only for the pages whose route uses inputs
// (evidence-offline/prerender-inputs.js, called from Evidence's template layout through the patch).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module of the Evidence offline module
import { needsInputsPass, rememberInputsPass } from 'tj-evidence-offline/prerender-inputs.js';
import { projectRoot } from '../../pipelines/paths.js';

const evidence = (path: string) => join(projectRoot, 'node_modules', '@evidence-dev', path);
// Evidence's own set-tracking proxy, the `inputs` every page gets
const { setTrackProxy } = await import(pathToFileURL(evidence('sdk/src/usql/setTrackProxy/setTrackProxy.js')).href);
const freshInputs = () => setTrackProxy({ label: '', value: '(SELECT NULL WHERE 0 /* An Input has not been set */)' });

describe('the inputs pass of the prerender', () => {
  it('a route whose first page reads or sets no input skips the pass for its other pages', () => {
    expect(needsInputsPass('/yksikot/[unit]', true)).toBe(true);
    rememberInputsPass('/yksikot/[unit]', freshInputs(), true);
    expect(needsInputsPass('/yksikot/[unit]', true)).toBe(false);
  });

  it('a page that reads an input (a query with ${inputs.x}) keeps the pass for its route', () => {
    const inputs = freshInputs();
    expect(String(inputs.alue.value)).toContain('An Input has not been set');
    rememberInputsPass('/alueet/[area]', inputs, true);
    expect(needsInputsPass('/alueet/[area]', true)).toBe(true);
  });

  it('a page whose dropdown sets its default keeps the pass for its route', () => {
    const inputs = freshInputs();
    inputs.vuosi = { value: '2025', label: '2025' };
    rememberInputsPass('/toteutus', inputs, true);
    expect(needsInputsPass('/toteutus', true)).toBe(true);
  });

  it('under `evidence dev` (not building) every page keeps the pass', () => {
    rememberInputsPass('/tila', freshInputs(), false);
    expect(needsInputsPass('/tila', false)).toBe(true);
    rememberInputsPass('/vaesto', freshInputs(), true);
    expect(needsInputsPass('/vaesto', false)).toBe(true);
  });

  it("Evidence's template layout asks before the pass and reports after it (patch applied)", () => {
    const layout = readFileSync(evidence('evidence/template/src/pages/+layout.js'), 'utf8');
    expect(layout).toMatch(/!is_dummy_page && needsInputsPass\(route\.id, building\)\) \{\n\t\tdummy_pages\.set/);
    expect(layout).toMatch(/dummy_pages\.delete\(url\.pathname\);\n\t\trememberInputsPass\(route\.id, inputs, building\);/);
  });
});
