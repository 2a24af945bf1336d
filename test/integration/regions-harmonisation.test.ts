import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);

describe('region model and harmonisation (real municipality key, boundaries of 2013)', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  const base = testConfig(warehouse);
  const config = { ...base, regions: { ...base.regions, boundaryYear: 2013 } };
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const summaries = await runJobs([regionsJob, organisationJob], { config, log: quiet });
    expect(summaries.map((s) => s.outcome)).toEqual(['success', 'success']);
    await withWarehouse(warehouse, async (conn) => {
      // the marts in the order the marts job builds them, after the shared names model they read
      for (const model of ['intermediate/int_municipality__latest_names', 'marts/municipality_code_map', 'marts/municipality_harmonisation', 'marts/regions', 'marts/region_memberships']) {
        await runSqlFile(conn, `${model}.sql`);
      }
      // A municipal count series on historic boundaries (2010: before the Oulu merger of 2013), with population.
      await conn.run(`
        create or replace table staging.municipal_counts as
        select series_id, municipality_code, year, count_value, null::double as denominator, source from (values
          ('visits', '564', 2010, 1000.0, 'test'), ('visits', '084', 2010, 200.0, 'test'),
          ('visits', '255', 2010, 150.0, 'test'), ('visits', '567', 2010, 100.0, 'test'),
          ('visits', '972', 2010, 50.0, 'test'),  ('visits', '244', 2010, 80.0, 'test'),
          ('visits', '564', 2011, 1100.0, 'test'), ('visits', '084', 2011, null, 'test'),
          ('visits', '255', 2011, 160.0, 'test'), ('visits', '567', 2011, 110.0, 'test'),
          ('visits', '972', 2011, 55.0, 'test'),
          ('population', '564', 2010, 140000.0, 'test'), ('population', '084', 2010, 19000.0, 'test'),
          ('population', '255', 2010, 13000.0, 'test'), ('population', '567', 2010, 9500.0, 'test'),
          ('population', '972', 2010, 2200.0, 'test'), ('population', '244', 2010, 16000.0, 'test')
        ) t(series_id, municipality_code, year, count_value, source)
        union all
        -- a Sotkanet rate of residents aged 75+: its own denominator, not the population
        select * from (values
          ('sotkanet:1570:total', '564', 2010, 9000.0, 10000.0, 'THL / Sotkanet'),
          ('sotkanet:1570:total', '084', 2010, 1300.0, 1400.0, 'THL / Sotkanet'),
          ('sotkanet:1570:total', '255', 2010, 700.0, 800.0, 'THL / Sotkanet'),
          ('sotkanet:1570:total', '567', 2010, 450.0, 500.0, 'THL / Sotkanet'),
          ('sotkanet:1570:total', '972', 2010, 250.0, 300.0, 'THL / Sotkanet'),
          ('sotkanet:243:total', '564', 2010, null, null, 'THL / Sotkanet')
        ) t(series_id, municipality_code, year, count_value, denominator, source)`);
      await runSqlFile(conn, 'marts/municipal_counts_harmonised.sql');
    });
  });

  it('maps every historic code to its 2013 code (Oulu absorbed four municipalities on 1.1.2013)', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ municipality_code: string; harmonised_code: string; boundary_year: number }>(
        conn,
        `select municipality_code, harmonised_code, boundary_year from marts.municipality_harmonisation
         where municipality_code in ('084', '255', '567', '972', '973', '564', '244', '413') order by 1`,
      );
      expect(rows).toEqual([
        { municipality_code: '084', harmonised_code: '564', boundary_year: 2013 },
        { municipality_code: '244', harmonised_code: '244', boundary_year: 2013 },
        { municipality_code: '255', harmonised_code: '564', boundary_year: 2013 },
        // Lavia merged into Pori only in 2015: on 2013 boundaries it is still itself.
        { municipality_code: '413', harmonised_code: '413', boundary_year: 2013 },
        { municipality_code: '564', harmonised_code: '564', boundary_year: 2013 },
        { municipality_code: '567', harmonised_code: '564', boundary_year: 2013 },
        { municipality_code: '972', harmonised_code: '564', boundary_year: 2013 },
        { municipality_code: '973', harmonised_code: '564', boundary_year: 2013 },
      ]);
      const [lavia] = await queryRows<{ harmonised_code: string }>(
        conn,
        `select harmonised_code from marts.municipality_code_map where municipality_code = '413' and boundary_year = 2026`,
      );
      expect(lavia?.harmonised_code).toBe('609');
    });
  });

  it('Oulu 2010 on 2013 boundaries is the sum of its predecessors; the rate is recomputed, not averaged', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<Record<string, unknown>>(
        conn,
        `select municipality_code, year, count_value, population, rate_per_1000, is_missing, member_count, original_codes
         from marts.municipal_counts_harmonised where series_id = 'visits' order by municipality_code, year`,
      );
      const oulu2010 = rows.find((r) => r.municipality_code === '564' && r.year === 2010);
      expect(oulu2010).toMatchObject({
        count_value: 1000 + 200 + 150 + 100 + 50,
        population: 140000 + 19000 + 13000 + 9500 + 2200,
        member_count: 5,
        is_missing: false,
        original_codes: ['084', '255', '564', '567', '972'],
      });
      expect(oulu2010?.rate_per_1000).toBeCloseTo((1000 * 1500) / 183700, 10);
      // Not the mean of the members' rates.
      const meanOfRates = (1000 / 140 + 200 / 19 + 150 / 13 + 100 / 9.5 + 50 / 2.2) / 5;
      expect(Math.abs((oulu2010?.rate_per_1000 as number) - meanOfRates)).toBeGreaterThan(0.5);
      // A missing member count makes the harmonised cell missing, not a partial sum.
      expect(rows.find((r) => r.municipality_code === '564' && r.year === 2011)).toMatchObject({ count_value: null, is_missing: true });
      expect(rows.find((r) => r.municipality_code === '244' && r.year === 2010)).toMatchObject({ count_value: 80, member_count: 1 });
      expect(rows.some((r) => r.municipality_code === '084')).toBe(false);
    });
  });

  it('a rate uses the own denominator of its series (residents aged 75+), or is left out when the series has none', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<Record<string, unknown>>(
        conn,
        `select series_id, count_value, denominator, rate_per_1000, denominator_fi from marts.municipal_counts_harmonised
         where municipality_code = '564' and year = 2010 and series_id in ('sotkanet:1570:total', 'sotkanet:243:total', 'visits')
         order by series_id`,
      );
      const [aged, index, visits] = rows;
      expect(aged).toMatchObject({ count_value: 11700, denominator: 13000, denominator_fi: 'indikaattorin oma nimittäjä' });
      expect(aged?.rate_per_1000).toBeCloseTo(900, 10); // 1000 × 11 700 / 13 000, not per 1000 of all 183 700 residents
      expect(index).toMatchObject({ rate_per_1000: null });
      expect(visits).toMatchObject({ denominator: 183700, denominator_fi: 'väestö 31.12. samana vuonna' });
    });
  });

  it('Reisjärvi is under Keski-Pohjanmaa hospital district (17) in 2022 and Pohjois-Pohjanmaa county (19) in 2023', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<Record<string, unknown>>(
        conn,
        `select year, hospital_district_code, wellbeing_county_code, erva_code, yta_code, is_active
         from marts.regions where region_category = 'KUNTA' and region_code = '691' and year in (2022, 2023) order by year`,
      );
      expect(rows).toEqual([
        { year: 2022, hospital_district_code: '17', wellbeing_county_code: null, erva_code: '5', yta_code: null, is_active: true },
        { year: 2023, hospital_district_code: null, wellbeing_county_code: '19', erva_code: null, yta_code: '5', is_active: true },
      ]);
      const dated = await queryRows<{ parent_category: string; parent_code: string; valid_from: Date; valid_to: Date | null }>(
        conn,
        `select parent_category, parent_code, valid_from, valid_to from marts.region_memberships
         where child_category = 'KUNTA' and child_code = '691' and parent_category in ('SAIRAANHOITOPIIRI', 'HYVINVOINTIALUE')
         order by valid_from`,
      );
      expect(dated.map((d) => [d.parent_category, d.parent_code, d.valid_from.toISOString().slice(0, 10), d.valid_to?.toISOString().slice(0, 10) ?? null])).toEqual([
        ['SAIRAANHOITOPIIRI', '17', '2017-01-01', '2022-12-31'],
        ['HYVINVOINTIALUE', '19', '2023-01-01', null],
      ]);
      const [name] = await queryRows<{ region_name_fi: string; sotkanet_id: bigint }>(
        conn,
        `select region_name_fi, sotkanet_id from marts.regions where region_category = 'HYVINVOINTIALUE' and region_code = '19' and year = 2023`,
      );
      expect(name).toEqual({ region_name_fi: 'Pohjois-Pohjanmaan hyvinvointialue', sotkanet_id: 973n });
    });
  });

  it('merged municipalities are dated successor links and inactive after their merger', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const links = await queryRows<{ child_code: string; parent_code: string; valid_from: Date }>(
        conn,
        `select child_code, parent_code, valid_from from marts.region_memberships
         where relation = 'merged_into' and parent_code = '564' order by child_code`,
      );
      expect(links.map((l) => [l.child_code, l.parent_code, l.valid_from.toISOString().slice(0, 10)])).toEqual([
        ['084', '564', '2013-01-01'],
        ['255', '564', '2013-01-01'],
        ['567', '564', '2013-01-01'],
        ['972', '564', '2013-01-01'],
        ['973', '564', '2009-01-01'],
      ]);
      const hauki = await queryRows<{ year: number; is_active: boolean; successor_code: string | null; hospital_district_code: string }>(
        conn,
        `select year, is_active, successor_code, hospital_district_code from marts.regions
         where region_code = '084' and region_category = 'KUNTA' and year in (2012, 2013) order by year`,
      );
      expect(hauki).toEqual([
        { year: 2012, is_active: true, successor_code: null, hospital_district_code: '18' },
        { year: 2013, is_active: false, successor_code: '564', hospital_district_code: '18' },
      ]);
    });
  });

  it('every code that disappears from the municipality key has a merger link effective that year', async () => {
    const key = readFileSync(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'), 'utf8').trim().split('\n').slice(1);
    const byYear = new Map<number, Set<string>>();
    for (const line of key) {
      const [year, code] = line.split(',');
      if (!byYear.has(Number(year))) byYear.set(Number(year), new Set());
      byYear.get(Number(year))?.add(code ?? '');
    }
    const years = [...byYear.keys()].sort();
    const gone: [string, number][] = [];
    for (let i = 1; i < years.length; i++) {
      const prev = byYear.get(years[i - 1] as number) ?? new Set<string>();
      const cur = byYear.get(years[i] as number) ?? new Set<string>();
      for (const c of prev) if (!cur.has(c)) gone.push([c, years[i] as number]);
    }
    expect(gone.length).toBeGreaterThan(10);
    await withReadOnly(warehouse, async (conn) => {
      const links = await queryRows<{ merged_code: string; y: number; successor_code: string }>(
        conn,
        'select merged_code, year(effective_date)::integer as y, successor_code from staging.stg_regions__mergers',
      );
      for (const [code, year] of gone) {
        const link = links.find((l) => l.merged_code === code);
        expect(link, `merger link for ${code}`).toBeDefined();
        expect(link?.y).toBe(year);
        expect(byYear.get(year)?.has(link?.successor_code ?? '')).toBe(true);
      }
    });
  });
});
