import { loadOrganisation, type OrganisationFile } from '../regions/organisation.js';
import { insertRows, type Row, runSqlFile } from '../warehouse.js';
import type { Job } from './job.js';

/** The validity columns of a service area or unit (NULL where not given). Pure. */
const validity = (x: { valid_from?: string; valid_to?: string | null; note?: string }): Row => ({
  valid_from: x.valid_from ?? null,
  valid_to: x.valid_to ?? null,
  note: x.note ?? null,
});

/** The organisation model as the rows of its four staging tables (column name → value). Pure. */
export function organisationRows(org: OrganisationFile, file: string): Record<string, Row[]> {
  return {
    'staging.stg_config__organisations': org.organisations.map((o) => ({
      organisation_code: o.code,
      organisation_type: o.type,
      name_fi: o.name_fi,
      name_sv: o.name_sv ?? null,
      name_en: o.name_en ?? null,
      parent_code: o.parent ?? null,
      host_municipality: o.host_municipality ?? null,
      valid_from: o.valid_from,
      valid_to: o.valid_to,
      region_category: o.region?.category ?? null,
      region_code: o.region?.code ?? null,
      note: o.note ?? null,
      source_file: file,
    })),
    'staging.stg_config__organisation_members': org.organisations.flatMap((o) =>
      o.members.map((m) => ({
        organisation_code: o.code,
        municipality_code: m.municipality,
        name_fi: m.name_fi ?? null,
        valid_from: m.valid_from ?? o.valid_from,
        valid_to: m.valid_to === undefined ? o.valid_to : m.valid_to,
        note: m.note ?? null,
      })),
    ),
    'staging.stg_config__service_areas': org.service_areas.map((a) => ({
      ...{ service_area_code: a.code, name_fi: a.name_fi, organisation_code: a.organisation },
      ...validity(a),
    })),
    'staging.stg_config__units': org.units.map((u) => ({
      ...{ unit_code: u.code, name_fi: u.name_fi, service_area_code: u.service_area, municipality_code: u.municipality ?? null },
      ...validity(u),
    })),
  };
}

/** Loads the organisation model (config/organisation.yaml) into staging.stg_config__organisation*. */
export const organisationJob: Job = {
  name: 'organisation',
  description: 'config/organisation.yaml → staging.stg_config__organisations, _organisation_members, _service_areas, _units',
  dependsOn: [],
  async run({ conn, config }) {
    const file = config.organisation.file;
    let rows = 0;
    for (const [table, tableRows] of Object.entries(organisationRows(loadOrganisation(file), file))) {
      await runSqlFile(conn, `${table.replace('.', '/')}.sql`);
      await insertRows(conn, table, tableRows);
      rows += tableRows.length;
    }
    return { rowsRead: rows, rowsLoaded: rows, rowsRejected: 0 };
  },
};
