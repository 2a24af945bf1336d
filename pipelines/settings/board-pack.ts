import { z } from 'zod';
import { configSection, resolvedDefaults } from './section.js';

/** The `board_pack:` section of config/pipeline.yaml (board report PDFs, docs/commentary.md). Every key has a default. */
export const BoardPackSection = configSection({
  /** After a successful refresh that rebuilt the site, print every organisation's latest report to PDF. */
  after_refresh: z.boolean().default(true),
});
export type BoardPackSection = z.infer<typeof BoardPackSection>;

export function resolveBoardPackSection(section: BoardPackSection) {
  return { afterRefresh: section.after_refresh };
}

export type ResolvedBoardPack = ReturnType<typeof resolveBoardPackSection>;

export const defaultBoardPack = resolvedDefaults(BoardPackSection, resolveBoardPackSection);
