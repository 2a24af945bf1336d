/**
 * Selecting models of the SQL graph (pipelines/models/build.ts, `run marts --select …`): names, upstream (`+x`),
 * downstream (`x+`), layers, unknown names; and the marts job's graph (pipelines/jobs/mart-graph.ts) holds every
 * mart file exactly once, in an order that builds each after what it reads.
 */
import { describe, expect, it } from 'vitest';
import { martGraph } from '../../pipelines/jobs/mart-graph.js';
import { createLogger } from '../../pipelines/log.js';
import { type GraphNode, selectNodes } from '../../pipelines/models/build.js';
import { buildOrder, readModels } from '../../pipelines/models/graph.js';
import { testConfig } from '../helpers/tmp.js';

const node = (file: string, creates: string[], reads: string[]): GraphNode => ({
  file,
  creates,
  reads,
  code: file,
  views: false,
  run: async () => undefined,
});

// raw.a → staging.stg_b → intermediate.int_c → marts.d, marts.e; marts.f reads staging.stg_b alone.
const nodes = [
  node('staging/stg_b.sql', ['staging.stg_b'], ['raw.a']),
  node('intermediate/int_c.sql', ['intermediate.int_c'], ['staging.stg_b']),
  node('marts/d.sql', ['marts.d'], ['intermediate.int_c']),
  node('step:e', ['marts.e', 'intermediate.int_e'], ['intermediate.int_c', 'temp.lines']),
  node('marts/f.sql', ['marts.f'], ['staging.stg_b']),
];
const files = (select?: string) => [...selectNodes(nodes, select)].map((n) => n.file).sort();

describe('selecting models', () => {
  it('selects everything by default or with "all"', () => {
    expect(files()).toHaveLength(5);
    expect(files('all')).toHaveLength(5);
  });

  it('selects by mart, table, file stem, file and step name', () => {
    expect(files('d')).toEqual(['marts/d.sql']);
    expect(files('marts.d')).toEqual(['marts/d.sql']);
    expect(files('int_e')).toEqual(['step:e']);
    expect(files('e')).toEqual(['step:e']);
    expect(files('intermediate/int_c.sql, f')).toEqual(['intermediate/int_c.sql', 'marts/f.sql']);
  });

  it('adds upstream with a leading + and downstream with a trailing +', () => {
    expect(files('+d')).toEqual(['intermediate/int_c.sql', 'marts/d.sql', 'staging/stg_b.sql']);
    expect(files('int_c+')).toEqual(['intermediate/int_c.sql', 'marts/d.sql', 'step:e']);
    expect(files('stg_b+')).toEqual(['intermediate/int_c.sql', 'marts/d.sql', 'marts/f.sql', 'staging/stg_b.sql', 'step:e']);
  });

  it('selects a layer by the schema a node makes', () => {
    expect(files('layer:intermediate')).toEqual(['intermediate/int_c.sql', 'step:e']);
    expect(files('layer:marts')).toEqual(['marts/d.sql', 'marts/f.sql', 'step:e']);
  });

  it('fails on a name that is no model, naming it', () => {
    expect(() => files('d nope+')).toThrow('--select: "nope+" names no model');
    expect(() => files('layer:raw')).toThrow('"layer:raw" names no model');
  });
});

describe('the marts job graph', () => {
  const graph = martGraph(testConfig('/nonexistent/w.duckdb'), createLogger(() => undefined));

  it('builds every mart file exactly once, each by one node', () => {
    const marts = readModels().filter((m) => m.file.startsWith('marts/')).flatMap((m) => m.creates);
    const makers = marts.map((t) => graph.filter((n) => n.creates.includes(t)).length);
    expect(makers.every((n) => n === 1)).toBe(true);
    expect(marts.length).toBeGreaterThan(40);
    const made = graph.flatMap((n) => n.creates);
    expect(new Set(made).size).toBe(made.length);
  });

  it('orders the nodes so that each comes after the nodes making what it reads', () => {
    const order = buildOrder(graph);
    const position = new Map(order.flatMap((n, i) => n.creates.map((t) => [t, i] as const)));
    const late = order.flatMap((n, i) => n.reads.filter((r) => (position.get(r) ?? -1) > i).map((r) => `${n.file} reads ${r}`));
    expect(late).toEqual([]);
    // The disclosure step before the plans (they compare with what is published), the scorecard after the plans.
    const at = (file: string) => order.findIndex((n) => n.file === file);
    expect(at('step:service-use')).toBeLessThan(at('step:plan'));
    expect(at('step:plan')).toBeLessThan(at('step:scorecard'));
    expect(at('step:scorecard')).toBeLessThan(at('marts/scenario_dual_model.sql'));
    expect(at('step:foresight')).toBeLessThan(at('marts/dim_area.sql'));
  });
});
