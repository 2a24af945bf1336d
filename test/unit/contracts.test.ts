/**
 * Mart contracts (pipelines/contracts/): every mart has one, they parse, docs/marts.md is current, and the checks
 * find a duplicate key, a NULL, a value outside the vocabulary and a row count out of bounds on a real DuckDB table,
 * naming the mart, the rule and an example key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContracts, checkMart, ContractError } from '../../pipelines/contracts/check.js';
import { ContractFileError, loadContracts, MARTS_DIR, parseContract, type MartContract } from '../../pipelines/contracts/contract.js';
import { MARTS_DOC, martsDoc } from '../../pipelines/contracts/doc.js';
import { projectRoot } from '../../pipelines/paths.js';
import { withDuckDB } from '../../pipelines/warehouse.js';

const names = (ext: string) => readdirSync(MARTS_DIR).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();

describe('the contract files', () => {
  it('exist for every mart SQL file, and only for them', () => {
    expect(names('.yml')).toEqual(names('.sql'));
    expect(names('.sql').length).toBeGreaterThan(30);
  });

  it('parse, and each names a unique key and row bounds', () => {
    const contracts = loadContracts();
    expect([...contracts.keys()]).toEqual(names('.sql'));
    for (const c of contracts.values()) expect(c.unique_key.length).toBeGreaterThan(0);
  });

  it('name the file and the key of a bad contract', () => {
    expect(() => parseContract('description: x\nunique_key: []\nrows: { min: 5, max: 1 }\n', 'bad.yml')).toThrow(ContractFileError);
    try {
      parseContract('description: x\nunique_key: [Region]\nrows: { min: 5, max: 1 }\nextra: 1\n', 'bad.yml');
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('bad.yml');
      expect(message).toContain('unique_key.0: a column name in lower case');
      expect(message).toContain('rows: min must not exceed max');
      expect(message).toContain("Unrecognized key(s) in object: 'extra'");
    }
  });

  it('are listed in docs/marts.md, as `write-docs` writes it', () => {
    expect(readFileSync(join(projectRoot, MARTS_DOC), 'utf8')).toBe(martsDoc(loadContracts()));
  });
});

describe('the contract checks', () => {
  const contract: MartContract = {
    description: 'service use per area and year',
    unique_key: ['area_code', 'year'],
    not_null: ['area_code', 'year', 'area_name_fi'],
    accepted_values: { service_type: ['outpatient_visit', 'ALL'] },
    rows: { min: 1, max: 3 },
  };
  const withMart = <T>(rows: string, fn: (conn: Parameters<Parameters<typeof withDuckDB>[1]>[0]) => Promise<T>) =>
    withDuckDB(':memory:', async (conn) => {
      await conn.run(`create schema marts; create table marts.areas (area_code varchar, year integer, area_name_fi varchar, service_type varchar)`);
      if (rows) await conn.run(`insert into marts.areas values ${rows}`);
      return fn(conn);
    });

  it('pass a mart that keeps its contract', async () => {
    await withMart(`('KU091', 2024, 'Helsinki', 'ALL'), ('KU091', 2025, 'Helsinki', null)`, async (conn) => {
      expect(await checkMart(conn, 'areas', contract)).toEqual([]);
      await checkContracts(conn, new Map([['areas', contract]]));
    });
  });

  it('name the mart, the rule and an example key of a duplicate key and of a NULL', async () => {
    await withMart(`('KU091', 2024, 'Helsinki', 'ALL'), ('KU091', 2024, 'Helsinki', 'ALL'), ('KU049', 2024, null, 'ALL')`, async (conn) => {
      expect(await checkMart(conn, 'areas', contract)).toEqual([
        { mart: 'areas', rule: 'unique_key', detail: 'unique_key (area_code, year): 2 rows share a key', example: 'area_code=KU091, year=2024' },
        { mart: 'areas', rule: 'not_null', detail: 'not_null area_name_fi: NULL', example: 'area_code=KU049, year=2024' },
      ]);
      const error = await checkContracts(conn, new Map([['areas', contract]])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractError);
      expect((error as Error).message).toContain('marts.areas: unique_key (area_code, year): 2 rows share a key, e.g. area_code=KU091, year=2024');
      expect((error as Error).message).toContain('marts.areas: not_null area_name_fi: NULL, e.g. area_code=KU049, year=2024');
    });
  });

  it('find a value outside the accepted ones, and a row count out of bounds', async () => {
    await withMart(`('KU091', 2022, 'Helsinki', 'ALL'), ('KU091', 2023, 'Helsinki', 'ALL'), ('KU091', 2024, 'Helsinki', 'ALL'), ('KU091', 2025, 'Helsinki', 'visits')`, async (conn) => {
      expect(await checkMart(conn, 'areas', contract)).toEqual([
        { mart: 'areas', rule: 'rows', detail: 'rows 4 outside 1..3', example: '' },
        { mart: 'areas', rule: 'accepted_values', detail: 'accepted_values service_type: "visits" is not one of them', example: 'area_code=KU091, year=2025' },
      ]);
    });
  });

  it('fail a mart without a contract, a contract without a mart and a contract naming a missing column', async () => {
    await withMart(`('KU091', 2024, 'Helsinki', 'ALL')`, async (conn) => {
      const other = { ...contract, not_null: ['area_name_sv'] };
      const error = await checkContracts(conn, new Map([['regions', contract]])).catch((e: unknown) => e);
      expect((error as ContractError).violations.map((v) => `${v.mart}: ${v.detail}`)).toEqual([
        'areas: no contract (pipelines/sql/marts/areas.yml)',
        'regions: a contract for a mart that was not built',
      ]);
      expect((await checkMart(conn, 'areas', other))[0]?.detail).toBe('contract names columns the mart does not have: area_name_sv');
    });
  });
});
