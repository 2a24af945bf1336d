/**
 * The disclosure check on a published file (docs/disclosure.md): every small-number protected mart is declared
 * here as data (its cells, its withheld flag, and its dimensions with their hierarchies), the additive relations
 * are built from the published file alone, as an attacker would, and the attacker (./attacker.ts) tries them all.
 * The publish refuses a file in which any withheld cell is recoverable.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { findLeaks } from './attacker.js';

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
}

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
  },
  {
    mart: 'service_need_projection',
    withheld: 'suppressed',
    keys: ['year', 'area_type', 'area_code', 'specialty_code', 'service_type'],
    totals: SPECIALTY_AND_SERVICE_TYPE_TOTALS,
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
];

export interface PublishedLeak {
  mart: string;
  /** The key of the recoverable cell (codes and periods only, never values). */
  key: Record<string, string>;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The SQL that numbers the cells of a cube and lists its equations (group, equation, cell, coef). */
function cubeSql(cube: ProtectedCube): { cells: string; equations: string } {
  const keys = cube.keys.map(q);
  const cells = `create or replace temp table disclosure_cells as
    select cast(row_number() over (order by ${keys.join(', ')}) - 1 as integer) as cell, ${keys.join(', ')},
           ${cube.area ? `${cube.area.key}` : 'null'} as area_key, coalesce(${cube.withheld}, false) as withheld
    from marts.${q(cube.mart)} ${cube.where ? `where ${cube.where}` : ''}`;
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
  const [withheldCol] = (await conn.runAndReadAll('select withheld from disclosure_cells order by cell')).getColumnsJS() as [boolean[]];
  const n = withheldCol?.length ?? 0;
  if (!n) return [];
  const statements = equations.split(';').map((s) => s.trim()).filter(Boolean);
  for (const s of statements.slice(0, -1)) await conn.run(s);
  const cols = (await conn.runAndReadAll(statements.at(-1)!)).getColumnsJS() as number[][];
  if (!cols[0]?.length) return [];
  // Published values of a withheld cell are all NULL: one bit stands for all its measures.
  const leaks = findLeaks(
    { group: cols[0], equation: cols[1]!, cell: cols[2]!, coef: cols[3]! },
    (c) => (withheldCol[c] ? 1 : 0),
    (c) => c >= n,
  );
  if (!leaks.length) return [];
  const ids = [...new Set(leaks.map((l) => l.cell))].slice(0, 1000);
  const keys = (await conn.runAndReadAll(
    `select ${cube.keys.map((k) => `cast(${q(k)} as varchar) as ${q(k)}`).join(', ')} from disclosure_cells
     where cell in (${ids.join(',')}) order by cell`,
  )).getRowObjectsJS() as Record<string, string>[];
  return keys.map((key) => ({ mart: cube.mart, key }));
}

/** Attacks every declared cube present in the file; returns the leaks (empty = nothing recoverable). */
export async function attackPublished(conn: DuckDBConnection, cubes: ProtectedCube[] = PROTECTED_CUBES): Promise<PublishedLeak[]> {
  const present = new Set(
    ((await conn.runAndReadAll(
      `select table_name from information_schema.tables where table_schema = 'marts' and table_catalog = current_database()`,
    )).getColumnsJS()[0] ?? []) as string[],
  );
  const leaks: PublishedLeak[] = [];
  for (const cube of cubes) if (present.has(cube.mart)) leaks.push(...(await attackCube(conn, cube)));
  await conn.run('drop table if exists disclosure_cells; drop table if exists disclosure_members; drop table if exists disclosure_latent');
  return leaks;
}
