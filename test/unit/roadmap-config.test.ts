/**
 * config/roadmap.yaml (pipelines/roadmap/config.ts): the shipped example parses against the real organisation
 * model and registry; every kind of problem is reported with the file and the key path, never the value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { fromRoot } from '../../pipelines/paths.js';
import { loadOrganisation } from '../../pipelines/regions/organisation.js';
import { loadRoadmap, parseRoadmap, quadrantOf, RoadmapError, type RoadmapRefs } from '../../pipelines/roadmap/config.js';
import { loadRegistry } from '../../pipelines/scorecard/registry.js';

const file = fromRoot('config/roadmap.yaml');
const registry = loadRegistry(fromRoot('config/indicators.yaml'));
const refs: RoadmapRefs = {
  organisations: new Set(loadOrganisation(fromRoot('config/organisation.yaml')).organisations.map((o) => o.code)),
  indicators: new Set(registry.indicators.map((i) => i.id)),
  threshold: registry.dualModel.threshold,
};

/** The shipped file with one change applied to its parsed document, as YAML text. */
function changed(edit: (doc: any) => void): string {
  const doc = parseYaml(readFileSync(file, 'utf8'));
  edit(doc);
  return stringify(doc);
}

function problems(text: string): string[] {
  try {
    parseRoadmap(text, file, refs);
  } catch (e) {
    expect(e).toBeInstanceOf(RoadmapError);
    return (e as RoadmapError).problems;
  }
  throw new Error('expected a RoadmapError');
}

describe('config/roadmap.yaml', () => {
  it('the shipped example is valid: every collaboration area, sub-area and both counties, labelled example, with a late milestone', () => {
    const roadmap = loadRoadmap(file, refs);
    expect(roadmap.is_example).toBe(true);
    expect(roadmap.organisations.map((o) => o.org).sort()).toEqual(
      ['kainuu', 'kainuun-hyvinvointialue', 'kallio', 'lakeus', 'oulun-etelainen', 'oulunkaari', 'pohjois-pohjanmaan-hyvinvointialue', 'selanne', 'uusi-oulu'].sort(),
    );
    for (const o of roadmap.organisations) {
      expect(new Set(o.objectives.map((x) => x.perspective)), o.org).toEqual(new Set(['customer', 'process', 'finance', 'competence']));
      expect(o.initiatives.length, o.org).toBeGreaterThan(0);
    }
    const late = roadmap.organisations.flatMap((o) => o.initiatives.flatMap((i) => i.milestones)).filter((m) => m.status !== 'valmis' && m.due < roadmap.status_as_of);
    expect(late.length).toBeGreaterThan(0);
  });

  it('a milestone due that is not a date names file and key path', () => {
    const p = problems(changed((d) => (d.organisations[2].initiatives[0].milestones[1].due = '31.6.2024')));
    expect(p).toEqual(['config/roadmap.yaml: organisations[2].initiatives[0].milestones[1].due: not a date']);
    // An impossible calendar date is not a date either.
    expect(problems(changed((d) => (d.organisations[0].initiatives[1].start = '2024-02-30')))).toEqual([
      'config/roadmap.yaml: organisations[0].initiatives[1].start: not a date',
    ]);
  });

  it('unknown references, a wrong quadrant, an end before the start and a bad status are each reported with the key path, never the value', () => {
    const p = problems(
      changed((d) => {
        d.organisations[1].org = 'SECRET-ORG';
        d.organisations[0].objectives[1].indicators[0] = 'no_such_indicator';
        d.organisations[3].initiatives[1].objectives = ['no-such-objective'];
        d.organisations[4].target_state = { quadrant: 'target', welfare_score: 40, cost_score: 70, target_year: 2022 };
      }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        'config/roadmap.yaml: organisations[0].objectives[1].indicators[0]: no indicator with this id in config/indicators.yaml',
        'config/roadmap.yaml: organisations[1].org: unknown organisation (not in config/organisation.yaml)',
        'config/roadmap.yaml: organisations[3].initiatives[1].objectives[0]: no objective with this id in this organisation',
        'config/roadmap.yaml: organisations[4].target_state.quadrant: the target point lies in quadrant health_gaps_grow (threshold 50)',
      ]),
    );
    // Schema problems are reported first (the references are checked on a valid document).
    const schema = problems(
      changed((d) => {
        d.organisations[5].initiatives[0].end = '2001-01-01';
        d.organisations[6].initiatives[0].milestones[0].status = 'SECRET-STATUS';
        d.organisations[7].objectives[0].perspective = 'context';
        d.organisations[0].target_state.cost_score = 120;
        d.organisations[0].objectives[0].extra = 1;
      }),
    );
    expect(schema).toEqual(
      expect.arrayContaining([
        'config/roadmap.yaml: organisations[5].initiatives[0].end: before start',
        'config/roadmap.yaml: organisations[6].initiatives[0].milestones[0].status: not one of valmis, käynnissä, aloittamatta',
        'config/roadmap.yaml: organisations[7].objectives[0].perspective: not one of customer, process, finance, competence',
        'config/roadmap.yaml: organisations[0].target_state.cost_score: above 100',
      ]),
    );
    expect(schema.some((x) => x.startsWith('config/roadmap.yaml: organisations[0].objectives[0]: ') && x.includes("'extra'"))).toBe(true);
    for (const x of [...p, ...schema]) expect(x).not.toMatch(/SECRET/);
  });

  // branch lang (issue 18): optional Swedish and English names under the Finnish name's rules
  it('names in Swedish and English are optional, follow the Finnish name\'s rules, and the example has every one', () => {
    const roadmap = loadRoadmap(file, refs);
    const named = roadmap.organisations.flatMap((o) => [...o.objectives, ...o.initiatives, ...o.initiatives.flatMap((i) => i.milestones)]);
    expect(named.length).toBe(90);
    expect(named.filter((x) => !x.name_sv || !x.name_en || x.name_sv === x.name_en)).toEqual([]);
    // missing is fine (the Finnish name is shown); empty or not text is an error naming the key path
    const without = parseRoadmap(changed((d) => delete d.organisations[0].initiatives[0].name_sv), file, refs);
    expect(without.organisations[0]!.initiatives[0]!.name_sv).toBeUndefined();
    expect(
      problems(
        changed((d) => {
          d.organisations[0].objectives[0].name_en = '  ';
          d.organisations[1].initiatives[0].milestones[1].name_sv = 42;
        }),
      ),
    ).toEqual([
      'config/roadmap.yaml: organisations[0].objectives[0].name_en: empty',
      'config/roadmap.yaml: organisations[1].initiatives[0].milestones[1].name_sv: Expected string, received number',
    ]);
  });

  it('broken YAML and a missing file name the file', () => {
    expect(problems('version: 1\norganisations: [\n')[0]).toMatch(/^config\/roadmap\.yaml: not valid YAML: .*line/);
    expect(() => loadRoadmap(fromRoot('config/no-such-roadmap.yaml'), refs)).toThrow(/no-such-roadmap\.yaml.*cannot read the file/s);
  });

  it('quadrants follow the threshold like the dual model', () => {
    expect(quadrantOf(50, 50, 50)).toBe('target');
    expect(quadrantOf(49.9, 49.9, 50)).toBe('drifting');
    expect(quadrantOf(70, 20, 50)).toBe('not_realistic');
    expect(quadrantOf(20, 70, 50)).toBe('health_gaps_grow');
  });
});
