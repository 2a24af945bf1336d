import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { configSection, pathSetting, resolvedDefaults } from './section.js';

/** The `commentary:` section of config/pipeline.yaml (the written analyses and conclusions per period). Every key has a default. */
export const CommentarySection = configSection({
  /** Folder of comment files (CSV or .xlsx, one row per comment); `run commentary` imports every new file found there. */
  drop_dir: pathSetting('data/demo/commentary'),
});
export type CommentarySection = z.infer<typeof CommentarySection>;

/** Resolves the folder from the project root; env COMMENTARY_DROP_DIR overrides it. */
export function resolveCommentarySection(section: CommentarySection, env: NodeJS.ProcessEnv = {}) {
  return { dropDir: fromRoot(env.COMMENTARY_DROP_DIR || section.drop_dir) };
}

export type ResolvedCommentary = ReturnType<typeof resolveCommentarySection>;

export const defaultCommentary = resolvedDefaults(CommentarySection, resolveCommentarySection);
