import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { configSection, pathSetting } from './section.js';

/** The `regions:` section of config/pipeline.yaml. Every key has a default. */
export const RegionsSection = configSection({
  /** Sotkanet's region list (a real `/regions` response), for Sotkanet ids and sv/en names. */
  sotkanet_regions: pathSetting('data/reference/sotkanet/regions.json'),
  /** The wellbeing services counties with their new and old Sotkanet ids. */
  wellbeing_county_ids: pathSetting('data/reference/sotkanet/wellbeing_counties_id_map.csv'),
  /** Municipality mergers as dated successor links (merged code → successor code, effective date). */
  mergers: pathSetting('pipelines/regions/municipality_mergers.csv'),
  /** Municipal series are harmonised onto the boundaries of this year; null = the latest municipality key year. */
  boundary_year: z.number().int().min(1900).max(2100).nullable().default(null),
  /** First year of the per-year region tables (marts.regions, marts.municipality_code_map). */
  first_year: z.number().int().min(1900).max(2100).default(2000),
});
export type RegionsSection = z.infer<typeof RegionsSection>;

export function resolveRegionsSection(section: RegionsSection) {
  return {
    sotkanetRegions: fromRoot(section.sotkanet_regions),
    wellbeingCountyIds: fromRoot(section.wellbeing_county_ids),
    mergers: fromRoot(section.mergers),
    boundaryYear: section.boundary_year,
    firstYear: section.first_year,
  };
}

export type ResolvedRegions = ReturnType<typeof resolveRegionsSection>;

/** The `organisation:` section: where the organisation model lives. */
export const OrganisationSection = configSection({
  file: pathSetting('config/organisation.yaml'),
});
export type OrganisationSection = z.infer<typeof OrganisationSection>;

export function resolveOrganisationSection(section: OrganisationSection): {
  file: string;
} {
  return { file: fromRoot(section.file) };
}
