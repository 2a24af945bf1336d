import { loadCsvToRaw } from '../csv.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import type { Job } from './job.js';

/** Columns of the Statistics Finland municipality key that the region model uses. */
export const MUNICIPALITY_KEY_COLUMNS = [
  'year',
  'municipality_code',
  'municipality_name_fi',
  'municipality_name_sv',
  'municipality_name_en',
  'maakunta_code',
  'maakunta_name_fi',
  'sairaanhoitop_code',
  'sairaanhoitop_name_fi',
  'sairaanhoitop_name_sv',
  'erva_code',
  'erva_name_fi',
  'hyvinvointialue_code',
  'hyvinvointialue_name_fi',
  'hyvinvointialue_name_sv',
] as const;

/** Produces staging.stg_statfi__municipality_years from the Statistics Finland municipality key. */
export const regionsJob: Job = {
  name: 'regions',
  description: 'Statistics Finland municipality keys → staging.stg_statfi__municipality_years',
  dependsOn: [],
  async run({ conn, config, runId }) {
    const rowsRead = await loadCsvToRaw(conn, {
      table: 'statfi_municipality_key',
      file: config.reference.municipalityKey,
      required: MUNICIPALITY_KEY_COLUMNS,
    });
    await runSqlFile(conn, 'staging/stg_statfi__municipality_years.rejects.sql', { run_id: runId });
    await runSqlFile(conn, 'staging/stg_statfi__municipality_years.sql');
    const [row] = await queryRows<{ loaded: bigint }>(
      conn,
      'select count(*) as loaded from staging.stg_statfi__municipality_years',
    );
    const rowsLoaded = Number(row?.loaded ?? 0);
    return { rowsRead, rowsLoaded, rowsRejected: rowsRead - rowsLoaded };
  },
};
