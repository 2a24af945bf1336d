/**
 * Checks the built marts against their contracts (pipelines/contracts/contract.ts). A broken rule is reported with
 * the mart, the rule and an example key (the values of the unique key's columns: areas, years, specialties, never a
 * person), so the data staff can find the row. Every mart must have a contract, and every contract a mart.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../warehouse.js';
import type { MartContract } from './contract.js';

export interface ContractViolation {
  mart: string;
  rule: 'contract' | 'unique_key' | 'not_null' | 'accepted_values' | 'rows';
  /** The rule as written, e.g. "unique_key (region_id, year)". */
  detail: string;
  /** An example row's key, e.g. "region_id=KU091, year=2020"; empty for row counts. */
  example: string;
}

export class ContractError extends Error {
  constructor(readonly violations: ContractViolation[]) {
    super(
      `Mart contracts broken (${violations.length}):\n${violations
        .map((v) => `  - marts.${v.mart}: ${v.detail}${v.example ? `, e.g. ${v.example}` : ''}`)
        .join('\n')}`,
    );
    this.name = 'ContractError';
  }
}

const quote = (column: string): string => `"${column}"`;
const literal = (v: string | number | boolean): string => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));

/** "a=1, b=x" for the first row of a result, in the key's column order. */
function exampleOf(row: Record<string, unknown> | undefined, key: readonly string[]): string {
  if (!row) return '';
  const shown = (v: unknown): string =>
    v === null || v === undefined ? 'NULL' : v instanceof Date ? v.toISOString().replace(/T00:00:00\.000Z$/, '') : String(v);
  return key.map((c) => `${c}=${shown(row[c])}`).join(', ');
}

/** The violations of one mart's contract (none: an empty list). */
export async function checkMart(conn: DuckDBConnection, mart: string, contract: MartContract): Promise<ContractViolation[]> {
  const table = `marts.${quote(mart)}`;
  const key = contract.unique_key;
  const keyList = key.map(quote).join(', ');
  const found: ContractViolation[] = [];
  const columns = new Set(
    (await queryRows<{ c: string }>(conn, `select column_name as c from duckdb_columns() where schema_name = 'marts' and table_name = $t`, { t: mart })).map((r) => r.c),
  );
  const named = [...key, ...contract.not_null, ...Object.keys(contract.accepted_values)];
  const missing = [...new Set(named.filter((c) => !columns.has(c)))];
  if (missing.length) {
    return [{ mart, rule: 'contract', detail: `contract names columns the mart does not have: ${missing.join(', ')}`, example: '' }];
  }

  const [count] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ${table}`);
  const n = Number(count?.n ?? 0);
  if (n < contract.rows.min || n > contract.rows.max) {
    found.push({ mart, rule: 'rows', detail: `rows ${n} outside ${contract.rows.min}..${contract.rows.max}`, example: '' });
  }

  const [dupe] = await queryRows<Record<string, unknown> & { duplicates: bigint }>(
    conn,
    `select ${keyList}, count(*) as duplicates from ${table} group by all having count(*) > 1 order by all limit 1`,
  );
  if (dupe) {
    found.push({ mart, rule: 'unique_key', detail: `unique_key (${key.join(', ')}): ${dupe.duplicates} rows share a key`, example: exampleOf(dupe, key) });
  }

  for (const column of contract.not_null) {
    const [row] = await queryRows<Record<string, unknown>>(conn, `select ${keyList} from ${table} where ${quote(column)} is null order by all limit 1`);
    if (row) found.push({ mart, rule: 'not_null', detail: `not_null ${column}: NULL`, example: exampleOf(row, key) });
  }

  for (const [column, values] of Object.entries(contract.accepted_values)) {
    const [row] = await queryRows<Record<string, unknown> & { value__: unknown }>(
      conn,
      `select ${keyList}, ${quote(column)}::varchar as value__ from ${table}
       where ${quote(column)} is not null and ${quote(column)} not in (${values.map(literal).join(', ')}) order by all limit 1`,
    );
    if (row) {
      found.push({ mart, rule: 'accepted_values', detail: `accepted_values ${column}: "${String(row.value__)}" is not one of them`, example: exampleOf(row, key) });
    }
  }
  return found;
}

/**
 * Checks every mart of the `marts` schema against its contract; throws a ContractError listing every violation (a
 * mart without a contract, a contract without a mart included). Read-only.
 */
export async function checkContracts(conn: DuckDBConnection, contracts: ReadonlyMap<string, MartContract>): Promise<void> {
  const marts = (await queryRows<{ name: string }>(conn, `select table_name as name from information_schema.tables where table_schema = 'marts' order by 1`)).map(
    (r) => r.name,
  );
  const violations: ContractViolation[] = [];
  for (const mart of marts) {
    const contract = contracts.get(mart);
    if (!contract) violations.push({ mart, rule: 'contract', detail: `no contract (pipelines/sql/marts/${mart}.yml)`, example: '' });
    else violations.push(...(await checkMart(conn, mart, contract)));
  }
  for (const mart of contracts.keys()) {
    if (!marts.includes(mart)) violations.push({ mart, rule: 'contract', detail: 'a contract for a mart that was not built', example: '' });
  }
  if (violations.length) throw new ContractError(violations);
}
