import { z } from 'zod';
import { fromRoot } from '../paths.js';

/** The `scorecard:` section of config/pipeline.yaml: where the indicator registry and the targets live. */
export const ScorecardSection = z
  .object({
    indicators: z.string().trim().min(1).default('config/indicators.yaml'),
    targets: z.string().trim().min(1).default('config/targets.yaml'),
    /** The roadmap: objectives, initiatives, milestones and target states (docs/roadmap.md). */
    roadmap: z.string().trim().min(1).default('config/roadmap.yaml'),
  })
  .strict()
  .default({});
export type ScorecardSection = z.infer<typeof ScorecardSection>;

export interface ResolvedScorecard {
  indicators: string;
  targets: string;
  roadmap: string;
}

export function resolveScorecardSection(section: ScorecardSection): ResolvedScorecard {
  return { indicators: fromRoot(section.indicators), targets: fromRoot(section.targets), roadmap: fromRoot(section.roadmap) };
}

export function defaultScorecard(): ResolvedScorecard {
  return resolveScorecardSection(ScorecardSection.parse(undefined));
}
