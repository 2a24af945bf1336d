import { z } from 'zod';

/**
 * The `disclosure:` section of config/pipeline.yaml: the one small-number threshold of everything published
 * (docs/disclosure.md). Service-use patient counts, the foresight projection's base counts, and the unit data's
 * feedback respondents and queue lengths are all withheld at 1..threshold-1.
 */
export const DisclosureSection = z
  .object({
    /** Published counts of patients or clients 1..threshold-1 are withheld, with every cell they could be computed from. */
    suppression_threshold: z.number().int().min(2).max(100).default(5),
  })
  .strict()
  .default({});
export type DisclosureSection = z.infer<typeof DisclosureSection>;

export interface ResolvedDisclosure {
  suppressionThreshold: number;
}

export function resolveDisclosureSection(section: DisclosureSection): ResolvedDisclosure {
  return { suppressionThreshold: section.suppression_threshold };
}

export function defaultDisclosure(): ResolvedDisclosure {
  return resolveDisclosureSection(DisclosureSection.parse(undefined));
}

/**
 * A key that moved to `disclosure.suppression_threshold`: a configuration still naming it under another section is
 * refused with where it went (two thresholds that could differ were the bug this replaces).
 */
export const movedThreshold = z
  .unknown()
  .refine((v) => v === undefined, { message: 'moved: set the one threshold as disclosure.suppression_threshold' })
  .optional();
