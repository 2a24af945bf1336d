import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../pipelines/config.js';
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
    expect(cfg.site).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(cfg.warehouse.path).toBe('data/w.duckdb');
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
  });
});
