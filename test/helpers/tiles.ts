/**
 * The tile-by-tile check of the e2e test: what a scorecard tile shows, read from the rendered page, against what the
 * mart says it must show. Expected texts are built from mart rows only (never from a page's SQL), with the same
 * Finnish formatting the components use. Pure, so that a unit test proves it notices a changed mart value.
 */
import type { Page } from 'playwright-core';
// @ts-expect-error: plain JS module shared with the Svelte components
import { formatNumberFi, MISSING } from '../../components/fi-format.js';
import { plainSpaces } from './browser.js';

/** A tile as the user sees it. */
export interface RenderedTile {
  indicator: string;
  value: string;
  status: string;
  asOf: string;
  coverage: string | null;
  /** Finland's value and the county rank line (score-tile-finland), null when the tile has none. */
  finland?: string | null;
}

/** The mart columns a tile shows (marts.scorecard, scorecard_as_of, scorecard_latest rows). */
export interface TileRow {
  indicator_id: unknown;
  value: unknown;
  decimals: unknown;
  unit: unknown;
  status: unknown;
  is_suppressed: unknown;
  period_label?: unknown;
  as_of_fi?: unknown;
  coverage_fi?: unknown;
  /** marts.scorecard_as_of: Finland's value of the tile's data year and the rank among the counties. */
  finland_fi?: unknown;
  county_rank_fi?: unknown;
}

/** The value text a tile must show for a mart row. */
export function expectedTileValue(row: TileRow): string {
  if (row.is_suppressed === true) return `${MISSING}salattu`;
  if (row.value === null || row.value === undefined) return MISSING;
  return plainSpaces(`${formatNumberFi(row.value, Number(row.decimals ?? 1))}${row.unit ? ` ${String(row.unit)}` : ''}`);
}

/**
 * Every difference between the tiles on a page and the mart rows it must show: a missing or extra tile, or a tile
 * whose value, status, data year or coverage differs. Empty = the page shows the mart.
 */
export function compareTiles(rendered: readonly RenderedTile[], expected: readonly TileRow[]): string[] {
  const problems: string[] = [];
  const byId = new Map(rendered.map((t) => [t.indicator, t]));
  for (const row of expected) {
    const id = String(row.indicator_id);
    const tile = byId.get(id);
    if (!tile) {
      problems.push(`${id}: no tile on the page`);
      continue;
    }
    byId.delete(id);
    const value = expectedTileValue(row);
    if (plainSpaces(tile.value).replace(/\s+/g, '') !== value.replace(/\s+/g, '')) problems.push(`${id}: shows "${tile.value}", the mart says "${value}"`);
    if (tile.status !== String(row.status ?? 'none')) problems.push(`${id}: status ${tile.status}, the mart says ${String(row.status)}`);
    const asOf = row.as_of_fi ? String(row.as_of_fi) : `Tiedot: ${String(row.period_label ?? '')}`;
    if (!plainSpaces(tile.asOf).startsWith(asOf)) problems.push(`${id}: data year "${tile.asOf}", the mart says "${asOf}"`);
    const coverage = row.coverage_fi ? `Kattaa ${String(row.coverage_fi)}` : null;
    if ((tile.coverage ? plainSpaces(tile.coverage).trim() : null) !== coverage) problems.push(`${id}: coverage "${tile.coverage}", the mart says "${coverage}"`);
    if (row.finland_fi !== undefined) {
      const finland = row.finland_fi ? plainSpaces(`${String(row.finland_fi)}${row.county_rank_fi ? ` · ${String(row.county_rank_fi)}` : ''}`) : null;
      if ((tile.finland ? plainSpaces(tile.finland).trim() : null) !== finland) problems.push(`${id}: Finland "${tile.finland}", the mart says "${finland}"`);
    }
  }
  for (const id of byId.keys()) problems.push(`${id}: a tile the mart does not have`);
  return problems;
}

/** Reads every scorecard tile of the page, once the first one shows a value. */
export async function readTiles(page: Page): Promise<RenderedTile[]> {
  const tiles = page.getByTestId('score-tile');
  await tiles.first().getByTestId('score-tile-value').waitFor({ state: 'visible', timeout: 30_000 });
  const out: RenderedTile[] = [];
  for (const tile of await tiles.all()) {
    const coverage = tile.getByTestId('score-tile-coverage');
    const finland = tile.getByTestId('score-tile-finland');
    out.push({
      indicator: (await tile.getAttribute('data-indicator')) ?? '',
      value: plainSpaces((await tile.getByTestId('score-tile-value').textContent()) ?? '').trim(),
      status: (await tile.getByTestId('score-tile-status').getAttribute('data-status')) ?? '',
      asOf: plainSpaces((await tile.getByTestId('score-tile-asof').textContent()) ?? '').trim(),
      coverage: (await coverage.count()) ? plainSpaces((await coverage.textContent()) ?? '').trim() : null,
      finland: (await finland.count()) ? plainSpaces((await finland.textContent()) ?? '').trim() : null,
    });
  }
  return out;
}
