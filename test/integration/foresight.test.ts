/**
 * Service-need projection and scenario engine on a hand-computed fixture: two municipalities (001, 002), two age
 * groups (0-4, 85+), base year 2024 and one projected year (2025) in two population variants. The SQL is the
 * shipped one (pipelines/sql); only its inputs are fixtures (test/fixtures/foresight).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForesightMarts, readForesightInputs } from '../../pipelines/foresight/build.js';
import { resolveForesightSection, ForesightSection, parseForesightYaml, ScenariosFile, ForesightConfigError } from '../../pipelines/settings/foresight.js';
import { createLogger } from '../../pipelines/log.js';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger(() => {});

/** The fixture's inputs, as the population job and the service-use marts would leave them. */
async function createInputs(conn: DuckDBConnection, patients20 = 6): Promise<void> {
  await conn.run(`
    create or replace table staging.stg_population__by_age as
    select * from (values
      ('hist', 'history', 'toteutunut', '001', 2024, '0-4', 0, 4, 100), ('hist', 'history', 'toteutunut', '001', 2024, '85+', 85, null, 50),
      ('hist', 'history', 'toteutunut', '002', 2024, '0-4', 0, 4, 200), ('hist', 'history', 'toteutunut', '002', 2024, '85+', 85, null, 10),
      ('ennuste', 'projection', 'perus', '001', 2025, '0-4', 0, 4, 90), ('ennuste', 'projection', 'perus', '001', 2025, '85+', 85, null, 60),
      ('ennuste', 'projection', 'perus', '002', 2025, '0-4', 0, 4, 210), ('ennuste', 'projection', 'perus', '002', 2025, '85+', 85, null, 12),
      ('ennuste0', 'projection', 'muuttotase_0', '001', 2025, '0-4', 0, 4, 100), ('ennuste0', 'projection', 'muuttotase_0', '001', 2025, '85+', 85, null, 55),
      ('ennuste0', 'projection', 'muuttotase_0', '002', 2025, '0-4', 0, 4, 200), ('ennuste0', 'projection', 'muuttotase_0', '002', 2025, '85+', 85, null, 10)
    ) t(source_name, kind, variant, municipality_code, year, age_group, age_from, age_to, population);

    create or replace table intermediate.int_service_use__by_age as
    select * from (values
      (2024, '001', '10', 'outpatient_visit', '0-4', 10, 0, 0, 1000.0, 12), (2024, '001', '10', 'outpatient_visit', '85+', 40, 0, 0, 4000.0, 12),
      (2024, '002', '10', 'outpatient_visit', '0-4', 30, 0, 0, 3000.0, 12), (2024, '002', '10', 'outpatient_visit', '85+', 6, 0, 0, 600.0, 12),
      (2024, '001', '10', 'inpatient_period', '0-4', 0, 1, 4, 2000.0, 12), (2024, '001', '10', 'inpatient_period', '85+', 0, 4, 16, 8000.0, 12),
      (2024, '002', '10', 'inpatient_period', '0-4', 0, 1, 4, 2000.0, 12), (2024, '002', '10', 'inpatient_period', '85+', 0, 1, 4, 2000.0, 12),
      (2024, '002', '20', 'outpatient_visit', '85+', 2, 0, 0, 200.0, 1)
    ) t(year, municipality_code, specialty_code, service_type, age_group, visits, care_periods, bed_days, cost_eur, months);

    create or replace table intermediate.int_service_use__yearly as
    select year, municipality_code, specialty_code, service_type, sum(visits) as visits, sum(care_periods) as care_periods,
           sum(bed_days) as bed_days, sum(cost_eur) as cost_eur, max(months) as months, true as has_age
    from intermediate.int_service_use__by_age group by all;

    -- 12 months of 2024 (the base year); 10 patients a month in specialty 10, patients20 in one month in 20 (002).
    create or replace table staging.stg_service_use__monthly as
    select make_date(2024, m, 1) as month, mu as municipality_code, '10' as specialty_code, st as service_type,
           1 as visits, 0 as care_periods, 0 as bed_days, 10 as patients
    from range(1, 13) r(m), (values ('001'), ('002')) a(mu), (values ('outpatient_visit'), ('inpatient_period')) b(st)
    union all select date '2024-03-01', '002', '20', 'outpatient_visit', 2, 0, 0, ${patients20};

    create or replace table staging.stg_service_use__specialties as
    select * from (values ('10', 'Sisätaudit'), ('20', 'Kirurgia')) t(specialty_code, specialty_name_fi);
    create or replace table staging.stg_statfi__municipality_years as
    select * from (values ('001', 2024, 'Ykkönen', 'Ettan', 'One'), ('002', 2024, 'Kakkonen', 'Tvåan', 'Two'))
      t(municipality_code, year, name_fi, name_sv, name_en);
    create or replace table marts.organisation_members_by_year (organisation_code varchar, year integer, municipality_code varchar, current_code varchar);
    create or replace table marts.organisations (organisation_code varchar, organisation_type varchar, organisation_type_fi varchar, name_fi varchar,
      name_sv varchar, name_en varchar);
  `);
  await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql'); // the names, as the marts job builds them from the key
}

