import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { movedThreshold } from './disclosure.js';
import { configSection, pathSetting, resolvedDefaults } from './section.js';

/** The `unit_data:` section of config/pipeline.yaml (the organisation's own monthly unit data). Every key has a default. */
export const UnitDataSection = configSection({
  /** Folder the units' monthly CSV files are dropped into; `run unit-data` imports every new file found there. */
  drop_dir: pathSetting('data/demo/unit-data'),
  /** Months before this (or after the current month) are rejected. */
  earliest_month: z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
    .default('2015-01'),
  /** Moved to disclosure.suppression_threshold (one threshold for everything published). */
  suppression_threshold: movedThreshold,
  /**
   * Units smaller than this many person-years (staff_htv) in a month publish their sickness absence and overtime
   * only as part of their service area (docs/disclosure.md, "Staff data of small units").
   */
  min_unit_htv: z.number().min(0).max(1000).default(10),
});
export type UnitDataSection = z.infer<typeof UnitDataSection>;

/** Resolves paths from the project root; env UNIT_DATA_DROP_DIR overrides the drop folder. */
export function resolveUnitDataSection(section: UnitDataSection, env: NodeJS.ProcessEnv = {}) {
  return {
    dropDir: fromRoot(env.UNIT_DATA_DROP_DIR || section.drop_dir),
    earliestMonth: section.earliest_month,
    minUnitHtv: section.min_unit_htv,
  };
}

export type ResolvedUnitData = ReturnType<typeof resolveUnitDataSection>;

export const defaultUnitData = resolvedDefaults(UnitDataSection, resolveUnitDataSection);
