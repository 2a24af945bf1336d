/**
 * The indicator registry and targets: the shipped files load; broken files give errors naming the file, the
 * indicator and the field; duplicate ids are rejected; targets are checked against the registry.
 */
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { checkSotkanetMeasures, loadRegistry, parseRegistry, periodStart, RegistryError } from '../../pipelines/scorecard/registry.js';
import { formulaText } from '../../pipelines/scorecard/load.js';
import { loadTargets, parseTargets, TargetsError } from '../../pipelines/scorecard/targets.js';

const FILE = 'indicators.yaml';

const indicator = (id: string, extra = '') => `
  - id: ${id}
    name_fi: Nimi
    name_sv: Namn
    name_en: Name
    description: Kuvaus
    perspective: finance
    levels: [strategic]
    unit: "%"
    decimals: 1
    formula: { numerator: unit.sickness_absence_days, denominator: unit.staff_days, factor: 100 }
    polarity: lower_is_better
    period_type: month
    org_types: [unit]
    source: Yksiköt
    attribution: "Lähde: yksiköt"
    owner: lähiesimies
    quality: { expected_periods: { from: "2019-01", to: null } }${extra}`;

const registryText = (indicators: string) => `version: 1
dual_model:
  welfare: [{ indicator: a }]
  cost: [{ indicator: a }]
indicators:${indicators}
`;

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RegistryError || e instanceof TargetsError) return e.problems;
    throw e;
  }
  throw new Error('expected an error');
}

