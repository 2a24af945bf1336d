/**
 * The figure-by-figure check of /toteutus in the e2e test: value tiles and table cells read from the rendered page
 * against the mart row they must show. Expected texts come from mart rows only (never from the page's SQL), formatted
 * in Finnish with components/fi-format.js. Pure, so that a unit test proves it notices a changed mart value.
 */
// @ts-expect-error: plain JS module shared with the Svelte components
import { formatNumberFi, MISSING } from '../../components/fi-format.js';

/** How a column of a mart row is shown: a number with decimals, a percentage of a share, or text. */
export type FigureFormat = { decimals: number } | { percentOf: number } | 'text';

/** One figure of a page: its name (test id or table column), the mart column, and its format. */
export interface FigureSpec {
  name: string;
  column: string;
  format: FigureFormat;
}

/** The text a figure must show for a mart value. */
export function expectedFigure(value: unknown, format: FigureFormat): string {
  if (format === 'text') return value === null || value === undefined ? '' : String(value);
  if (value === null || value === undefined) return MISSING;
  if ('percentOf' in format) return `${formatNumberFi(Number(value) * 100, format.percentOf)} %`;
  return formatNumberFi(value, format.decimals);
}

/**
 * One way of writing a figure, so that the page's and the mart's texts compare equal when they mean the same: no
 * spaces of any kind, one minus sign, no delta arrows or plus sign, and every "missing" marker ("", "-", "–") as –.
 */
export function normaliseFigure(text: string | null | undefined): string {
  const t = (text ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(/[▲▼]/g, '').replace(/\u2212/g, '-').replace(/^\+/, '');
  return t === '' || t === '-' || t === MISSING ? MISSING : t;
}

/** Every figure whose rendered text differs from the mart row's (empty = the page shows the mart). */
export function compareFigures(rendered: Record<string, string | null>, row: Record<string, unknown>, specs: readonly FigureSpec[]): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    const expected = expectedFigure(row[spec.column], spec.format);
    const shown = rendered[spec.name];
    if (shown === undefined) problems.push(`${spec.name}: not on the page`);
    else if (normaliseFigure(shown) !== normaliseFigure(expected)) problems.push(`${spec.name}: shows "${shown}", the mart says "${expected}"`);
  }
  return problems;
}

/**
 * Every difference between a rendered table (rows of cell texts, in the page's order) and the mart rows it must
 * show (in the mart's order): a missing or extra row, or a cell that differs.
 */
export function compareTable(rendered: readonly string[][], rows: readonly Record<string, unknown>[], specs: readonly FigureSpec[]): string[] {
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const cells = rendered[i];
    if (!cells) {
      problems.push(`row ${i + 1}: not on the page (the mart has ${rows.length} rows)`);
      return;
    }
    const byName = Object.fromEntries(specs.map((s, c) => [s.name, cells[c] ?? '']));
    problems.push(...compareFigures(byName, row, specs).map((p) => `row ${i + 1} ${p}`));
  });
  for (let i = rows.length; i < rendered.length; i++) problems.push(`row ${i + 1}: a row the mart does not have`);
  return problems;
}
