import { readFileSync } from 'node:fs';
import { loadCsvToRaw } from '../csv.js';
import { parseRegions } from '../sotkanet/parse.js';
import { literalPath, queryRows, runSqlFile } from '../warehouse.js';
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
  'yhteistyoalue_code',
  'yhteistyoalue_name_fi',
] as const;

export const MERGER_COLUMNS = ['merged_code', 'merged_name_fi', 'successor_code', 'successor_name_fi', 'effective_date', 'source'] as const;

/**
 * The region model's inputs → staging: the Statistics Finland municipality key, the municipality mergers (dated
 * successor links), Sotkanet's reference region list with the wellbeing counties' ids, and the region settings
 * (year range, harmonisation boundary year). The marts job builds marts.regions, marts.region_memberships,
 * marts.municipality_code_map and marts.municipality_harmonisation from these.
 */
export const regionsJob: Job = {
  name: 'regions',
  description:
    'municipality key, mergers, Sotkanet region list → staging.stg_statfi__municipality_years, stg_regions__mergers, stg_sotkanet__reference_regions',
  dependsOn: [],
  async run({ conn, config, runId }) {
    const keyRows = await loadCsvToRaw(conn, {
      table: 'statfi_municipality_key',
      file: config.reference.municipalityKey,
      required: MUNICIPALITY_KEY_COLUMNS,
    });
    await runSqlFile(conn, 'staging/stg_statfi__municipality_years.rejects.sql', { run_id: runId });
    await runSqlFile(conn, 'staging/stg_statfi__municipality_years.sql');

    const mergerRows = await loadCsvToRaw(conn, { table: 'regions_mergers', file: config.regions.mergers, required: MERGER_COLUMNS });
    await runSqlFile(conn, 'staging/stg_regions__mergers.rejects.sql', { run_id: runId });
    await runSqlFile(conn, 'staging/stg_regions__mergers.sql');

    const regionsFile = config.regions.sotkanetRegions;
    const regions = parseRegions(readFileSync(regionsFile, 'utf8'), regionsFile);
    await runSqlFile(conn, 'raw/sotkanet_reference_regions.sql', { file: regionsFile, path: literalPath(regionsFile) });
    const countyRows = await loadCsvToRaw(conn, {
      table: 'sotkanet_county_ids',
      file: config.regions.wellbeingCountyIds,
      required: ['nimi', 'uusi_id', 'uusi_code'],
    });
    await runSqlFile(conn, 'staging/stg_sotkanet__reference_regions.sql');
    await runSqlFile(conn, 'staging/region_settings.sql', {
      first_year: config.regions.firstYear,
      boundary_year: config.regions.boundaryYear,
    });

    const [row] = await queryRows<{ key: bigint; mergers: bigint; regions: bigint }>(
      conn,
      `select (select count(*) from staging.stg_statfi__municipality_years) as key,
              (select count(*) from staging.stg_regions__mergers) as mergers,
              (select count(*) from staging.stg_sotkanet__reference_regions) as regions`,
    );
    await runSqlFile(conn, 'staging/stg_statfi__grid_layouts.sql', { glob: config.reference.gridLayouts });
    const rowsRead = keyRows + mergerRows + regions.length + countyRows;
    const rowsLoaded = Number(row?.key ?? 0) + Number(row?.mergers ?? 0) + Number(row?.regions ?? 0);
    return { rowsRead, rowsLoaded, rowsRejected: keyRows + mergerRows - Number(row?.key ?? 0) - Number(row?.mergers ?? 0) };
  },
};
