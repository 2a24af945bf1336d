import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import type { ResolvedServiceUse } from '../settings/service-use.js';
import { prepareServiceUseStaging, tableExists } from './import.js';
import { INPATIENT_MEASURES, MEASURE_BITS, WHOLE_CELL } from './suppression.js';
import { withholdComplementary } from './withhold-complementary.js';

/** Milliseconds per named phase, in order (the marts' log line: where the import's time goes). */
function phaseTimer(): { lap: (name: string) => void; fields: () => Record<string, number> } {
  const phases = new Map<string, number>();
  let last = Date.now();
  return {
    lap(name) {
      const now = Date.now();
      phases.set(name, (phases.get(name) ?? 0) + now - last);
      last = now;
    },
    fields: () => Object.fromEntries([...phases].map(([k, v]) => [`${k}_ms`, v])),
  };
}

/** The folder of the step's own statements and queries (temp tables, counts; pipelines/sql/steps/service_use/). */
export const STEP = 'steps/service_use';

/**
 * The measures a cell publishes empty (NULL: an extract without patient counts, or a total over members of which
 * some lack them): unknown to everyone, like a total's patients, not zero. Treating them as zero would make the
 * attacker "recover" a withheld member as the empty total minus the others, which the step can never close.
 */
const nullMeasures = (alias: string, patients = true): string => {
  const bits: [string, number][] = [['visits', MEASURE_BITS.visits], ['care_periods', MEASURE_BITS.carePeriods],
    ['bed_days', MEASURE_BITS.bedDays], ['cost_eur', MEASURE_BITS.cost]];
  if (patients) bits.push(['patients', MEASURE_BITS.patients]);
  return `(${bits.map(([column, bit]) => `${bit} * cast(${alias}${column} is null as integer)`).join(' + ')})`;
};

/**
 * The disclosure step of service use (docs/disclosure.md), one problem solved in memory: the cube
 * (intermediate.int_service_use__cells, cell index = cell_id - 1) with its lines, and the yearly and area totals the
 * scorecard and marts.service_use_yearly publish (intermediate.int_service_use__org_cells: area months, municipality and
 * area years computed from the unprotected cells), whose municipality months are the cube's own cells and whose
 * totals are cells of their own (index n + k). Their lines and the attacker's groups (the areas of one period, nested
 * and overlapping) are read once; choice and attack alternate until nothing is recoverable; the result is written to
 * both tables at once. Returns the step's rounds and timings.
 */
