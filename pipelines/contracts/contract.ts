/**
 * Contracts of the marts (docs/marts.md): one YAML file beside each mart's SQL (`pipelines/sql/marts/<mart>.yml`, as
 * dbt keeps its schema files beside the models) stating its unique key, the columns that are never NULL, the values a
 * column may take and the bounds of its row count. Validated with zod when read; checked on the built marts by the
 * marts job before anything is published (pipelines/contracts/check.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { fileProblemsError, parseYamlOrThrow } from '../yaml-file.js';

/** Where the marts' SQL and their contracts live. */
export const MARTS_DIR = fromRoot('pipelines/sql/marts');

/** A column name as the marts write them (lower case); quoted in the checks' SQL. */
const Column = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name in lower case (letters, digits, _)');

export const MartContract = z
  .object({
    /** What one row is, in a sentence (listed in docs/marts.md). */
    description: z.string().trim().min(1),
    /** The columns that identify a row: no two rows share their values. */
    unique_key: z.array(Column).min(1),
    /** Columns never NULL (the unique key's columns are implied only when listed here too). */
    not_null: z.array(Column).default([]),
    /** Per column, every value it may take (NULL is allowed unless the column is in not_null). */
    accepted_values: z.record(Column, z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)).default({}),
    /** Bounds of the row count: fewer or more rows mean a broken input or a join that multiplies rows. */
    rows: z
      .object({ min: z.number().int().min(0), max: z.number().int().min(1) })
      .strict()
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max' }),
  })
  .strict();
export type MartContract = z.infer<typeof MartContract>;

export const ContractFileError = fileProblemsError('ContractFileError', 'mart contract');
export type ContractFileError = InstanceType<typeof ContractFileError>;

/** Parses one contract file's text; problems name the file and the key path. Pure. */
export function parseContract(text: string, file: string): MartContract {
  return parseYamlOrThrow(MartContract, text, file, ContractFileError);
}

/** Every contract in `dir`, by mart name (the file's name without `.yml`), sorted by name. */
export function loadContracts(dir = MARTS_DIR): Map<string, MartContract> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  return new Map(files.map((f) => [basename(f, '.yml'), parseContract(readFileSync(join(dir, f), 'utf8'), join(dir, f))]));
}
