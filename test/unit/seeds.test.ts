/**
 * The seeds (pipelines/sql/seeds/*.csv): the vocabularies defined once. Opening a warehouse loads each as
 * staging.seed_<name>; the codes the configuration is validated against (TypeScript) are the seed's codes.
 */
import { describe, expect, it } from 'vitest';
import { PERSPECTIVES } from '../../pipelines/settings/sotkanet-indicators.js';
import { SERVICE_TYPES } from '../../pipelines/settings/vocabulary.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

describe('seeds', () => {
  it('loads the perspectives seed on open: every perspective of the configuration once, with a Finnish label and an order', async () => {
    const tmp = tempDir('tj-seeds-');
    try {
      const rows = await withWarehouse(`${tmp.dir}/w.duckdb`, (conn) =>
        queryRows<{ perspective: string; perspective_fi: string; perspective_sort: bigint }>(
          conn,
          'select perspective, perspective_fi, perspective_sort from staging.seed_perspectives order by perspective_sort',
        ),
      );
      expect(rows.map((r) => r.perspective).sort()).toEqual([...PERSPECTIVES].sort());
      expect(rows.map((r) => Number(r.perspective_sort))).toEqual([0, 1, 2, 3, 4]);
      expect(rows.find((r) => r.perspective === 'customer')?.perspective_fi).toBe('Asiakas- ja vaikuttavuusnäkökulma');
      expect(rows.every((r) => r.perspective_fi.length > 0)).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('loads the service types seed: every service type of the service-use contract and the total, one Finnish label each', async () => {
    const tmp = tempDir('tj-seeds-');
    try {
      const rows = await withWarehouse(`${tmp.dir}/w.duckdb`, (conn) =>
        queryRows<{ service_type: string; service_type_fi: string }>(
          conn,
          'select service_type, service_type_fi from staging.seed_service_types order by service_type_sort',
        ),
      );
      expect(rows.map((r) => r.service_type)).toEqual(['ALL', ...SERVICE_TYPES]);
      expect(rows.map((r) => r.service_type_fi)).toEqual(['Kaikki palvelumuodot', 'Avohoitokäynti', 'Vuodeosastohoitojakso', 'Päiväkirurgia', 'Muu palvelu']);
    } finally {
      tmp.cleanup();
    }
  });
});
