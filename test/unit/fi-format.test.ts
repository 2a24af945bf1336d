import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
// @ts-expect-error: plain JS module shared with the Svelte components
import { formatDateFi, formatNumberFi, MISSING } from '../../components/fi-format.js';

const nbsp = '\u00a0';

describe('Finnish formatting for the dashboards', () => {
  it('groups thousands with a no-break space and uses a decimal comma', () => {
    expect(formatNumberFi(416543)).toBe(`416${nbsp}543`);
    expect(formatNumberFi(1234.5, 1)).toBe(`1${nbsp}234,5`);
    expect(formatNumberFi(0.125, 2)).toBe('0,13');
    expect(formatNumberFi(12n)).toBe('12');
    expect(formatNumberFi(-1500)).toBe(`−1${nbsp}500`);
  });

  it('shows a dash, never 0 or blank, for missing values', () => {
    for (const v of [null, undefined, '', Number.NaN, 'abc']) expect(formatNumberFi(v)).toBe(MISSING);
    expect(formatNumberFi(0)).toBe('0');
  });

  it('formats dates as d.m.yyyy in Helsinki time', () => {
    expect(formatDateFi(new Date('2026-11-23T12:00:00Z'))).toBe('23.11.2026');
    // 22:30 UTC on 31 Dec is already 1 Jan in Helsinki
    expect(formatDateFi('2022-12-31T22:30:00Z')).toBe('1.1.2023');
    expect(formatDateFi(null)).toBe(MISSING);
    expect(formatDateFi('not a date')).toBe(MISSING);
  });

  it('follows the site language of the build (VITE_TJ_LANGUAGE): Swedish as Finnish, English with , and .', () => {
    const inLanguage = (language: string) =>
      execFileSync(
        process.execPath,
        ['--input-type=module', '-e', "const f = await import('./components/fi-format.js'); console.log(f.formatNumberFi(-1234.5, 1) + '|' + f.formatDateFi('2026-11-23T12:00:00Z'))"],
        { cwd: fromRoot('.'), env: { ...process.env, VITE_TJ_LANGUAGE: language }, encoding: 'utf8' },
      ).trim();
    expect(inLanguage('fi')).toBe(`−1${nbsp}234,5|23.11.2026`);
    expect(inLanguage('sv')).toBe(`−1${nbsp}234,5|23.11.2026`);
    expect(inLanguage('en')).toBe('-1,234.5|23/11/2026');
  });
});
