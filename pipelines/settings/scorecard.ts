import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { configSection, pathSetting, resolvedDefaults } from './section.js';

/** The `scorecard:` section of config/pipeline.yaml: where the indicator registry and the targets live. */
export const ScorecardSection = configSection({
  indicators: pathSetting('config/indicators.yaml'),
  targets: pathSetting('config/targets.yaml'),
  /** The roadmap: objectives, initiatives, milestones and target states (docs/roadmap.md). */
  roadmap: pathSetting('config/roadmap.yaml'),
});
export type ScorecardSection = z.infer<typeof ScorecardSection>;

export function resolveScorecardSection(section: ScorecardSection) {
  return { indicators: fromRoot(section.indicators), targets: fromRoot(section.targets), roadmap: fromRoot(section.roadmap) };
}

export type ResolvedScorecard = ReturnType<typeof resolveScorecardSection>;

export const defaultScorecard = resolvedDefaults(ScorecardSection, resolveScorecardSection);
