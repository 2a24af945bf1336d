import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { loadOrganisation, OrganisationConfigError, parseOrganisation } from '../../pipelines/regions/organisation.js';

const shipped = fromRoot('config/organisation.yaml');

function problemsOf(text: string): string[] {
  try {
    parseOrganisation(text, 'config/organisation.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(OrganisationConfigError);
    return (e as OrganisationConfigError).problems;
  }
  throw new Error('expected an OrganisationConfigError');
}

describe('organisation model (config/organisation.yaml)', () => {
  it('ships the seed organisations with members and validity', () => {
    const org = loadOrganisation(shipped);
    const codes = org.organisations.map((o) => o.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'uusi-oulu',
        'lakeus',
        'oulunkaari',
        'oulun-etelainen',
        'kallio',
        'selanne',
        'kainuu',
        'pohjois-pohjanmaan-hyvinvointialue',
        'kainuun-hyvinvointialue',
      ]),
    );
    const lakeus = org.organisations.find((o) => o.code === 'lakeus');
    expect(lakeus?.members.map((m) => m.municipality).sort()).toEqual(['072', '244', '425', '436', '494', '859']);
    expect(lakeus?.valid_from).toBe('2011-01-01');
    const selanne = org.organisations.find((o) => o.code === 'selanne');
    expect(selanne?.parent).toBe('oulun-etelainen');
    expect(selanne?.members.map((m) => m.municipality)).toContain('691');
    const haukipudas = org.organisations.find((o) => o.code === 'uusi-oulu')?.members.find((m) => m.municipality === '084');
    expect(haukipudas?.valid_to).toBe('2012-12-31');
    expect(org.organisations.find((o) => o.code === 'pohjois-pohjanmaan-hyvinvointialue')?.region).toEqual({
      category: 'HYVINVOINTIALUE',
      code: '19',
    });
    // Service areas and units have their place (filled by later issues); every reference resolves.
    expect(Array.isArray(org.service_areas)).toBe(true);
    expect(Array.isArray(org.units)).toBe(true);
  });

  it('names every member by the code Statistics Finland gives it (Simo is 751; 845 is Tervola)', () => {
    // The embedded key (data/reference/statfi, years 2013-2026): code → names over the years.
    const [head, ...lines] = readFileSync(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'), 'utf8').trim().split(/\r?\n/);
    const cols = (head ?? '').split(',');
    const at = (name: string) => cols.indexOf(name);
    const names = new Map<string, Set<string>>();
    for (const line of lines) {
      const f = line.split(',');
      const code = f[at('municipality_code')] ?? '';
      names.set(code, (names.get(code) ?? new Set()).add(f[at('municipality_name_fi')] ?? ''));
    }
    const org = loadOrganisation(shipped);
    const checked: string[] = [];
    for (const o of org.organisations) {
      for (const m of o.members) {
        const validTo = m.valid_to ?? o.valid_to ?? '9999-12-31';
        if (validTo < '2013-01-01') continue; // merged away before the key starts (Haukipudas 084 …)
        expect(names.get(m.municipality), `${o.code}: ${m.municipality} ${m.name_fi}`).toContain(m.name_fi);
        checked.push(m.municipality);
      }
    }
    expect(checked.length).toBeGreaterThan(30);
    const oulunkaari = org.organisations.find((o) => o.code === 'oulunkaari');
    expect(oulunkaari?.members.map((m) => `${m.municipality} ${m.name_fi}`)).toEqual([
      '139 Ii', '615 Pudasjärvi', '889 Utajärvi', '785 Vaala', '751 Simo',
    ]);
    // Simo's social and health services moved to Lapland's county on 1.1.2023: a member only while Oulunkaari existed.
    expect(oulunkaari?.valid_to).toBe('2022-12-31');
  });

  it('names the file and the key of each problem', () => {
    const text = readFileSync(shipped, 'utf8')
      .replace('{ municipality: "072", name_fi: Hailuoto }', '{ municipality: "72x", name_fi: Hailuoto }')
      .replace('parent: oulun-etelainen\n    name_fi: Kallio', 'parent: oulun-etelaenen\n    name_fi: Kallio');
    const problems = problemsOf(text);
    expect(problems.some((p) => /^organisations\[3\] \(lakeus\)\.members\[1\]\.municipality: .*three-digit/.test(p))).toBe(true);
    expect(problems.some((p) => /^organisations\[6\] \(kallio\)\.parent: no organisation with code "oulun-etelaenen"/.test(p))).toBe(true);
    try {
      parseOrganisation(text, 'config/organisation.yaml');
    } catch (e) {
      expect((e as Error).message).toMatch(/^Invalid organisation model in config\/organisation\.yaml:/);
    }
  });

  it('checks dates, duplicates and references', () => {
    const problems = problemsOf(`
version: 1
organisations:
  - { code: a, type: collaboration_area, name_fi: A, valid_from: 2011-01-01, valid_to: 2010-12-31 }
  - code: a
    type: other
    name_fi: A2
    valid_from: 2011-01-01
    valid_to: 2012-12-31
    members:
      - { municipality: "564", valid_from: 2010-01-01 }
      - { municipality: "564", valid_to: 2013-12-31 }
service_areas:
  - { code: s, name_fi: S, organisation: nobody }
units:
  - { code: u, name_fi: U, service_area: nowhere }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'organisations[0] (a).valid_to: before valid_from',
        'organisations[1] (a).code: duplicate organisation code "a"',
        "organisations[1] (a).members[0].valid_from: before the organisation's valid_from 2011-01-01",
        "organisations[1] (a).members[1].valid_to: after the organisation's valid_to 2012-12-31",
        'service_areas[0] (s).organisation: no organisation with code "nobody"',
        'units[0] (u).service_area: no service area with code "nowhere"',
      ]),
    );
  });

  it('keeps the leading zero of an unquoted municipality code and refuses unknown keys', () => {
    const org = parseOrganisation(
      'version: 1\norganisations:\n  - { code: x, type: other, name_fi: X, valid_from: 2020-01-01, members: [{ municipality: 84 }] }\n',
      'f.yaml',
    );
    expect(org.organisations[0]?.members[0]?.municipality).toBe('084');
    expect(problemsOf('version: 1\norganisations:\n  - { code: x, type: other, name_fi: X, valid_from: 2020-01-01, colour: red }\n')[0]).toMatch(
      /^organisations\[0\] \(x\): Unrecognized key\(s\) in object: 'colour'/,
    );
    expect(problemsOf('version: [')[0]).toMatch(/not valid YAML/);
  });
});
