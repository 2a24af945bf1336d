/** docs/marts.md, generated from the contracts (`npm run pipeline -- write-docs`; a unit test keeps it current). */
import type { MartContract } from './contract.js';

export const MARTS_DOC = 'docs/marts.md';

const list = (items: readonly (string | number | boolean)[]): string => items.map((i) => `\`${String(i)}\``).join(', ');

/** The page text for the contracts, in mart order. Pure. */
export function martsDoc(contracts: ReadonlyMap<string, MartContract>): string {
  const lines = [
    '# Marts and their contracts',
    '',
    '<!-- Generated from pipelines/sql/marts/*.yml by `npm run pipeline -- write-docs`; do not edit by hand. -->',
    '',
    'Every published table (`marts.<name>`, made by `pipelines/sql/marts/<name>.sql`) has a contract beside its SQL',
    '(`<name>.yml`): the columns that identify a row, the columns never NULL, the values a column may take and the bounds',
    'of its row count. The marts job checks them after building the marts and before anything is published; a broken',
    'rule fails the run with the mart, the rule and an example key, and the previous marts and published data stay.',
    '',
    '| mart | one row per / what | unique key | rows |',
    '|---|---|---|---|',
  ];
  for (const [mart, c] of contracts) {
    lines.push(`| [\`${mart}\`](#${mart}) | ${c.description.replace(/\|/g, '\\|')} | ${list(c.unique_key)} | ${c.rows.min}–${c.rows.max} |`);
  }
  for (const [mart, c] of contracts) {
    lines.push('', `## ${mart}`, '', c.description, '', `- unique key: ${list(c.unique_key)}`, `- never NULL: ${c.not_null.length ? list(c.not_null) : '–'}`);
    for (const [column, values] of Object.entries(c.accepted_values)) lines.push(`- \`${column}\` is one of ${list(values)}`);
    lines.push(`- rows: ${c.rows.min} to ${c.rows.max}`);
  }
  return `${lines.join('\n')}\n`;
}