const settingsYaml = {
  horizon: 2025,
  rate_assumptions: { perus: { annual_change: 0 }, korkea: { annual_change: 0.1 } },
  main_rate_assumption: 'perus',
  national_rates: 'test/fixtures/foresight/national-use-rates.yaml',
  scenarios: 'test/fixtures/foresight/scenarios.yaml',
};

const { dir, cleanup } = tempDir('tj-foresight-');
const warehouse = `${dir}/w.duckdb`;

async function build(conn: DuckDBConnection, overrides: Record<string, unknown> = {}) {
  const settings = resolveForesightSection(ForesightSection.parse({ ...settingsYaml, ...overrides }));
  return buildForesightMarts(conn, readForesightInputs(settings, 'perus'), log);
}

const projected = (conn: DuckDBConnection, where: string) =>
  queryRows<{ municipality_code: string; variant: string; rate_assumption: string; year: number; visits: number; bed_days: number; cost_eur: number }>(
    conn,
    `select * from intermediate.int_foresight__projection where ${where} order by municipality_code, variant, rate_assumption`,
  );

beforeAll(async () => {
  await withWarehouse(warehouse, async (conn) => {
    await createInputs(conn);
    const result = await build(conn);
    expect(result.built).toBe(true);
    expect(result.baseYear).toBe(2024);
  });
});
afterAll(cleanup);

