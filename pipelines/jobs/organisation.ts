import { loadOrganisation } from '../regions/organisation.js';
import { runSqlFile } from '../warehouse.js';
import type { Job } from './job.js';

/** Loads the organisation model (config/organisation.yaml) into staging.stg_config__organisation*. */
export const organisationJob: Job = {
  name: 'organisation',
  description: 'config/organisation.yaml → staging.stg_config__organisations, _organisation_members, _service_areas, _units',
  dependsOn: [],
  async run({ conn, config }) {
    const file = config.organisation.file;
    const org = loadOrganisation(file);
    await runSqlFile(conn, 'staging/stg_config__organisation.tables.sql');
    let rows = 0;
    for (const o of org.organisations) {
      await conn.run(
        `insert into staging.stg_config__organisations values
         ($code, $type, $name_fi, $name_sv, $name_en, $parent, $host, cast($valid_from as date), cast($valid_to as date),
          $region_category, $region_code, $note, $file)`,
        {
          code: o.code,
          type: o.type,
          name_fi: o.name_fi,
          name_sv: o.name_sv ?? null,
          name_en: o.name_en ?? null,
          parent: o.parent ?? null,
          host: o.host_municipality ?? null,
          valid_from: o.valid_from,
          valid_to: o.valid_to,
          region_category: o.region?.category ?? null,
          region_code: o.region?.code ?? null,
          note: o.note ?? null,
          file,
        },
      );
      rows++;
      for (const m of o.members) {
        await conn.run(
          `insert into staging.stg_config__organisation_members values
           ($org, $municipality, $name_fi, cast($valid_from as date), cast($valid_to as date), $note)`,
          {
            org: o.code,
            municipality: m.municipality,
            name_fi: m.name_fi ?? null,
            valid_from: m.valid_from ?? o.valid_from,
            valid_to: m.valid_to === undefined ? o.valid_to : m.valid_to,
            note: m.note ?? null,
          },
        );
        rows++;
      }
    }
    for (const a of org.service_areas) {
      await conn.run(
        `insert into staging.stg_config__service_areas values
         ($code, $name_fi, $org, cast($valid_from as date), cast($valid_to as date), $note)`,
        { code: a.code, name_fi: a.name_fi, org: a.organisation, valid_from: a.valid_from ?? null, valid_to: a.valid_to ?? null, note: a.note ?? null },
      );
      rows++;
    }
    for (const u of org.units) {
      await conn.run(
        `insert into staging.stg_config__units values
         ($code, $name_fi, $area, $municipality, cast($valid_from as date), cast($valid_to as date), $note)`,
        {
          code: u.code,
          name_fi: u.name_fi,
          area: u.service_area,
          municipality: u.municipality ?? null,
          valid_from: u.valid_from ?? null,
          valid_to: u.valid_to ?? null,
          note: u.note ?? null,
        },
      );
      rows++;
    }
    return { rowsRead: rows, rowsLoaded: rows, rowsRejected: 0 };
  },
};