async function protectServiceUse(conn: DuckDBConnection, threshold: number, log: Logger, settle: SettleSettings): Promise<{ rounds: number; ms: number; parts: number; partsReused: number; attacks: number }> {
  const started = Date.now();
  const t = phaseTimer();
  const membersFrom = [['staging', 'stg_config__organisations'], ['staging', 'region_settings'], ['marts', 'organisation_members_by_year']];
  let known = true;
  for (const [schema, table] of membersFrom) known &&= await tableExists(conn, schema!, table!);
  await runSqlFile(conn, known ? 'intermediate/int_scorecard__area_members.sql' : `${STEP}/int_scorecard__area_members.none.sql`);
  // The organisers (wellbeing services counties): their totals are protected in every slice (/toteutus).
  await runSqlFile(conn, known ? `${STEP}/su_organisers.sql` : `${STEP}/su_organisers.none.sql`);
  t.lap('members');
  await runSqlFile(conn, 'intermediate/int_service_use__org_cells.sql', { threshold });
  t.lap('org_cells');
  await runSqlFile(conn, 'intermediate/int_service_use__org_lines.sql');
  t.lap('org_lines');
  // The combined index: a municipality month is its cube cell; a yearly or area total comes after the cube.
  await runSqlFile(conn, `${STEP}/su_org_index.sql`);
  t.lap('org_index');
  const sqlMs = Date.now() - started;
  const [offset] = await querySqlFile<{ n: number }>(conn, `${STEP}/su_line_offset.sql`);
  const lineOffset = offset!.n;
  const orgLines = `select ${lineOffset} + o.line_id as line_id, ${lineOffset} + o.group_id as group_id, i.idx, o.is_total
    from temp.int_service_use__org_lines o join temp.su_org_index i on i.org_cell_id = o.cell_id`;
  // Whole cells, or care periods and bed days alone (docs/disclosure.md, "Per measure").
  const hiddenSql = `case when suppressed then ${WHOLE_CELL} when care_withheld then ${INPATIENT_MEASURES} else 0 end`;
  const step = await withholdComplementary(conn, {
    partial: true,
    reuse: 'service_use',
    workers: settle.workers,
    cells: `select protected_n, non_zero, hidden, unpublished, euros from (
        select cell_id - 1 as idx, cast(protected_n as double) as protected_n,
            cast(protected_n <> 0 as integer) + 2 * cast(coalesce(patients, 0) <> 0 as integer)
          + 4 * cast(coalesce(visits, 0) <> 0 as integer) + 8 * cast(coalesce(care_periods, 0) <> 0 as integer)
          + 16 * cast(coalesce(bed_days, 0) <> 0 as integer) + 32 * cast(coalesce(cost_eur, 0) <> 0 as integer) as non_zero,
            ${hiddenSql} as hidden, ${nullMeasures('')} as unpublished, cast(cost_eur as double) as euros
        from intermediate.int_service_use__cells
        union all
        -- A total publishes no patients (sums of patients are not persons): that measure is unknown to everyone.
        select i.idx, cast(o.protected_n as double), o.non_zero, ${hiddenSql.replace(/\b(suppressed|care_withheld)\b/g, 'o.$1')},
               ${MEASURE_BITS.patients} | ${nullMeasures('o.', false)}, cast(o.cost_eur as double)
        from intermediate.int_service_use__org_cells o join temp.su_org_index i on i.org_cell_id = o.cell_id
        where o.cube_cell_id is null)
      order by idx`,
    lines: `select line_id, idx, is_total from (
        select cast(line_id as double) as line_id, cast(cell_id - 1 as integer) as idx, is_total
        from temp.int_service_use__suppression_lines
        union all
        select line_id, cast(idx as integer), is_total from (${orgLines}))
      order by line_id, idx`,
    // The cube's lines one group each (taken from the lines, not read twice); the totals' lines in their groups (all
    // areas of one period together).
    lineGroupsBelow: lineOffset,
    equations: `select group_id, line_id, cast(idx as integer), case when is_total then 1.0::double else -1.0::double end
      from (${orgLines})
      order by group_id, line_id, idx`,
    settleFirst: lineOffset,
    apply: `update intermediate.int_service_use__cells c
        set suppressed = w.hidden = ${WHOLE_CELL}, care_withheld = w.hidden <> ${WHOLE_CELL},
            suppression = case when w.hidden = ${WHOLE_CELL} then 'complementary' else 'care_periods' end
        from temp.withheld_cells w where w.cell_id = c.cell_id and not c.suppressed;
      update intermediate.int_service_use__org_cells o
        set suppressed = w.hidden = ${WHOLE_CELL}, care_withheld = w.hidden <> ${WHOLE_CELL},
            suppression = case when w.hidden = ${WHOLE_CELL} then 'complementary' else 'care_periods' end
        from temp.su_org_index i, temp.withheld_cells w
        where i.org_cell_id = o.cell_id and o.cube_cell_id is null and w.cell_id = i.idx + 1 and not o.suppressed;
      update intermediate.int_service_use__org_cells o
        set suppressed = c.suppressed, care_withheld = c.care_withheld,
            suppression = case when c.suppressed then 'cube' else c.suppression end
        from intermediate.int_service_use__cells c
        where c.cell_id = o.cube_cell_id and (c.suppressed and not o.suppressed or c.care_withheld and not o.care_withheld)`,
  }, settle.maxAttacks);
  const ms = Date.now() - started;
  log.info('service-use disclosure step', { sql_ms: sqlMs, ...t.fields(), ...Object.fromEntries(Object.entries(step.ms).map(([k, v]) => [`${k}_ms`, v])),
    attacks: step.attacks, parts: step.parts, parts_reused: step.reused, rounds: step.rounds, cells_withheld: step.withheld, ms });
  return { rounds: step.rounds, ms, parts: step.parts, partsReused: step.reused, attacks: step.attacks };
}

/**
 * The organisers' (wellbeing services counties') totals (intermediate.int_service_use__county_cells); none without the
 * organisation model (a service-use run on its own).
 */
async function buildCountyCells(conn: DuckDBConnection): Promise<void> {
  if (await tableExists(conn, 'staging', 'stg_config__organisations') && (await tableExists(conn, 'intermediate', 'int_scorecard__area_members'))) {
    await runSqlFile(conn, 'intermediate/int_service_use__county_cells.sql');
    return;
  }
  await runSqlFile(conn, `${STEP}/int_service_use__county_cells.none.sql`);
}

/** The published service-use marts, in build order (pipelines/sql/marts/<name>.sql). */
export const SERVICE_USE_MARTS = ['service_use_summary', 'service_use_monthly', 'service_use_harmonised', 'service_use_yearly'] as const;

export interface ServiceUseMartsResult {
  built: boolean;
  rows: number;
  cells: number;
  suppressed: number;
  rounds: number;
  boundaryYear: number | null;
  /** The disclosure step's independent parts (one per year), and of them those taken from the previous run unchanged. */
  parts: number;
  partsReused: number;
  /** Attacker rounds of the part that needed most. */
  attacks: number;
}

