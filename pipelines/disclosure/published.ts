/**
 * The disclosure check on a published file (docs/disclosure.md): every small-number protected mart is declared
 * here as data (its cells, its withheld flag, and its dimensions with their hierarchies), the additive relations
 * are built from the published file alone, as an attacker would, and the attacker (./attacker.ts) tries them all.
 * The publish refuses a file in which any withheld cell is recoverable.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { countTooNarrow, eurosTooNarrow, findLeaks, intervalBounds } from './attacker.js';

/** A published, small-number protected table and its additive structure. */
export interface ProtectedCube {
  mart: string;
  /** SQL (over the mart's columns) that is true for the withheld rows. */
  withheld: string;
  /** Key columns; a row is one cell. */
  keys: string[];
  /** Dimensions with a total member: the rows with `column = total` are the sum of the other rows of the slice. */
  totals: { column: string; total: string }[];
  /**
   * The area dimension: `key` is an SQL expression over the mart's columns naming the area of a row; `members`
   * returns (area, member) pairs in the same naming: an area is the sum of its members (members never published in
   * a slice are latent: unknown to the attacker, but still part of the sums). Areas may nest and overlap.
   */
  area?: { key: string; members: string };
  /** Rows of the mart that are cells (default all). */
  where?: string;
  /**
   * Cells across marts: SQL giving the rows instead of `marts.<mart>` (then `mart` only names the cube), and the
   * marts it reads (all must be published for the cube to be attacked).
   */
  from?: { sql: string; marts: string[] };
  /**
   * The published measures the interval attack bounds (non-negativity with every relation at once): a count is
   * recoverable within ±0.5, euros within ±1 %. `withheld`: SQL true where this measure alone is withheld too;
   * `zeroWhere`: SQL true where the measure is 0 by its nature, known to everyone even when withheld (care periods of
   * an outpatient visit). The exact attack bounds nothing but recovers each measure on its own, the same way.
   */
  measures?: { column: string; kind: 'count' | 'euros'; withheld?: string; zeroWhere?: string }[];
  /**
   * The published values are rounded to whole units (a projection): each is within ±rounding of the value the
   * relations hold for, and the interval attack allows for it (default 0: exact sums).
   */
  rounding?: number;
}

/**
 * The measures of the service-use marts. Care periods and bed days may be withheld on their own; they occur only in
 * inpatient periods, and visits only outside them (zeros everyone knows).
 */
const serviceUseMeasures = (withPatients: boolean): ProtectedCube['measures'] => [
  ...(withPatients ? [{ column: 'patients', kind: 'count' as const }] : []),
  { column: 'visits', kind: 'count', zeroWhere: `service_type = 'inpatient_period'` },
  ...['care_periods', 'bed_days'].map((column) => ({
    column,
    kind: 'count' as const,
    withheld: 'is_care_periods_withheld',
    zeroWhere: `service_type in ('outpatient_visit', 'day_surgery', 'other')`,
  })),
  { column: 'cost_eur', kind: 'euros' },
];

/** All specialties and all service types: the totals of both service-use and projection cubes. */
const SPECIALTY_AND_SERVICE_TYPE_TOTALS = [
  { column: 'specialty_code', total: 'ALL' },
  { column: 'service_type', total: 'ALL' },
];

/** The area key of the service-use marts: their municipality level and code. */
const MUNICIPALITY_OR_DISTRICT = `municipality_level || ':' || municipality_code`;

/**
 * The district ('ALL') is the sum of every municipality of a service-use mart, an organiser's total (level 'county')
 * the sum of its municipalities (county_org_id).
 */
const districtMembers = (mart: string): string =>
  `select distinct 'district:ALL' as area, 'municipality:' || municipality_code as member
   from marts.${mart} where municipality_level = 'municipality'
   union all
   select distinct 'county:' || county_org_id, 'municipality:' || municipality_code
   from marts.${mart} where municipality_level = 'municipality' and county_org_id is not null`;

