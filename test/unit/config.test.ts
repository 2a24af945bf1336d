import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../pipelines/settings/pipeline.js';
import { fromRoot } from '../../pipelines/paths.js';

const minimal = `
warehouse:
  path: data/w.duckdb
reference:
  municipality_key: a.csv
  population: b.csv
`;

describe('configuration', () => {
  it('parses a minimal file and fills defaults', () => {
    const cfg = parseConfig(minimal, 'x.yaml');
    expect(cfg.site).toEqual({ host: '127.0.0.1', port: 3000, name: 'Tiedolla johtaminen', language: 'fi' });
    expect(cfg.warehouse.path).toBe('data/w.duckdb');
  });

  it('the site frame: a language of the catalogue, a #rrggbb link colour', () => {
    const bad = minimal.concat('site:\n  language: de\n  link_colour: blue\n');
    expect(() => parseConfig(bad, 'bad.yaml')).toThrow(/site\.language[\s\S]*site\.link_colour: a colour as #rrggbb/);
    const sv = parseConfig(minimal.concat('site:\n  language: sv\n  name: Välfärdsområdet\n'), 'sv.yaml');
    expect(sv.site).toMatchObject({ language: 'sv', name: 'Välfärdsområdet' });
    // the organisation's primary and accent colours (issue 18): #rrggbb, optional
    expect(() => parseConfig(minimal.concat('site:\n  primary_colour: "#12345"\n  accent_colour: red\n'), 'c.yaml')).toThrow(
      /site\.primary_colour: a colour as #rrggbb[\s\S]*site\.accent_colour: a colour as #rrggbb/,
    );
    expect(parseConfig(minimal.concat('site:\n  primary_colour: "#0b3d6e"\n  accent_colour: "#f0a000"\n'), 'c.yaml').site).toMatchObject({
      primary_colour: '#0b3d6e',
      accent_colour: '#f0a000',
    });
  });

  it('names every wrong key with its path', () => {
    const text = minimal.replace('path: data/w.duckdb', 'path: ""').concat('site:\n  port: 99999\n  colour: red\n');
    try {
      parseConfig(text, 'bad.yaml');
      expect.unreachable('parseConfig accepted a bad file');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as Error).message;
      expect(message).toContain('bad.yaml');
      expect(message).toContain('warehouse.path');
      expect(message).toContain('site.port');
      expect(message).toMatch(/site: Unrecognized key.*colour/);
    }
  });

  it('one small-number threshold: disclosure.suppression_threshold; the old per-section keys say where it moved', () => {
    expect(parseConfig(minimal, 'x.yaml').disclosure.suppression_threshold).toBe(5);
    expect(parseConfig(`${minimal}disclosure:\n  suppression_threshold: 7\n`, 'x.yaml').disclosure.suppression_threshold).toBe(7);
    expect(loadConfig({}).disclosure.suppressionThreshold).toBe(5);
    for (const section of ['service_use', 'unit_data']) {
      expect(() => parseConfig(`${minimal}${section}:\n  suppression_threshold: 5\n`, 'old.yaml')).toThrow(
        new RegExp(`old\\.yaml[\\s\\S]*${section}\\.suppression_threshold: moved: set the one threshold as disclosure\\.suppression_threshold`),
      );
    }
    expect(() => parseConfig(`${minimal}disclosure:\n  suppression_threshold: 1\n`, 'x.yaml')).toThrow(/disclosure\.suppression_threshold/);
  });

  it('rejects YAML that does not parse, naming the file', () => {
    expect(() => parseConfig('warehouse: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml.*not valid YAML/s);
  });

  it('applies WAREHOUSE_PATH and PORT over the shipped file', () => {
    const cfg = loadConfig({ WAREHOUSE_PATH: '/tmp/elsewhere.duckdb', PORT: '4123' });
    expect(cfg.warehousePath).toBe('/tmp/elsewhere.duckdb');
    expect(cfg.site.port).toBe(4123);
    const relative = loadConfig({ WAREHOUSE_PATH: 'data/x.duckdb' });
    expect(relative.warehousePath).toBe(fromRoot('data/x.duckdb'));
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('the shipped file is valid and points at files that exist', () => {
    const cfg = loadConfig({});
    expect(existsSync(cfg.reference.municipalityKey)).toBe(true);
    expect(existsSync(cfg.reference.population)).toBe(true);
    expect(cfg.warehousePath).toBe(fromRoot('data/warehouse.duckdb'));
    expect(cfg.population.sources.map((s) => [s.name, s.kind, s.variant, s.format, existsSync(s.file!)])).toEqual([
      ['demo_history', 'history', 'toteutunut', 'json-stat2', true],
      ['demo_projection', 'projection', 'perus', 'csv', true],
    ]);
    expect(cfg.population.mainVariant).toBe('perus');
  });

  it('population sources: file or url (with an optional PxWeb query), defaults by kind and extension', () => {
    const text = `${minimal}population:
  sources:
    - { name: h, kind: history, url: "https://pxdata.stat.fi/x.px", query: { response: { format: csv } } }
    - { name: p, kind: projection, file: p.json, variant: muuttotase_0 }
`;
    const cfg = parseConfig(text, 'p.yaml');
    expect(cfg.population.main_variant).toBe('perus');
    expect(cfg.population.sources[0]?.query).toEqual({ response: { format: 'csv' } });
    const both = `${minimal}population:\n  sources:\n    - { name: x, kind: history, file: a.csv, url: "https://a.fi/x.px" }\n`;
    expect(() => parseConfig(both, 'both.yaml')).toThrow(/population\.sources\.0: give exactly one of file or url/);
    const queryWithFile = `${minimal}population:\n  sources:\n    - { name: x, kind: history, file: a.csv, query: {} }\n`;
    expect(() => parseConfig(queryWithFile, 'q.yaml')).toThrow(/population\.sources\.0\.query: query goes with url/);
    const twice = `${minimal}population:\n  sources:\n    - { name: x, kind: history, file: a.csv }\n    - { name: x, kind: projection, file: b.csv }\n`;
    expect(() => parseConfig(twice, 't.yaml')).toThrow(/population\.sources\.1\.name: source x is listed twice/);
  });
});