/** How the disclosure step settles its parts (withhold-complementary.ts): worker threads (default one per core), the attacker rounds' guard. */
export interface SettleSettings { workers?: number; maxAttacks?: number }


/**
 * Rebuilds the service-use marts from staging.stg_service_use__monthly: the yearly staging tables by age group and
 * without (intermediate.int_service_use__by_age, __yearly; always), the unsuppressed cube (staging), primary
 * and complementary suppression until no published line has exactly one withheld cell, then the published tables.
 * Needs marts.population_by_area (the marts job builds it first); without it nothing is built and `built` is false.
 * marts.municipality_harmonisation is used when present (else every municipality is its own harmonised unit).
 */
export async function buildServiceUseMarts(
  conn: DuckDBConnection,
  config: ResolvedServiceUse,
  log: Logger,
  /** Counts 1..threshold-1 are withheld: config.disclosure.suppressionThreshold. */
  threshold: number,
  settle: SettleSettings = {},
): Promise<ServiceUseMartsResult> {
  const t = phaseTimer();
  await prepareServiceUseStaging(conn, config);
  // The yearly tables the foresight projection reads (with and without age); they need no population.
  await runSqlFile(conn, 'intermediate/int_service_use__by_age.sql');
  t.lap('by_age');
  await runSqlFile(conn, 'intermediate/int_service_use__yearly.sql');
  t.lap('yearly');
  if (!(await tableExists(conn, 'marts', 'population_by_area'))) {
    log.warn('service-use marts not built yet: marts.population_by_area is missing (the marts job builds both)');
    return { built: false, rows: 0, cells: 0, suppressed: 0, rounds: 0, boundaryYear: null, parts: 0, partsReused: 0, attacks: 0 };
  }
  let boundaryYear: number | null = null;
  if (await tableExists(conn, 'marts', 'municipality_harmonisation')) {
    const [row] = await querySqlFile<{ y: number | null }>(conn, `${STEP}/boundary_year.sql`, { year: config.boundaryYear });
    boundaryYear = row?.y ?? null;
    await runSqlFile(conn, `${STEP}/su_municipality_map.sql`, { boundary_year: boundaryYear });
  } else {
    log.warn('marts.municipality_harmonisation is missing: service-use harmonised mart uses the codes as they are');
    const [row] = await querySqlFile<{ y: number | null }>(conn, `${STEP}/key_last_year.sql`);
    boundaryYear = config.boundaryYear ?? row?.y ?? null;
    await runSqlFile(conn, `${STEP}/su_municipality_map.unharmonised.sql`);
  }

  t.lap('map');
  const started = Date.now();
  await runSqlFile(conn, 'intermediate/int_service_use__cells.sql', { threshold: threshold });
  t.lap('cells');
  await runSqlFile(conn, 'intermediate/int_service_use__area_population.sql');
  t.lap('area_population');
  await runSqlFile(conn, 'intermediate/int_service_use__suppression_lines.sql');
  t.lap('lines');
  const cubeMs = Date.now() - started;
  const { rounds, parts, partsReused, attacks } = await protectServiceUse(conn, threshold, log, settle);
  const suppressionMs = Date.now() - started - cubeMs;
  t.lap('disclosure');
  await buildCountyCells(conn);
  t.lap('county_cells');
  await runSqlFile(conn, 'marts/service_use_summary.sql');
  t.lap('mart_summary');
  await runSqlFile(conn, 'marts/service_use_monthly.sql');
  t.lap('mart_monthly');
  await runSqlFile(conn, 'marts/service_use_harmonised.sql', { boundary_year: boundaryYear });
  t.lap('mart_harmonised');
  await runSqlFile(conn, 'marts/service_use_yearly.sql');
  t.lap('mart_yearly');
  const [stats] = await querySqlFile<{ cells: bigint; suppressed: bigint; rows: bigint }>(conn, `${STEP}/service_use_marts_counts.sql`);
  await runSqlFile(conn, `${STEP}/su_cleanup.sql`);
  t.lap('counts');
  const result = {
    built: true,
    rows: Number(stats?.rows ?? 0),
    cells: Number(stats?.cells ?? 0),
    suppressed: Number(stats?.suppressed ?? 0),
    rounds,
    boundaryYear,
    parts,
    partsReused,
    attacks,
  };
  log.info('service-use marts built', {
    cells: result.cells,
    suppressed: result.suppressed,
    suppression_rounds: rounds,
    boundary_year: boundaryYear,
    cube_ms: cubeMs,
    suppression_ms: suppressionMs,
    ...t.fields(),
    duration_ms: Date.now() - started,
  });
  return result;
}
