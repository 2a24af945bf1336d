import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { nationalCounties, nationalOrganisation, scaleYears } from '../../bench/scale.js';
import { withPeakChildRss } from '../../bench/process-tree.js';
import { fromRoot } from '../../pipelines/paths.js';
import { parseOrganisation } from '../../pipelines/regions/organisation.js';
import { demoMunicipalities } from '../../pipelines/demo/service-use-extracts.js';

describe('the scale bench national scenario', () => {
  const counties = nationalCounties();
  const codes = new Set(counties.map((c) => c.code));

  it('has the 22 organisers of 2023 and about 300 municipalities', () => {
    expect(counties).toHaveLength(22);
    expect(counties.map((c) => c.name)).toContain('Helsingin kaupunki');
    expect(counties.map((c) => c.name)).not.toContain('Ahvenanmaa');
    const municipalities = demoMunicipalities(codes);
    expect(municipalities.length).toBeGreaterThan(280);
    expect(municipalities.length).toBeLessThan(300);
  });

  it('grows the demo organisation model to every county and 1 000 units, valid under the organisation schema', () => {
    const file = fromRoot('config/organisation.yaml');
    const demo = parseYaml(readFileSync(file, 'utf8'));
    const members = (county: string) => (county === '90' ? ['091'] : ['005', '009']);
    const { model, copies } = nationalOrganisation(demo, counties, members);
    const parsed = parseOrganisation(stringifyYaml(model), 'national.yaml');
    const wellbeing = parsed.organisations.filter((o) => o.type === 'wellbeing_county');
    expect(wellbeing).toHaveLength(22);
    expect(parsed.units).toHaveLength(1_000);
    expect(new Set(parsed.units.map((u) => u.code)).size).toBe(1_000);
    expect(copies).toHaveLength(1_000 - demo.units.length);
    // Every unit's service area exists and belongs to a county.
    const areas = new Set(parsed.service_areas.map((a) => a.code));
    expect(parsed.units.every((u) => areas.has(u.service_area))).toBe(true);
    expect(new Set(copies.map((c) => c.template))).toEqual(new Set(demo.units.map((u: { code: string }) => u.code)));
  });

  it('takes 10 years of service use unless SCALE_SERVICE_USE_YEARS says fewer', () => {
    expect(scaleYears({})).toEqual({ from: 2016, to: 2025 });
    expect(scaleYears({ SCALE_SERVICE_USE_YEARS: '2' })).toEqual({ from: 2024, to: 2025 });
    expect(() => scaleYears({ SCALE_SERVICE_USE_YEARS: '0' })).toThrow(/SCALE_SERVICE_USE_YEARS/);
  });
});

describe('the build memory peak', () => {
  it('sums the children and names the one holding the memory', async () => {
    // A child that holds about 200 MB for a second.
    const { peakMb, atPeak } = await withPeakChildRss(
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(200e6, 1); setTimeout(() => b.length, 1500)']);
          child.on('error', reject);
          child.on('exit', () => resolve());
        }),
      100,
    );
    expect(peakMb).toBeGreaterThan(180);
    expect(atPeak[0]?.command).toMatch(/node/);
    expect(atPeak[0]!.mb).toBeGreaterThan(180);
  });
});
