import { z } from 'zod';

/** The `board_pack:` section of config/pipeline.yaml (board report PDFs, docs/commentary.md). Every key has a default. */
export const BoardPackSection = z
  .object({
    /** After a successful refresh that rebuilt the site, print every organisation's latest report to PDF. */
    after_refresh: z.boolean().default(true),
  })
  .strict()
  .default({});
export type BoardPackSection = z.infer<typeof BoardPackSection>;

export interface ResolvedBoardPack {
  afterRefresh: boolean;
}

export function resolveBoardPackSection(section: BoardPackSection): ResolvedBoardPack {
  return { afterRefresh: section.after_refresh };
}

export function defaultBoardPack(): ResolvedBoardPack {
  return resolveBoardPackSection(BoardPackSection.parse(undefined));
}
