import { describe, expect, it } from 'vitest';
import { compareFigures, compareTable, expectedFigure, normaliseFigure, type FigureSpec } from '../helpers/figures.js';

// A marts.service_use_yearly row as the mart gives it, and the texts a correct /toteutus renders from it.
const ytdSpecs: FigureSpec[] = [
  { name: 'ytd-visits', column: 'visits', format: { decimals: 0 } },
  { name: 'ytd-cost-change', column: 'cost_eur_change_ytd', format: { decimals: 0 } },
];
const ytd = { visits: 672353n, cost_eur_change_ytd: -4424265.24 };
const ytdRendered = { 'ytd-visits': '672\u00a0353', 'ytd-cost-change': '\u22124\u00a0424\u00a0265' };

const tableSpecs: FigureSpec[] = [
  { name: 'Kunta', column: 'municipality_name_fi', format: 'text' },
  { name: 'Käynnit / 1 000 as.', column: 'visits_per_1000', format: { decimals: 1 } },
  { name: 'Osuus', column: 'cost_eur_share_of_county', format: { percentOf: 1 } },
  { name: 'Muutos (€)', column: 'cost_eur_change', format: { decimals: 0 } },
];
const rows = [
  { municipality_name_fi: 'Kajaani', visits_per_1000: 1442, cost_eur_share_of_county: 0.48, cost_eur_change: -1844203.4 },
  { municipality_name_fi: 'Puolanka', visits_per_1000: null, cost_eur_share_of_county: null, cost_eur_change: 85873 },
];
// Evidence's table cells: its own minus sign, a delta arrow, "-" for a missing value, no space before %.
const table = [
  ['Kajaani', '1\u00a0442,0', '48,0%', '-1\u00a0844\u00a0203 ▼'],
  ['Puolanka', '-', '–', '85\u00a0873 ▲'],
];

describe('the figure-by-figure comparison of /toteutus in the e2e test', () => {
  it('formats the expected figure from the mart value in Finnish', () => {
    expect(expectedFigure(672353n, { decimals: 0 })).toBe('672\u00a0353');
    expect(expectedFigure(0.48, { percentOf: 1 })).toBe('48,0 %');
    expect(expectedFigure(null, { decimals: 1 })).toBe('–');
    expect(normaliseFigure('\u22124\u00a0424\u00a0265')).toBe(normaliseFigure('-4 424 265 ▼'));
  });

  it('finds nothing when the page shows the mart', () => {
    expect(compareFigures(ytdRendered, ytd, ytdSpecs)).toEqual([]);
    expect(compareTable(table, rows, tableSpecs)).toEqual([]);
  });

  it('fails when a mart value is changed by hand', () => {
    expect(compareFigures(ytdRendered, { ...ytd, visits: 672354n }, ytdSpecs)).toEqual([
      'ytd-visits: shows "672\u00a0353", the mart says "672\u00a0354"',
    ]);
    const changed = rows.map((r, i) => (i === 0 ? { ...r, cost_eur_share_of_county: 0.482 } : r));
    expect(compareTable(table, changed, tableSpecs)).toEqual(['row 1 Osuus: shows "48,0%", the mart says "48,2 %"']);
    const sign = rows.map((r, i) => (i === 1 ? { ...r, cost_eur_change: -85873 } : r));
    expect(compareTable(table, sign, tableSpecs)).toEqual(['row 2 Muutos (€): shows "85\u00a0873 ▲", the mart says "\u221285\u00a0873"']);
  });

  it('fails on a missing tile, a missing, extra or reordered row, and a value shown where the mart has none', () => {
    expect(compareFigures({ 'ytd-visits': '672\u00a0353' }, ytd, ytdSpecs)).toEqual(['ytd-cost-change: not on the page']);
    expect(compareTable(table.slice(0, 1), rows, tableSpecs)).toEqual(['row 2: not on the page (the mart has 2 rows)']);
    expect(compareTable(table, rows.slice(0, 1), tableSpecs)).toEqual(['row 2: a row the mart does not have']);
    expect(compareTable([table[1]!, table[0]!], rows, tableSpecs)).toHaveLength(8);
    expect(compareTable(table, rows.map((r) => ({ ...r, visits_per_1000: null })), tableSpecs)).toEqual([
      'row 1 Käynnit / 1 000 as.: shows "1\u00a0442,0", the mart says "–"',
    ]);
  });
});
