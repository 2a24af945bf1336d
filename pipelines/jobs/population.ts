import { loadCsvToRaw } from '../csv.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import type { Job } from './job.js';

/** Produces staging.stg_sotkanet__population from Sotkanet indicator 127 (population 31.12.). */
export const populationJob: Job = {
  name: 'population',
  description: 'Sotkanet population 31.12. per municipality (indicator 127) → staging.stg_sotkanet__population',
  dependsOn: [],
  async run({ conn, config, runId }) {
    const rowsRead = await loadCsvToRaw(conn, {
      table: 'sotkanet_population',
      file: config.reference.population,
      required: ['municipality_code', 'year', 'population'],
    });
    await runSqlFile(conn, 'staging/stg_sotkanet__population.rejects.sql', { run_id: runId });
    await runSqlFile(conn, 'staging/stg_sotkanet__population.sql');
    const [row] = await queryRows<{ loaded: bigint }>(conn, 'select count(*) as loaded from staging.stg_sotkanet__population');
    const rowsLoaded = Number(row?.loaded ?? 0);
    return { rowsRead, rowsLoaded, rowsRejected: rowsRead - rowsLoaded };
  },
};
