/**
 * The scan behind "no page text outside the catalogue" (test/unit/page-messages.test.ts): what a reader would see in
 * a page (reports/**\/*.md) or a component (components/*.svelte) that is not an expression. SQL, comments, styles and
 * `{…}` expressions are blanked (line numbers kept); what remains of markdown and markup must hold no letter, text
 * attributes (title, emptyMessage, …) no literal text, every <Column> a title, and a component's script no literal
 * sentence. A problem names the file, the line and the text.
 */

const TEXT_ATTRIBUTES = ['title', 'emptyMessage', 'emptyText', 'valueLabel', 'xAxisTitle', 'yAxisTitle', 'description', 'placeholder', 'alt', 'aria-label'];

/** The text with the matched regions turned into spaces (newlines kept, so line numbers stay). */
const blank = (text: string, pattern: RegExp, onMatch?: (match: string, offset: number) => void): string =>
  text.replace(pattern, (match: string, ...rest: unknown[]) => {
    const offset = rest.find((r) => typeof r === 'number') as number;
    onMatch?.(match, offset);
    return match.replace(/[^\n]/g, ' ');
  });

/** Blanks every balanced `{…}` (Svelte expressions and blocks, with any braces nested inside). */
function blankExpressions(text: string): string {
  const out = text.split('');
  let depth = 0;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === '{') depth++;
    if (depth > 0 && c !== '\n') out[i] = ' ';
    if (c === '}' && depth > 0) depth--;
  }
  return out.join('');
}

/** A literal in a script that reads as text for people: words and spaces, or a Finnish or Swedish letter. */
const isSentence = (literal: string): boolean =>
  /[äöåÄÖÅ]/.test(literal) || /^\p{L}+(?: [\p{L}\p{N}.,:;–()-]+)+$/u.test(literal.trim());

export function pageTextProblems(source: string, file: string): string[] {
  const problems: { offset: number; text: string }[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  let text = source;
  text = blank(text, /^---\n[\s\S]*?\n---\n/);
  text = blank(text, /^```[\s\S]*?^```/gm);
  text = blank(text, /<!--[\s\S]*?-->/g);
  text = blank(text, /<style[\s\S]*?<\/style>/g);
  text = blank(text, /<script[\s\S]*?<\/script>/g, (script, offset) => {
    const code = blank(blank(script, /\/\*[\s\S]*?\*\//g), /(?<![:'"])\/\/.*$/gm);
    for (const m of code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)) {
      const literal = m[1] ?? m[2] ?? '';
      if (isSentence(literal)) problems.push({ offset: offset + m.index!, text: `string '${literal}'` });
    }
  });
  text = blankExpressions(text);
  text = blank(text, /<[A-Za-z][^>]*>|<\/[^>]*>/g, (tag, offset) => {
    for (const attribute of TEXT_ATTRIBUTES) {
      const m = new RegExp(`\\s${attribute}=(?:"([^"]*)"|'([^']*)'|([^\\s"'>/]+))`).exec(tag);
      const value = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
      if (/\p{L}/u.test(value)) problems.push({ offset: offset + m!.index, text: `${attribute}="${value}"` });
    }
    if (/^<Column\b/.test(tag) && !/\stitle=/.test(tag)) problems.push({ offset, text: 'a <Column> without a title' });
  });
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const rest = line
      .replace(/&[a-z]+;|&#\d+;/g, ' ')
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/[[\]*_`]/g, ' ')
      .replace(/^[^\p{L}]+/u, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (/\p{L}/u.test(rest)) problems.push({ offset, text: `text "${rest}"` });
    offset += line.length + 1;
  }
  return problems
    .sort((a, b) => a.offset - b.offset)
    .map((p) => `${file}:${lineOf(p.offset)}: ${p.text}`);
}
