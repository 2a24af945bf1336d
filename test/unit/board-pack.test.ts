import { describe, expect, it } from 'vitest';
import { BoardPackError, boardPackDir, writeBoardPacks } from '../../pipelines/ops/board-pack.js';
import { createLogger } from '../../pipelines/log.js';

describe('board-pack arguments', () => {
  it('writes beside the warehouse file: data/board-packs for data/warehouse.duckdb', () => {
    expect(boardPackDir('/srv/tj/data/warehouse.duckdb')).toBe('/srv/tj/data/board-packs');
  });

  it('refuses a period that is not YYYY or YYYY-MM before opening anything', async () => {
    for (const period of ['24', '2024-13', '2024-1', '2024/06']) {
      const run = writeBoardPacks({ warehousePath: '/nonexistent.duckdb', siteDir: '/nonexistent', outDir: '/nonexistent', period, log: createLogger(() => {}) });
      await expect(run).rejects.toThrow(BoardPackError);
      await expect(run).rejects.toThrow(`--period ${period}: expected YYYY or YYYY-MM`);
    }
  });
});
