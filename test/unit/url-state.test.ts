import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module shared with the Svelte components
import { findOption, inputEntry, selectedValue } from '../../components/url-state.js';

// Evidence's SDK ships TypeScript sources that do not type-check under our settings: loaded by a name tsc does not follow.
const SDK_USQL = '@evidence-dev/sdk/usql';
const { setTrackProxy } = (await import(/* @vite-ignore */ SDK_USQL)) as { setTrackProxy: (defaults: Record<string, string>) => Record<string, any> };

/** The page's inputs as Evidence makes them: a tracking proxy (an unset input reads as "not set" SQL). */
const pageInputs = () => setTrackProxy({ label: '', value: '(SELECT NULL WHERE 0 /* An Input has not been set */)' });

describe('URL state of a page selection (components/url-state.js)', () => {
  it('reads no selection from unset inputs, and creates no input by reading', () => {
    const inputs = pageInputs();
    expect(selectedValue(inputs, 'area')).toBeUndefined();
    expect('area' in inputs).toBe(false);
  });

  it('an entry written as a Dropdown writes it is the selection, typed as the option (a year stays a number)', () => {
    const inputs = pageInputs();
    inputs.year = inputEntry({ value: 2020, label: 2020 });
    inputs.area = inputEntry({ value: 'oulunkaari', label: 'Oulunkaari' });
    expect(selectedValue(inputs, 'year')).toBe(2020);
    expect(selectedValue(inputs, 'area')).toBe('oulunkaari');
    // the SQL text the page's queries interpolate: strings unquoted (the pages quote them), numbers as digits
    expect(`${inputs.area.value} ${inputs.year.value}`).toBe('oulunkaari 2020');
    expect(inputs.area.label).toBe('Oulunkaari');
    expect(inputs.area.rawValues).toEqual([{ value: 'oulunkaari', label: 'Oulunkaari', idx: 0, __auto: true, selected: true }]);
  });

  it('finds the option of a URL value by its text among the rows, with its label; none for an unknown value', () => {
    const rows = [
      { org_id: 'kainuu', label: 'Kainuu' },
      { org_id: 'oulunkaari', label: 'Oulunkaari' },
    ];
    expect(findOption(rows, 'oulunkaari', 'org_id', 'label')).toEqual({ value: 'oulunkaari', label: 'Oulunkaari' });
    expect(findOption([{ year: 2021 }, { year: 2020 }], '2020', 'year', 'year')).toEqual({ value: 2020, label: 2020 });
    expect(findOption(rows, 'lakeus', 'org_id', 'label')).toBeUndefined();
    expect(findOption(undefined, 'lakeus', 'org_id', 'label')).toBeUndefined();
    expect(findOption([{ org_id: null, label: 'x' }], 'null', 'org_id', 'label')).toBeUndefined();
  });
});
