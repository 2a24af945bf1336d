import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS modules shared with the Svelte components
import { inputEntry, selectedValue } from '../../components/url-state.js';
// @ts-expect-error: plain JS module of tj-evidence-offline
import { INPUTS_ELEMENT_ID, inputsScript, restoreInputs } from '../../evidence-offline/prerendered-inputs.js';

// Evidence's SDK ships TypeScript sources that do not type-check under our settings: loaded by a name tsc does not follow.
const SDK_USQL = '@evidence-dev/sdk/usql';
type ReactiveFactory = (text: string, opts?: { noResolve?: boolean }) => void;
const { setTrackProxy, Query } = (await import(/* @vite-ignore */ SDK_USQL)) as {
  setTrackProxy: (defaults: Record<string, string>) => Record<string, any>;
  Query: { createReactive: (reactive: { callback: (q: any) => void; execFn: (sql: string) => unknown }, opts: { id: string }) => ReactiveFactory };
};

/** The page's inputs as Evidence's layout makes them. */
const pageInputs = () => setTrackProxy({ label: '', value: '(SELECT NULL WHERE 0 /* An Input has not been set */)' });

/** The JSON inside the script element inputsScript writes. */
const payload = (script: string) => {
  const m = new RegExp(`^<script type="application/json" id="${INPUTS_ELEMENT_ID}">(.*)</script>$`, 's').exec(script);
  expect(m, script).not.toBeNull();
  return m![1]!;
};

describe('prerendered dropdown selections (evidence-offline/prerendered-inputs.js)', () => {
  it('carries what the dropdowns chose at prerender into the browser inputs, typed as chosen (a year stays a number)', () => {
    const prerendered = pageInputs();
    prerendered.county = inputEntry({ value: 'pohjois-pohjanmaan-hyvinvointialue', label: 'Pohjois-Pohjanmaan hyvinvointialue' });
    prerendered.year = inputEntry({ value: 2025, label: 2025 });
    // a query read an input no dropdown set: not carried
    expect(String(prerendered.municipality.value)).toContain('An Input has not been set');

    const text = payload(inputsScript(prerendered, '/toteutus/'));
    const browser = pageInputs();
    expect(restoreInputs(browser, text, '/toteutus')).toEqual(['county', 'year']);
    expect(selectedValue(browser, 'county')).toBe('pohjois-pohjanmaan-hyvinvointialue');
    expect(selectedValue(browser, 'year')).toBe(2025);
    expect(`${browser.county.value} ${browser.year.value}`).toBe('pohjois-pohjanmaan-hyvinvointialue 2025');
    expect(browser.county.rawValues).toEqual(prerendered.county.rawValues);
    expect(selectedValue(browser, 'municipality')).toBeUndefined();
  });

  it('restores nothing on another page (a client-side navigation), from no element or from broken text', () => {
    const prerendered = pageInputs();
    prerendered.area = inputEntry({ value: 'oulunkaari', label: 'Oulunkaari' });
    const text = payload(inputsScript(prerendered, '/ennakointi/'));
    const browser = pageInputs();
    expect(restoreInputs(browser, text, '/toteutus/')).toEqual([]);
    expect(restoreInputs(browser, null, '/ennakointi/')).toEqual([]);
    expect(restoreInputs(browser, '{"path":', '/ennakointi/')).toEqual([]);
    expect(selectedValue(browser, 'area')).toBeUndefined();
  });

  it('escapes < so that a label cannot close the script element', () => {
    const prerendered = pageInputs();
    prerendered.unit = inputEntry({ value: 'x', label: '</script><b>' });
    const script = inputsScript(prerendered, '/yksikot/');
    expect(script.indexOf('</script>')).toBe(script.length - '</script>'.length);
    const browser = pageInputs();
    restoreInputs(browser, payload(script), '/yksikot/');
    expect(browser.unit.label).toBe('</script><b>');
  });
});

describe('a reactive query in the prerender (patch to @evidence-dev/sdk Query.createReactive)', () => {
  it('takes the new query at once when its inputs change, so the page renders the rows of the chosen values', () => {
    const ran: string[] = [];
    let shown: any;
    const factory = Query.createReactive(
      { callback: (q) => (shown = q), execFn: (sql: string) => (ran.push(sql), sql.includes('DESCRIBE') ? [{ column_name: 'n', column_type: 'INTEGER' }] : sql.includes('COUNT(*)') ? [{ rowCount: 1 }] : [{ n: sql.includes("'b'") ? 2 : 1 }]) },
      { id: 'tiles' },
    );
    factory(`select 1 as n where 'a' = 'a'`);
    expect(shown.dataLoaded).toBe(true);
    expect(shown[0].n).toBe(1);
    factory(`select 2 as n where 'b' = 'b'`);
    // synchronously, as the prerender renders the rest of the page right after the dropdown changed the input
    expect(shown.dataLoaded).toBe(true);
    expect(shown[0].n).toBe(2);
    expect(ran.some((sql) => sql.includes("'b'"))).toBe(true);
  });
});