/** Every small-number protected mart we publish. */
export const PROTECTED_CUBES: ProtectedCube[] = [
  {
    mart: 'service_use_summary',
    withheld: 'is_suppressed',
    keys: ['month', 'municipality_level', 'municipality_code', 'specialty_code', 'service_type'],
    totals: SPECIALTY_AND_SERVICE_TYPE_TOTALS,
    measures: serviceUseMeasures(true),
    area: {
      key: MUNICIPALITY_OR_DISTRICT,
      members: `${districtMembers('service_use_summary')}
                union all
                select distinct 'harmonised:' || h.harmonised_code, 'municipality:' || h.municipality_code
                from marts.municipality_harmonisation h
                where h.boundary_year = (select max(boundary_year) from marts.municipality_harmonisation)
                  and h.harmonised_code in (select municipality_code from marts.service_use_summary
                                            where municipality_level = 'harmonised')`,
    },
  },
  {
    mart: 'service_use_yearly',
    withheld: 'is_suppressed',
    keys: ['year', 'municipality_level', 'municipality_code', 'specialty_code', 'service_type'],
    totals: SPECIALTY_AND_SERVICE_TYPE_TOTALS,
    area: { key: MUNICIPALITY_OR_DISTRICT, members: districtMembers('service_use_yearly') },
    measures: serviceUseMeasures(false),
  },
  {
    mart: 'service_need_projection',
    withheld: 'suppressed',
    keys: ['year', 'area_type', 'area_code', 'specialty_code', 'service_type'],
    totals: SPECIALTY_AND_SERVICE_TYPE_TOTALS,
    // Projected visits, care periods, bed days and euros, each rounded to whole units; base-year counts are counts.
    measures: (serviceUseMeasures(false) ?? []).map(({ withheld: _, ...m }) => m),
    rounding: 0.5,
    area: {
      key: `area_type || ':' || area_code`,
      members: `select area_type || ':' || area_code as area, 'municipality:' || municipality_code as member
                from marts.foresight_area_members`,
    },
  },
  {
    mart: 'scenario_results',
    withheld: 'suppressed',
    keys: ['scenario_code', 'year', 'municipality_code'],
    totals: [{ column: 'municipality_code', total: 'ALL' }],
  },
  {
    // Across marts: a year of marts.service_use_yearly is the sum of its months in marts.service_use_summary, with
    // every relation of both (specialties, service types, the district) in one cube.
    mart: 'service_use_summary+yearly',
    from: {
      marts: ['service_use_summary', 'service_use_yearly'],
      sql: `select 'm:' || strftime(month, '%Y-%m') as period, municipality_code, specialty_code, service_type,
                   is_suppressed, is_care_periods_withheld, visits, care_periods, bed_days, cost_eur
            from marts.service_use_summary where municipality_level in ('municipality', 'district')
            union all
            select 'y:' || year, municipality_code, specialty_code, service_type,
                   is_suppressed, is_care_periods_withheld, visits, care_periods, bed_days, cost_eur
            from marts.service_use_yearly where municipality_level in ('municipality', 'district')`,
    },
    withheld: 'is_suppressed',
    keys: ['period', 'municipality_code', 'specialty_code', 'service_type'],
    totals: [...SPECIALTY_AND_SERVICE_TYPE_TOTALS, { column: 'municipality_code', total: 'ALL' }],
    area: {
      key: 'period',
      members: `select distinct 'y:' || year(month) as area, 'm:' || strftime(month, '%Y-%m') as member
                from marts.service_use_summary where year(month) in (select year from marts.service_use_yearly)`,
    },
    measures: serviceUseMeasures(false),
  },
];