describe('indicator registry', () => {
  it('ships at least 30 indicators over the four perspectives and the three levels', () => {
    const r = loadRegistry(fromRoot('config/indicators.yaml'));
    expect(r.indicators.length).toBeGreaterThanOrEqual(30);
    const perspectives = new Set(r.indicators.map((i) => i.perspective));
    for (const p of ['customer', 'process', 'finance', 'competence']) expect(perspectives).toContain(p);
    const levels = new Set(r.indicators.flatMap((i) => i.levels));
    expect([...levels].sort()).toEqual(['implementation', 'operational', 'strategic']);
    // Sotkanet, service-use and unit measures are all used
    const measures = r.indicators.map((i) => i.formula.measure ?? i.formula.numerator ?? '');
    expect(measures.some((m) => m.startsWith('sotkanet.'))).toBe(true);
    expect(measures.some((m) => m.startsWith('service_use.'))).toBe(true);
    expect(measures.some((m) => m.startsWith('unit.'))).toBe(true);
  });

  it('parses a valid entry with defaults', () => {
    const r = parseRegistry(registryText(indicator('a')), FILE);
    const a = r.indicators[0];
    expect(a?.trend).toEqual({ periods: 3, flat_pct: 1 });
    expect(a?.weight).toBe(1);
    expect(r.trafficLight).toEqual({ mode: 'relative', yellow: 10 });
    expect(formulaText(a!)).toBe('100 × unit.sickness_absence_days / unit.staff_days');
  });

  it('names the file, the indicator id and the field of a broken entry', () => {
    const text = registryText(indicator('a') + indicator('b').replace('polarity: lower_is_better', 'polarity: downwards'));
    const e = (() => {
      try {
        parseRegistry(text, '/x/config/indicators.yaml');
      } catch (err) {
        return err as Error;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(RegistryError);
    expect(e?.message).toContain('/x/config/indicators.yaml');
    expect(e?.message).toMatch(/indicator "b" \(indicators\[1\]\): field polarity:/);
  });

  it('reports a bad measure id, a bad period and a missing field with their paths', () => {
    const bad = indicator('b').replace('unit.sickness_absence_days', 'hilmo.visits').replace('    owner: lähiesimies\n', '');
    const badPeriod = indicator('c').replace('from: "2019-01"', 'from: "2019"');
    const p = problems(() => parseRegistry(registryText(indicator('a') + bad + badPeriod), FILE));
    expect(p.some((x) => /indicator "b".*field formula\.numerator: a measure id/.test(x))).toBe(true);
    expect(p.some((x) => /indicator "c".*field quality\.expected_periods\.from: not a month period/.test(x))).toBe(true);
    expect(p.some((x) => /indicator "b".*field owner: Required/.test(x))).toBe(true);
  });

  it('rejects measures the measure layer does not make, and Sotkanet indicators that are not loaded', () => {
    const bad = indicator('b').replace('unit.staff_days', 'unit.staff_weeks');
    const p = problems(() => parseRegistry(registryText(indicator('a') + bad), FILE));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^indicator "b" \(indicators\[1\]\): field formula\.denominator: unknown measure unit\.staff_weeks \(unit\.\* measures: staff_htv, /);
    const r = parseRegistry(registryText(indicator('a') + indicator('s').replace('{ numerator: unit.sickness_absence_days, denominator: unit.staff_days, factor: 100 }', '{ measure: sotkanet.1073 }')), FILE);
    expect(() => checkSotkanetMeasures(r, [1073])).not.toThrow();
    expect(problems(() => checkSotkanetMeasures(r, [127]))).toEqual([
      'indicator "s" (indicators[1]): field formula.measure: Sotkanet indicator 1073 is not loaded (add it to sotkanet.indicators in config/pipeline.yaml)',
    ]);
  });

  it('rejects a formula with both measure and numerator', () => {
    const bad = indicator('b').replace('formula: { numerator', 'formula: { measure: unit.visits, numerator');
    const p = problems(() => parseRegistry(registryText(indicator('a') + bad), FILE));
    expect(p.some((x) => /indicator "b".*field formula\.measure: give either measure/.test(x))).toBe(true);
  });

  it('rejects duplicate ids', () => {
    const p = problems(() => parseRegistry(registryText(indicator('a') + indicator('a')), FILE));
    expect(p).toEqual(['indicator "a" (indicators[1]): field id: duplicate id, already used by indicators[0]']);
  });

  it('checks that the dual model names registry indicators', () => {
    const text = registryText(indicator('a')).replace('cost: [{ indicator: a }]', 'cost: [{ indicator: nope }]');
    expect(problems(() => parseRegistry(text, FILE))).toEqual(['dual_model.cost[0].indicator: no indicator with id "nope"']);
  });

  it('takes one need index or a list of them (an ended series, then its successor), each a registry indicator', () => {
    const withNeed = (need: string) => registryText(indicator('a') + indicator('b')).replace('cost: [{ indicator: a }]', `cost: [{ indicator: a }]\n  need_index: ${need}`);
    expect(parseRegistry(withNeed('b'), FILE).dualModel.need_index).toEqual(['b']);
    expect(parseRegistry(withNeed('[a, b]'), FILE).dualModel.need_index).toEqual(['a', 'b']);
    expect(parseRegistry(registryText(indicator('a')), FILE).dualModel.need_index).toEqual([]);
    expect(problems(() => parseRegistry(withNeed('[b, nope]'), FILE))).toEqual(['dual_model.need_index[1]: no indicator with id "nope"']);
  });

  it('turns period labels into first days', () => {
    expect(periodStart('2024')).toBe('2024-01-01');
    expect(periodStart('2024-Q3')).toBe('2024-07-01');
    expect(periodStart('2024-03')).toBe('2024-03-01');
    expect(periodStart('2024-W01')).toBe('2024-01-01');
    expect(periodStart('2021-W01')).toBe('2021-01-04');
  });
});

describe('targets', () => {
  const registry = parseRegistry(
    registryText(indicator('a') + indicator('band').replace('polarity: lower_is_better', 'polarity: target_band')),
    FILE,
  );
  const targets = (entries: string) => `version: 1\ntargets:\n${entries}\n`;

  it('ships targets that validate against the shipped registry', () => {
    const r = loadRegistry(fromRoot('config/indicators.yaml'));
    const t = loadTargets(fromRoot('config/targets.yaml'), r);
    expect(t.length).toBeGreaterThan(30);
    expect(new Set(t.map((x) => x.indicatorId)).size).toBeGreaterThan(30);
  });

  it('resolves periods and bands', () => {
    const t = parseTargets(
      targets(`  - { indicator: a, org: kainuun-hyvinvointialue, from: "2023-01", target: 6.5 }
  - { indicator: band, org_type: unit, band: { low: 10, high: 12 } }`),
      'targets.yaml',
      registry,
    );
    expect(t[0]).toMatchObject({ indicatorId: 'a', orgId: 'kainuun-hyvinvointialue', periodFrom: '2023-01-01', periodTo: null, low: 6.5, high: 6.5 });
    expect(t[1]).toMatchObject({ indicatorId: 'band', orgType: 'unit', low: 10, high: 12 });
  });

  it('names the entry, the indicator and the field of every problem', () => {
    const p = problems(() =>
      parseTargets(
        targets(`  - { indicator: nope, target: 1 }
  - { indicator: a, band: { low: 1, high: 2 } }
  - { indicator: band, target: 3 }
  - { indicator: a, from: "2024", target: 1 }
  - { indicator: a, org: ei-ole, target: 1 }
  - { indicator: a, target: 1, band: { low: 1, high: 2 } }`),
        'targets.yaml',
        registry,
        new Set(['kainuun-hyvinvointialue']),
      ),
    );
    expect(p).toContain('targets[0] (indicator "nope"): field indicator: no indicator with this id in indicators.yaml');
    expect(p).toContain('targets[1] (indicator "a"): field band: only for polarity target_band; give target');
    expect(p).toContain('targets[2] (indicator "band"): field band: the indicator\'s polarity is target_band: give band {low, high}');
    expect(p).toContain('targets[3] (indicator "a"): field from: not a month period like the indicator\'s (2024)');
    expect(p).toContain('targets[4] (indicator "a"): field org: unknown organisation id "ei-ole"');
    expect(p).toContain('targets[5] (indicator "a"): field target: give exactly one of target and band');
  });

  it('rejects overlapping entries for the same scope', () => {
    const p = problems(() =>
      parseTargets(
        targets(`  - { indicator: a, to: "2023-12", target: 6 }
  - { indicator: a, from: "2023-06", target: 5 }`),
        'targets.yaml',
        registry,
      ),
    );
    expect(p).toEqual(['targets[1] (indicator "a"): field from: overlaps targets[0] for the same organisation scope']);
  });
});
