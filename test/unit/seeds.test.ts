/**
 * The seeds (pipelines/sql/seeds/*.csv): the vocabularies defined once. Opening a warehouse loads each as
 * staging.seed_<name>; the codes the configuration is validated against (TypeScript) are the seed's codes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PERSPECTIVES } from '../../pipelines/settings/sotkanet-indicators.js';
import { SERVICE_TYPES } from '../../pipelines/settings/vocabulary.js';
import { ORG_TYPES } from '../../pipelines/scorecard/registry.js';
import { fromRoot } from '../../pipelines/paths.js';
import { splitCsv } from '../../pipelines/csv.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

/** The rows of a query over a new warehouse's seeds (opening it loads them). */
async function seedRows<T>(sql: string): Promise<T[]> {
  const tmp = tempDir('tj-seeds-');
  try {
    return await withWarehouse(`${tmp.dir}/w.duckdb`, (conn) => queryRows<T>(conn, sql));
  } finally {
    tmp.cleanup();
  }
}

describe('seeds', () => {
  it('loads the perspectives seed on open: every perspective of the configuration once, with a Finnish label and an order', async () => {
    const rows = await seedRows<{ perspective: string; perspective_fi: string; perspective_sort: bigint }>(
      'select perspective, perspective_fi, perspective_sort from staging.seed_perspectives order by perspective_sort',
    );
    expect(rows.map((r) => r.perspective).sort()).toEqual([...PERSPECTIVES].sort());
    expect(rows.map((r) => Number(r.perspective_sort))).toEqual([0, 1, 2, 3, 4]);
    expect(rows.find((r) => r.perspective === 'customer')?.perspective_fi).toBe('Asiakas- ja vaikuttavuusnäkökulma');
    expect(rows.every((r) => r.perspective_fi.length > 0)).toBe(true);
  });

  it('loads the service types seed: every service type of the service-use contract and the total, one Finnish label each', async () => {
    const rows = await seedRows<{ service_type: string; service_type_fi: string; service_type_sv: string | null; service_type_en: string | null }>(
      'select service_type, service_type_fi, service_type_sv, service_type_en from staging.seed_service_types order by service_type_sort',
    );
    expect(rows.map((r) => r.service_type)).toEqual(['ALL', ...SERVICE_TYPES]);
    expect(rows.map((r) => r.service_type_fi)).toEqual(['Kaikki palvelumuodot', 'Avohoitokäynti', 'Vuodeosastohoitojakso', 'Päiväkirurgia', 'Muu palvelu']);
    // and in Swedish and English (issue 18): every label there, none a copy of the Finnish one
    const labels = rows.map((r) => ({ fi: r.service_type_fi, sv: r.service_type_sv, en: r.service_type_en }));
    expect(labels.filter((r) => !r.sv?.trim() || !r.en?.trim() || r.sv === r.fi || r.en === r.fi)).toEqual([]);
  });

  // issue 18: the marts' words in fi, sv and en (docs/evidence-offline-patch.md, "Languages")
  it('loads the words seed: every word in Finnish, Swedish and English, once per vocabulary and code, covering the codes the configuration allows', async () => {
    const rows = await seedRows<{ vocabulary: string; code: string; fi: string | null; sv: string | null; en: string | null }>(
      'select vocabulary, code, fi, sv, en from staging.seed_words order by vocabulary, code',
    );
    const empty = rows.filter((r) => !r.fi?.trim() || !r.sv?.trim() || !r.en?.trim()).map((r) => `${r.vocabulary}:${r.code}`);
    expect(empty).toEqual([]);
    const keys = rows.map((r) => `${r.vocabulary}:${r.code}`);
    expect(keys.length).toBe(new Set(keys).size);
    const codes = (vocabulary: string) => rows.filter((r) => r.vocabulary === vocabulary).map((r) => r.code).sort();
    expect(codes('org_type')).toEqual([...ORG_TYPES].sort());
    expect(codes('org_types')).toEqual([...ORG_TYPES].sort());
    expect(codes('status')).toEqual(['green', 'missing', 'none', 'red', 'yellow']);
    // the specialties: every code of config/specialties.csv, with its Finnish name as the file has it
    const specialties = splitCsv(readFileSync(fromRoot('config/specialties.csv'), 'utf8'), ',').slice(1).map((r) => r.fields).filter((f) => f[0]);
    const seeded = new Map(rows.filter((r) => r.vocabulary === 'specialty').map((r) => [r.code, r.fi]));
    expect(specialties.map(([code]) => [code, seeded.get(code!)])).toEqual(specialties.map(([code, name]) => [code, name]));
    // the Swedish and English words say something else than the Finnish ones (not copies), apart from units and codes
    const copies = rows.filter((r) => !['unit', 'phrase'].includes(r.vocabulary) && (r.sv === r.fi || r.en === r.fi));
    expect(copies.map((r) => `${r.vocabulary}:${r.code}`)).toEqual([]);
  });
});
