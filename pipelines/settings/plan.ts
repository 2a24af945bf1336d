import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { configSection, pathSetting, resolvedDefaults } from './section.js';

/**
 * The `plan:` section of config/pipeline.yaml: the implementation level's plans (docs/plan.md), service agreements
 * (palvelusopimus / tilaus) and budgets (talousarvio), each a drop folder of CSV / .xlsx files. Every key has a default.
 */
export const PlanSection = configSection({
  /** Folder of service-agreement files; `run plan` imports every new file found there. */
  agreements_drop_dir: pathSetting('data/demo/plan/agreements'),
  /** Folder of budget files. */
  budgets_drop_dir: pathSetting('data/demo/plan/budgets'),
  /** Header aliases of both sources (Finnish / English column names). */
  aliases: pathSetting('config/plan-aliases.yaml'),
  /** Specialty groups an agreement line may name instead of one specialty (operatiiviset, konservatiiviset, …). */
  specialty_groups: pathSetting('config/specialty-groups.yaml'),
});
export type PlanSection = z.infer<typeof PlanSection>;

/** Resolves paths from the project root; env PLAN_AGREEMENTS_DROP_DIR / PLAN_BUDGETS_DROP_DIR override the folders. */
export function resolvePlanSection(section: PlanSection, env: NodeJS.ProcessEnv = {}) {
  return {
    agreementsDropDir: fromRoot(env.PLAN_AGREEMENTS_DROP_DIR || section.agreements_drop_dir),
    budgetsDropDir: fromRoot(env.PLAN_BUDGETS_DROP_DIR || section.budgets_drop_dir),
    aliases: fromRoot(section.aliases),
    specialtyGroups: fromRoot(section.specialty_groups),
  };
}

export type ResolvedPlan = ReturnType<typeof resolvePlanSection>;

export const defaultPlan = resolvedDefaults(PlanSection, resolvePlanSection);