export interface PublishedLeak {
  mart: string;
  /** The key of the recoverable cell (codes and periods only, never values). */
  key: Record<string, string>;
  /** How: an exact linear combination, or bounds (non-negativity with the relations) within ±0.5 / ±1 %. */
  attack: 'exact' | 'interval';
  /** The measure column the interval attack bounds (exact attacks recover whole cells or their withheld measures). */
  measure?: string;
  /**
   * The publish refuses the file: every exact leak, every count bounded within ±0.5 and every euro amount bounded
   * within ±1 % (the disclosure step widens them: docs/disclosure.md). Kept as a flag for reports that list findings.
   */
  enforced: boolean;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The SQL that numbers the cells of a cube and lists its equations (group, equation, cell, coef). */
function cubeSql(cube: ProtectedCube): { cells: string; equations: string } {
  const keys = cube.keys.map(q);
  const cells = `create or replace temp table disclosure_cells as
    select cast(row_number() over (order by ${keys.join(', ')}) - 1 as integer) as cell, ${keys.join(', ')},
           ${cube.area ? `${cube.area.key}` : 'null'} as area_key, coalesce(${cube.withheld}, false) as withheld
           ${(cube.measures ?? []).map((m, i) => `,
             case when ${m.zeroWhere ?? 'false'} then 0 else cast(${q(m.column)} as double) end as m${i},
             (coalesce(${cube.withheld}, false) ${m.withheld ? `or coalesce(${m.withheld}, false)` : ''})
               and not coalesce(${m.zeroWhere ?? 'false'}, false) as w${i}`).join('')}
    from ${cube.from ? `(${cube.from.sql})` : `marts.${q(cube.mart)}`} ${cube.where ? `where ${cube.where}` : ''}`;
  const parts: string[] = [];
  cube.totals.forEach(({ column, total }, d) => {
    const others = cube.keys.filter((k) => k !== column).map(q);
    const slice = others.map((k) => `t.${k} = m.${k}`).join(' and ');
    parts.push(`select 'total${d}|' || t.cell as group_key, t.cell as equation_key, t.cell as cell, 1.0 as coef
      from disclosure_cells t where t.${q(column)} = '${total}'
      union all
      select 'total${d}|' || t.cell, t.cell, m.cell, -1.0
      from disclosure_cells t join disclosure_cells m on ${slice} and m.${q(column)} <> '${total}'
      where t.${q(column)} = '${total}'`);
  });
  if (cube.area) {
    // The slice of an area row is the rest of its key; the area is the sum of its members in the same slice.
    const sameSlice = sliceKeys(cube).map((k) => `m.${k} = t.${k}`).join(' and ');
    parts.push(`select 'area|' || ${sliceExpr(cube, 't')} as group_key, t.cell as equation_key, t.cell as cell, 1.0 as coef
      from disclosure_cells t where t.area_key in (select area from disclosure_members)
      union all
      select 'area|' || ${sliceExpr(cube, 't')}, t.cell, coalesce(m.cell, l.cell), -1.0
      from disclosure_cells t
      join disclosure_members h on h.area = t.area_key
      left join disclosure_cells m on ${sameSlice} and m.area_key = h.member
      left join disclosure_latent l on l.slice = ${sliceExpr(cube, 't')} and l.member = h.member`);
  }
  const equations = `
    ${cube.area ? `create or replace temp table disclosure_members as ${cube.area.members};
    create or replace temp table disclosure_latent as
      select slice, member, cast((select count(*) from disclosure_cells) + row_number() over (order by slice, member) - 1 as integer) as cell
      from (select distinct ${sliceExpr(cube, 't')} as slice, h.member
            from disclosure_cells t join disclosure_members h on h.area = t.area_key) x
      where not exists (select 1 from disclosure_cells m where m.area_key = x.member and ${sliceExpr(cube, 'm')} = x.slice);` : ''}
    select cast(dense_rank() over (order by group_key) as double) as group_id,
           cast(dense_rank() over (order by group_key, equation_key) as double) as equation_id,
           cast(cell as integer) as cell, coef
    from (${parts.join('\nunion all\n')}) e
    order by group_id, equation_id`;
  return { cells, equations };
}

/** The key columns that are not part of the area key (quoted). */
const sliceKeys = (cube: ProtectedCube): string[] => cube.keys.filter((k) => !cube.area!.key.includes(k)).map(q);

/** One string naming a row's slice (its key without the area). */
const sliceExpr = (cube: ProtectedCube, alias: string): string =>
  sliceKeys(cube).map((k) => `cast(${alias}.${k} as varchar)`).join(` || '|' || `);

/** Attacks one cube in the file `conn` is connected to; returns the withheld cells it recovers. */
export async function attackCube(conn: DuckDBConnection, cube: ProtectedCube): Promise<PublishedLeak[]> {
  const { cells, equations } = cubeSql(cube);
  await conn.run(cells);
  const measures = cube.measures ?? [];
  const columns = (await conn.runAndReadAll(
    `select withheld ${measures.map((_, i) => `, m${i}, w${i}`).join('')} from disclosure_cells order by cell`,
  )).getColumnsJS() as unknown[][];
  const withheldCol = columns[0] as boolean[] | undefined;
  const n = withheldCol?.length ?? 0;
  if (!n) return [];
  const statements = equations.split(';').map((s) => s.trim()).filter(Boolean);
  for (const s of statements.slice(0, -1)) await conn.run(s);
  const cols = (await conn.runAndReadAll(statements.at(-1)!)).getColumnsJS() as number[][];
  if (!cols[0]?.length) return [];
  const eq = { group: cols[0], equation: cols[1]!, cell: cols[2]!, coef: cols[3]! };
  const latent = (c: number) => c >= n;
  // The exact attack: one bit per declared measure withheld (a whole withheld cell hides them all), else one bit.
  const measureWithheld = measures.map((_, i) => columns[2 + 2 * i] as boolean[]);
  const hidden = measures.length
    ? (c: number) => measureWithheld.reduce((bits, w, i) => (w[c] ? bits | (1 << i) : bits), 0)
    : (c: number) => (withheldCol![c] ? 1 : 0);
  const found = new Map<number, Omit<PublishedLeak, 'mart' | 'key'>>();
  const put = (c: number, leak: Omit<PublishedLeak, 'mart' | 'key'>) => {
    const seen = found.get(c);
    if (!seen || (leak.enforced && !seen.enforced)) found.set(c, leak);
  };
  // The interval attack, measure by measure, over every relation of the mart at once.
  const bounds = measures.map((m, i) => {
    const values = columns[1 + 2 * i] as (number | null)[];
    const withheld = measureWithheld[i]!;
    const b = intervalBounds(eq, (c) => (c >= n || withheld[c] || values[c] === null ? NaN : (values[c] as number)), 200, cube.rounding);
    const tooNarrow = m.kind === 'count' ? countTooNarrow : eurosTooNarrow;
    for (const [c, l] of b.lower) {
      const u = b.upper.get(c)!;
      if (c < n && withheld[c] && Number.isFinite(u) && tooNarrow(l, u)) put(c, { attack: 'interval', measure: m.column, enforced: true });
    }
    return b;
  });
  // The exact attack; a measure it recovers that the bounds show to be 0 reveals no one (an outpatient visit's care
  // periods, behind a withheld total). Of rounded values the bounds show 0 only up to the rounding of the published
  // ones (a projected 0 is "at most one" when its total and the other members are rounded).
  const zero = (kind: 'count' | 'euros') => (kind === 'count' ? 0.5 : 0.005) + 2 * (cube.rounding ?? 0);
  for (const l of findLeaks(eq, hidden, latent)) {
    const upper = bounds[l.bit]?.upper.get(l.cell);
    if (upper !== undefined && upper < zero(measures[l.bit]!.kind)) continue;
    put(l.cell, { attack: 'exact', measure: measures[l.bit]?.column, enforced: true });
  }
  if (!found.size) return [];
  const ids = [...found.keys()].sort((a, b) => a - b).slice(0, 1000);
  const keys = (await conn.runAndReadAll(
    `select cell, ${cube.keys.map((k) => `cast(${q(k)} as varchar) as ${q(k)}`).join(', ')} from disclosure_cells
     where cell in (${ids.join(',')}) order by cell`,
  )).getRowObjectsJS() as Record<string, string | number>[];
  return keys.map(({ cell, ...key }) => ({ mart: cube.mart, key: key as Record<string, string>, ...found.get(Number(cell))! }));
}

/** Attacks every declared cube present in the file; returns the leaks (empty = nothing recoverable). */
export async function attackPublished(conn: DuckDBConnection, cubes: ProtectedCube[] = PROTECTED_CUBES): Promise<PublishedLeak[]> {
  const present = new Set(
    ((await conn.runAndReadAll(
      `select table_name from information_schema.tables where table_schema = 'marts' and table_catalog = current_database()`,
    )).getColumnsJS()[0] ?? []) as string[],
  );
  const leaks: PublishedLeak[] = [];
  for (const cube of cubes) {
    if ((cube.from?.marts ?? [cube.mart]).every((m) => present.has(m))) leaks.push(...(await attackCube(conn, cube)));
  }
  await conn.run('drop table if exists disclosure_cells; drop table if exists disclosure_members; drop table if exists disclosure_latent');
  return leaks;
}
