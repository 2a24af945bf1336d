import { z } from 'zod';
import { fromRoot } from '../paths.js';

/** The `commentary:` section of config/pipeline.yaml (the written analyses and conclusions per period). Every key has a default. */
export const CommentarySection = z
  .object({
    /** Folder of comment files (CSV or .xlsx, one row per comment); `run commentary` imports every new file found there. */
    drop_dir: z.string().trim().min(1).default('data/demo/commentary'),
  })
  .strict()
  .default({});
export type CommentarySection = z.infer<typeof CommentarySection>;

export interface ResolvedCommentary {
  dropDir: string;
}

/** Resolves the folder from the project root; env COMMENTARY_DROP_DIR overrides it. */
export function resolveCommentarySection(section: CommentarySection, env: NodeJS.ProcessEnv = {}): ResolvedCommentary {
  return { dropDir: fromRoot(env.COMMENTARY_DROP_DIR || section.drop_dir) };
}

export function defaultCommentary(): ResolvedCommentary {
  return resolveCommentarySection(CommentarySection.parse(undefined));
}
