/**
 * DuckDB's type of each of Evidence's column types (`evidenceType` in a source's `<query>.schema.json`): what an
 * empty source becomes, in the browser (lazy-tables.js) and after `evidence sources` (pipelines/site-empty-sources.ts).
 */
export const EVIDENCE_TYPE_SQL = Object.freeze({ boolean: 'BOOLEAN', number: 'DOUBLE', string: 'VARCHAR', date: 'TIMESTAMP' });
