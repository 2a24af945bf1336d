import { importPopulation } from '../population/import.js';
import type { Job } from './job.js';

/**
 * Population by municipality × 5-year age group × year (docs/population.md): Statistics Finland's history and
 * official projection from the configured PxWeb sources (files or table URLs; the demo files by default). Needs
 * the municipality key (regions) to map names to codes.
 */
export const populationJob: Job = {
  name: 'population',
  description: 'population by age, history and projection (PxWeb JSON-stat2/CSV files or URLs) → staging.stg_population__by_age',
  dependsOn: ['regions'],
  async run({ conn, config, log, runId, signal }) {
    const r = await importPopulation(conn, config.population, { runId, log, signal });
    log.info('population loaded', { sources: r.sources, rows: r.rowsLoaded, rejected: r.rowsRejected, skipped_areas: r.skippedAreas });
    return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected };
  },
};