describe('service-need projection (hand-computed fixture)', () => {
  // Pooled age profile of outpatient visits in 10: 0-4 (10 + 30) / (100 + 200) = 2/15, 85+ (40 + 6) / (50 + 10) = 23/30.
  // 001: expected 2024 = 100·2/15 + 50·23/30 = 155/3; 2025 perus 90·2/15 + 60·23/30 = 58 → 50 · 58 / (155/3) = 8700/155.
  //                                             2025 muuttotase_0: 100·2/15 + 55·23/30 = 55.5 → 50 · 55.5 / (155/3) = 8325/155.
  // 002: expected 2024 = 200·2/15 + 10·23/30 = 103/3; 2025 perus 210·2/15 + 12·23/30 = 37.2 → 36 · 37.2 / (103/3) = 4017.6/103.
  //                                             2025 muuttotase_0: equals 2024 → 36.
  it('applies the age profile to the projected population, calibrated to each municipality', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const rows = await projected(conn, `specialty_code = '10' and service_type = 'outpatient_visit' and rate_assumption = 'perus' and year = 2025`);
      const v = Object.fromEntries(rows.map((r) => [`${r.municipality_code}/${r.variant}`, r.visits]));
      expect(v['001/perus']).toBeCloseTo(8700 / 155, 9);
      expect(v['001/muuttotase_0']).toBeCloseTo(8325 / 155, 9);
      expect(v['002/perus']).toBeCloseTo(4017.6 / 103, 9);
      expect(v['002/muuttotase_0']).toBeCloseTo(36, 9);
    });
  });

  it('reproduces the observed use in the base year, and applies the rate trend per year', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const base = await projected(conn, `specialty_code = '10' and service_type = 'outpatient_visit' and year = 2024 and variant = 'perus'`);
      expect(base.map((r) => r.visits)).toEqual([50, 50, 36, 36].map((x) => expect.closeTo(x, 9)));
      const high = await projected(conn, `specialty_code = '10' and service_type = 'outpatient_visit' and year = 2025 and variant = 'perus' and rate_assumption = 'korkea'`);
      expect(high[0]?.visits).toBeCloseTo((8700 / 155) * 1.1, 9);
      // bed days: profile 0-4 8/300, 85+ 20/60; 001: 20 · (90·8/300 + 60/3) / (100·8/300 + 50/3) = 20 · 22.4 / (58/3)
      const beds = await projected(conn, `municipality_code = '001' and specialty_code = '10' and service_type = 'inpatient_period' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
      expect(beds[0]?.bed_days).toBeCloseTo((20 * 22.4 * 3) / 58, 9);
    });
  });

  it('publishes the central line and the band (min and max over variants × rate assumptions) per area', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const get = async (area: string) =>
        (
          await queryRows<{ visits: number; visits_low: number; visits_high: number; area_type: string; suppressed: boolean }>(
            conn,
            `select * from marts.service_need_projection
             where area_code = '${area}' and specialty_code = 'ALL' and service_type = 'outpatient_visit' and year = 2025`,
          )
        )[0];
      const m001 = await get('001');
      expect(m001).toMatchObject({ area_type: 'municipality', suppressed: false });
      expect(m001?.visits).toBe(Math.round(8700 / 155));
      expect(m001?.visits_low).toBe(Math.round(8325 / 155));
      expect(m001?.visits_high).toBe(Math.round((8700 / 155) * 1.1));
      // Specialty 20 (002 only, all 85+): 2 · (12 · 2/60) / (10 · 2/60) = 2.4 in perus, 2 in muuttotase_0.
      const area = await get('pilotti');
      expect(area).toMatchObject({ area_type: 'pilot_area', suppressed: false });
      expect(area?.visits).toBe(Math.round(8700 / 155 + 4017.6 / 103 + 2.4));
      expect(area?.visits_low).toBe(Math.round(8325 / 155 + 36 + 2));
      expect(area?.visits_high).toBe(Math.round((8700 / 155 + 4017.6 / 103 + 2.4) * 1.1));
    });
  });

  it('publishes every cell when no count is small', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const [row] = await queryRows<{ n: bigint }>(conn, 'select count(*) filter (where suppressed) as n from marts.service_need_projection');
      expect(Number(row?.n)).toBe(0);
    });
  });

  it('withholds a cell with 1..4 patients and, complementarily, every cell it could be recomputed from', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-small-');
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn, 2);
        await build(conn);
        const cells = await queryRows<{ area_code: string; specialty_code: string; service_type: string; suppression: string | null }>(
          conn,
          'select area_code, specialty_code, service_type, suppression from intermediate.int_foresight__cells order by all',
        );
        const state = (a: string, s: string, t: string) =>
          cells.find((x) => x.area_code === a && x.specialty_code === s && x.service_type === t)?.suppression ?? null;
        expect(state('pilotti', '20', 'outpatient_visit')).toBe('primary');
        // the line "pilotti, outpatient visits": 10 + 20 = ALL; with 20 withheld, 10 or ALL must go too
        const line = ['10', '20', 'ALL'].filter((s) => state('pilotti', s, 'outpatient_visit') !== null);
        expect(line.length).toBeGreaterThanOrEqual(2);
        // no published line has exactly one withheld cell: recheck every relation from the published mart
        const open = await queryRows<{ n: bigint }>(
          conn,
          `with p as (select * from marts.service_need_projection where year = 2025)
           select count(*) as n from (
             select area_code, service_type from p where area_type <> 'municipality'
             group by all having count(*) filter (where suppressed) = 1)`,
        );
        expect(Number(open[0]?.n)).toBe(0);
        const shown = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from marts.service_need_projection where suppressed and visits is not null');
        expect(Number(shown[0]?.n)).toBe(0);
      });
    } finally {
      c();
    }
  });
});

describe('national age profile', () => {
  it('uses config national rates when foresight.age_profile is national', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-national-');
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn);
        await build(conn, { age_profile: 'national' });
        // fixture profile: outpatient 0-4 weight 1, 85+ weight 4 → 001: 50 · (90 + 4·60) / (100 + 4·50) = 55
        const [row] = await projected(conn, `municipality_code = '001' and specialty_code = '10' and service_type = 'outpatient_visit' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
        expect(row?.visits).toBeCloseTo(55, 9);
        const [src] = await queryRows<{ s: string }>(conn, `select distinct profile_source as s from intermediate.int_foresight__age_profile`);
        expect(src?.s).toBe('kansallinen');
      });
    } finally {
      c();
    }
  });

  it('falls back to the national profile where no extract has age groups', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-noage-');
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn);
        await conn.run(`delete from intermediate.int_service_use__by_age; update intermediate.int_service_use__yearly set has_age = false`);
        await build(conn);
        const [row] = await projected(conn, `municipality_code = '001' and specialty_code = '10' and service_type = 'outpatient_visit' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
        expect(row?.visits).toBeCloseTo(55, 9);
      });
    } finally {
      c();
    }
  });
});

describe('without population by age', () => {
  it('builds the foresight marts empty (the pages still build) and says why', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-nopop-');
    const warnings: string[] = [];
    const warnLog = createLogger((line) => warnings.push(line));
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn);
        // The marts job makes the population staging table (empty) when the population job never ran.
        await conn.run('delete from staging.stg_population__by_age');
        const settings = resolveForesightSection(ForesightSection.parse(settingsYaml));
        const result = await buildForesightMarts(conn, readForesightInputs(settings, 'perus'), warnLog);
        expect(result.built).toBe(false);
        const counts = await queryRows<{ p: bigint; r: bigint; a: bigint; d: bigint }>(
          conn,
          `select (select count(*) from marts.service_need_projection) as p, (select count(*) from marts.scenario_results) as r,
                  (select count(*) from marts.foresight_age_structure) as a, (select count(*) from marts.scenario_definitions) as d`,
        );
        expect(counts.map((x) => [Number(x.p), Number(x.r), Number(x.a), Number(x.d)])).toEqual([[0, 0, 0, 4]]);
        expect(warnings.join('\n')).toMatch(/no population by age/);
      });
    } finally {
      c();
    }
  });
});

describe('mixed extracts', () => {
  it('a municipality with age groups uses the local profile, one without uses the national profile', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-mixed-');
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn);
        await conn.run(`delete from intermediate.int_service_use__by_age where municipality_code = '002';
                        update intermediate.int_service_use__yearly set has_age = false where municipality_code = '002'`);
        await build(conn);
        const rows = await projected(conn, `specialty_code = '10' and service_type = 'outpatient_visit' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
        // 001 local (pooled over 001 only): 0-4 10/100, 85+ 40/50 → 50 · (90·0.1 + 60·0.8) / (100·0.1 + 50·0.8) = 57
        // 002 national (1, 4): 36 · (210 + 4·12) / (200 + 4·10) = 38.7
        expect(rows.map((r) => r.visits)).toEqual([expect.closeTo(57, 9), expect.closeTo(38.7, 9)]);
        const [settings] = await queryRows<{ l: bigint; n: bigint }>(
          conn,
          'select local_profile_municipalities as l, national_profile_municipalities as n from marts.foresight_settings',
        );
        expect([Number(settings?.l), Number(settings?.n)]).toEqual([1, 1]);
      });
    } finally {
      c();
    }
  });
});

