import { z } from 'zod';
import { configSection, resolvedDefaults } from './section.js';

/**
 * The `disclosure:` section of config/pipeline.yaml: the one small-number threshold of everything published
 * (docs/disclosure.md). Service-use patient counts, the foresight projection's base counts, and the unit data's
 * feedback respondents and queue lengths are all withheld at 1..threshold-1.
 */
export const DisclosureSection = configSection({
  /** Published counts of patients or clients 1..threshold-1 are withheld, with every cell they could be computed from. */
  suppression_threshold: z.number().int().min(2).max(100).default(5),
});
export type DisclosureSection = z.infer<typeof DisclosureSection>;

export function resolveDisclosureSection(section: DisclosureSection) {
  return { suppressionThreshold: section.suppression_threshold };
}

export type ResolvedDisclosure = ReturnType<typeof resolveDisclosureSection>;

export const defaultDisclosure = resolvedDefaults(DisclosureSection, resolveDisclosureSection);

/**
 * A key that moved to `disclosure.suppression_threshold`: a configuration still naming it under another section is
 * refused with where it went (two thresholds that could differ were the bug this replaces).
 */
export const movedThreshold = z
  .unknown()
  .refine((v) => v === undefined, { message: 'moved: set the one threshold as disclosure.suppression_threshold' })
  .optional();
