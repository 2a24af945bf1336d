import { describe, expect, it } from 'vitest';
import { compareTiles, expectedTileValue, type RenderedTile, type TileRow } from '../helpers/tiles.js';

// Mart rows as marts.scorecard_as_of gives them, and the tiles a correct page renders from them.
const rows: TileRow[] = [
  { indicator_id: 'population', value: 70521, decimals: 0, unit: 'asukasta', status: 'none', is_suppressed: false, as_of_fi: 'Tiedot: 2022' },
  { indicator_id: 'net_costs', value: 4240.456, decimals: 0, unit: '€', status: 'red', is_suppressed: false,
    as_of_fi: 'Tiedot: 2022 (uusin vuoteen 2025 mennessä)' },
  { indicator_id: 'su_visits', value: 1317.92, decimals: 1, unit: null, status: 'yellow', is_suppressed: false, as_of_fi: 'Tiedot: 2019',
    coverage_fi: '4/5 jäsenkuntaa' },
  { indicator_id: 'waited', value: null, decimals: 1, unit: null, status: 'none', is_suppressed: true, as_of_fi: 'Tiedot: 2019' },
];
const rendered: RenderedTile[] = [
  { indicator: 'population', value: '70 521 asukasta', status: 'none', asOf: 'Tiedot: 2022 · päivitetty 28.11.2026', coverage: null },
  { indicator: 'net_costs', value: '4 240 €', status: 'red', asOf: 'Tiedot: 2022 (uusin vuoteen 2025 mennessä)', coverage: null },
  { indicator: 'su_visits', value: '1 317,9', status: 'yellow', asOf: 'Tiedot: 2019', coverage: 'Kattaa 4/5 jäsenkuntaa' },
  { indicator: 'waited', value: '–salattu', status: 'none', asOf: 'Tiedot: 2019', coverage: null },
];

describe('the tile-by-tile comparison of the e2e test', () => {
  it('formats the expected value from the mart row in Finnish', () => {
    expect(expectedTileValue(rows[0]!)).toBe('70 521 asukasta');
    expect(expectedTileValue(rows[2]!)).toBe('1 317,9');
    expect(expectedTileValue(rows[3]!)).toBe('–salattu');
  });

  it('finds nothing when the page shows the mart', () => {
    expect(compareTiles(rendered, rows)).toEqual([]);
  });

  it('fails when a mart value is changed by hand', () => {
    const changed = rows.map((r) => (r.indicator_id === 'net_costs' ? { ...r, value: 4250.2 } : r));
    expect(compareTiles(rendered, changed)).toEqual(['net_costs: shows "4 240 €", the mart says "4 250 €"']);
  });

  it('fails on a changed status, data year or coverage, and on missing or extra tiles', () => {
    const changed = rows.map((r) => {
      if (r.indicator_id === 'population') return { ...r, as_of_fi: 'Tiedot: 2021' };
      if (r.indicator_id === 'su_visits') return { ...r, status: 'green', coverage_fi: null };
      return r;
    });
    expect(compareTiles(rendered, changed)).toEqual([
      'population: data year "Tiedot: 2022 · päivitetty 28.11.2026", the mart says "Tiedot: 2021"',
      'su_visits: status yellow, the mart says green',
      'su_visits: coverage "Kattaa 4/5 jäsenkuntaa", the mart says "null"',
    ]);
    expect(compareTiles(rendered.slice(1), rows)).toEqual(['population: no tile on the page']);
    expect(compareTiles(rendered, rows.slice(1))).toEqual(['population: a tile the mart does not have']);
  });
});

// nat (issue 17): Finland's value and the county rank on a tile
describe('the Finland line of a tile', () => {
  const row: TileRow = { indicator_id: 'net_costs', value: 4240.456, decimals: 0, unit: '€', status: 'red', is_suppressed: false,
    as_of_fi: 'Tiedot: 2022', finland_fi: 'Koko maa 4\u00a0105\u00a0€', county_rank_fi: 'sija 14/22 hyvinvointialueista' };
  const tile: RenderedTile = { indicator: 'net_costs', value: '4 240 €', status: 'red', asOf: 'Tiedot: 2022', coverage: null,
    finland: 'Koko maa 4 105 € · sija 14/22 hyvinvointialueista' };

  it('finds nothing when the tile shows the mart’s Finland value and rank', () => {
    expect(compareTiles([tile], [row])).toEqual([]);
  });

  it('fails when Finland’s value differs or the line is missing', () => {
    expect(compareTiles([tile], [{ ...row, finland_fi: 'Koko maa 4\u00a0200\u00a0€' }])).toEqual([
      'net_costs: Finland "Koko maa 4 105 € · sija 14/22 hyvinvointialueista", the mart says "Koko maa 4 200 € · sija 14/22 hyvinvointialueista"',
    ]);
    expect(compareTiles([{ ...tile, finland: null }], [row])).toEqual([
      'net_costs: Finland "null", the mart says "Koko maa 4 105 € · sija 14/22 hyvinvointialueista"',
    ]);
  });
});