describe('scenario engine (fixture scenarios)', () => {
  type S = { scenario_code: string; municipality_code: string; hospital_visits: number; local_visits: number; bed_days: number; care_cost_eur: number; travel_cost_eur: number; fixed_cost_eur: number };
  const rows = (conn: DuckDBConnection) =>
    queryRows<S>(conn, `select * from intermediate.int_foresight__scenarios where year = 2025 order by scenario_code, municipality_code`);
  const pick = (all: S[], code: string, m: string) => all.find((r) => r.scenario_code === code && r.municipality_code === m) as S;

  it('moving 0 % changes nothing', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const all = await rows(conn);
      for (const m of ['001', '002']) {
        const { scenario_code: _a, ...base } = pick(all, 'nykymalli', m);
        const { scenario_code: _b, ...zero } = pick(all, 'nolla', m);
        expect(zero).toEqual(base);
      }
      const diffs = await queryRows<{ n: bigint }>(conn, `select count(*) as n from marts.scenario_results where scenario_code = 'nolla' and (diff_total_cost_eur <> 0 or diff_hospital_visits <> 0)`);
      expect(Number(diffs[0]?.n)).toBe(0);
    });
  });

  it('moving 100 % at equal unit costs moves the visits but not the euros', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const all = await rows(conn);
      for (const m of ['001', '002']) {
        const base = pick(all, 'nykymalli', m);
        const moved = pick(all, 'kaikki-samaan-hintaan', m);
        const specialty20 = m === '002' ? (await projected(conn, `municipality_code = '002' and specialty_code = '20' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`))[0]?.visits ?? 0 : 0;
        expect(moved.hospital_visits).toBeCloseTo(specialty20, 9); // only specialty 20 stays in the hospital
        expect(moved.local_visits).toBeCloseTo(base.hospital_visits - specialty20, 9);
        expect(moved.care_cost_eur).toBeCloseTo(base.care_cost_eur, 6);
        expect(moved.travel_cost_eur).toBeCloseTo(base.travel_cost_eur, 6);
      }
    });
  });

  it('computes a cheaper local place, fewer bed days and fixed costs as documented', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const all = await rows(conn);
      const base = pick(all, 'nykymalli', '001');
      const alt = pick(all, 'puolet-halvemmalla', '001');
      const [out] = await projected(conn, `municipality_code = '001' and specialty_code = '10' and service_type = 'outpatient_visit' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
      const [inp] = await projected(conn, `municipality_code = '001' and specialty_code = '10' and service_type = 'inpatient_period' and year = 2025 and variant = 'perus' and rate_assumption = 'perus'`);
      // half of the visits move: hospital euros halve, each moved visit costs 50 €; bed days −10 % at 100 € a day
      expect(alt.local_visits).toBeCloseTo(out!.visits / 2, 9);
      expect(alt.care_cost_eur - base.care_cost_eur).toBeCloseTo(-out!.cost_eur / 2 + (out!.visits / 2) * 50 - inp!.bed_days * 0.1 * 100, 6);
      expect(alt.bed_days).toBeCloseTo(base.bed_days * 0.9, 9);
      // 001 is near the hospital (10 €) and near the new place (10 €): travel unchanged; 002 is far (100 €) → near (10 €)
      expect(alt.travel_cost_eur).toBeCloseTo(base.travel_cost_eur, 6);
      const alt2 = pick(all, 'puolet-halvemmalla', '002');
      const base2 = pick(all, 'nykymalli', '002');
      expect(alt2.travel_cost_eur - base2.travel_cost_eur).toBeCloseTo(-alt2.local_visits * 90, 6);
      // fixed 1 000 € shared by population 2025 (perus): 001 has 150 of 372
      expect(alt.fixed_cost_eur).toBeCloseTo((1000 * 150) / 372, 9);
      expect(alt.fixed_cost_eur + alt2.fixed_cost_eur).toBeCloseTo(1000, 9);
    });
  });

  it('publishes yearly and cumulative differences per municipality and for the area', async () => {
    await withWarehouse(warehouse, async (conn) => {
      const rowsOut = await queryRows<{ municipality_code: string; year: number; diff_total_cost_eur: number; cum_diff_total_cost_eur: number }>(
        conn,
        `select municipality_code, year, diff_total_cost_eur, cum_diff_total_cost_eur from marts.scenario_results
         where scenario_code = 'puolet-halvemmalla' order by municipality_code, year`,
      );
      const area = rowsOut.filter((r) => r.municipality_code === 'ALL');
      expect(area.map((r) => r.year)).toEqual([2024, 2025]);
      expect(area[0]?.diff_total_cost_eur).toBe(0); // before start_year
      expect(area[1]?.cum_diff_total_cost_eur).toBe(area[1]?.diff_total_cost_eur);
      const sum = rowsOut.filter((r) => r.municipality_code !== 'ALL' && r.year === 2025).reduce((s, r) => s + r.diff_total_cost_eur, 0);
      expect(Math.abs(sum - (area[1]?.diff_total_cost_eur ?? 0))).toBeLessThanOrEqual(1); // rounding
      expect(area[1]?.diff_total_cost_eur).toBeLessThan(0);
    });
  });
});

describe('foresight configuration', () => {
  it('the shipped scenarios and national rates validate', () => {
    const settings = resolveForesightSection(ForesightSection.parse(undefined));
    const inputs = readForesightInputs(settings, 'perus');
    expect(inputs.scenarios.scenarios.length).toBeGreaterThanOrEqual(2);
    expect(inputs.scenarios.area.municipalities).toContain('244');
  });

  it('names the file and key of a bad scenario', () => {
    const bad = `version: 1
area: { code: a, name_fi: A, municipalities: ["001"] }
baseline: { description_fi: x }
travel: { cost_per_visit_eur: { lähi: 10 }, hospital: { default: kauko } }
scenarios:
  - { code: s, name_fi: S, description_fi: d, start_year: 2027, move_outpatient: { specialties: ["10"], share: 1.5 } }
`;
    try {
      parseForesightYaml(ScenariosFile, bad, 'scenarios.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ForesightConfigError);
      const message = (e as Error).message;
      expect(message).toContain('scenarios.yaml');
      expect(message).toContain('scenarios.0.move_outpatient.share');
      expect(message).toContain('travel.hospital.default: unknown distance class "kauko"');
    }
  });

  it('rejects an unknown specialty in a scenario, naming the file', async () => {
    const { dir: d, cleanup: c } = tempDir('tj-foresight-bad-');
    try {
      await withWarehouse(`${d}/w.duckdb`, async (conn) => {
        await createInputs(conn);
        const settings = resolveForesightSection(ForesightSection.parse(settingsYaml));
        const inputs = readForesightInputs(settings, 'perus');
        inputs.scenarios.scenarios[0]!.move_outpatient!.specialties = ['XX'];
        await expect(buildForesightMarts(conn, inputs, log)).rejects.toThrow(/scenarios\.yaml[\s\S]*unknown specialty code "XX"/);
      });
    } finally {
      c();
    }
  });
});

