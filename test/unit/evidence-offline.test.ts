// The locale, chrome texts and table downloads of evidence-offline/ (Evidence's numbers, frame and exports).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { fallbackNumberText, localiseNumberText } from 'tj-evidence-offline/number-locale.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { LANGUAGES, localName, MESSAGES, siteLanguage, t } from 'tj-evidence-offline/messages.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { barrelEntry, barrelExports, componentImports, directImports } from 'tj-evidence-offline/component-imports.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { printHeaderCss } from 'tj-evidence-offline/site.js';
import {
  csvCell,
  escapeFormulaCell,
  exportFileName,
  tableToCsv,
  tableToXlsx,
  // @ts-expect-error: plain JS modules of the Evidence offline module
} from 'tj-evidence-offline/table-export.js';

const NBSP = '\u00a0';

describe('numbers in the site language (Evidence formats with SSF, in English)', () => {
  it('maps the separators of each SSF number to Finnish, and nothing else', () => {
    expect(localiseNumberText('1,234.5', 'fi')).toBe(`1${NBSP}234,5`);
    expect(localiseNumberText('1,234,567', 'fi')).toBe(`1${NBSP}234${NBSP}567`);
    expect(localiseNumberText('-12.5%', 'fi')).toBe('-12,5%');
    expect(localiseNumberText('€1,234.50', 'fi')).toBe(`€1${NBSP}234,50`);
    expect(localiseNumberText('1.2M', 'fi')).toBe('1,2M');
    expect(localiseNumberText('0.05', 'fi')).toBe('0,05');
    expect(localiseNumberText('1234.5', 'fi')).toBe('1234,5'); // a format without grouping keeps none
    expect(localiseNumberText('ei arvoa', 'fi')).toBe('ei arvoa');
    expect(localiseNumberText('1,234.5', 'sv')).toBe(`1${NBSP}234,5`);
    expect(localiseNumberText('1,234.5', 'en')).toBe('1,234.5');
  });

  it('the fallback for numbers without a format is machine-independent and localises like SSF output', () => {
    expect(fallbackNumberText(1234.567)).toBe('1,234.57');
    expect(localiseNumberText(fallbackNumberText(-0.5), 'fi')).toBe('-0,5');
  });
});

describe('the chrome texts', () => {
  it('every language has every text, and Finnish is the default', () => {
    const keys = Object.keys(MESSAGES.fi).sort();
    for (const lang of LANGUAGES) expect(Object.keys(MESSAGES[lang]).sort(), lang).toEqual(keys);
    expect(siteLanguage()).toBe('fi');
    expect(t('home')).toBe('Etusivu');
    expect(t('onThisPage', 'sv')).toBe('På denna sida');
    expect(t('rowsOf')(10, 70)).toBe('10 / 70 riviä');
  });

  it('names from the marts in the site language, Finnish when a row has none in it', () => {
    const row = { indicator_name_fi: 'Väestö 31.12.', indicator_name_sv: 'Befolkning 31.12.', indicator_name_en: '' };
    expect(localName(row, 'indicator_name')).toBe('Väestö 31.12.');
    expect(localName(row, 'indicator_name', 'sv')).toBe('Befolkning 31.12.');
    expect(localName(row, 'indicator_name', 'en')).toBe('Väestö 31.12.');
  });

  it('no Finnish or Swedish text is the English one', () => {
    for (const lang of ['fi', 'sv'] as const) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) {
        if (typeof text === 'string') expect(text, `${lang}.${key}`).not.toBe((MESSAGES.en as Record<string, unknown>)[key]);
      }
    }
  });

  it('the print header is CSS page-margin boxes with the texts quoted safely', () => {
    const css = printHeaderCss({ organisation: 'Org "A"', page: 'Sivu · Alue: Kainuu\\x', dates: 'Tulostettu 29.11.2026' });
    expect(css).toContain('@top-left { content: "Org \\"A\\""');
    expect(css).toContain('content: "Sivu · Alue: Kainuu\\\\x"');
    expect(css).toContain('@top-right { content: "Tulostettu 29.11.2026"');
  });
});

describe('table downloads for a Finnish spreadsheet', () => {
  const columns = [
    { id: 'Kuukausi', fmt: 'm/yyyy' },
    { id: 'Kunta' },
    { id: 'cost', title: 'Kustannukset (€)' },
    { id: 'Huomautus' },
  ];
  const rows = [
    { Kuukausi: new Date('2025-12-01T00:00:00.000Z'), Kunta: 'Oulu', cost: 1234567.25, Huomautus: '=HYPERLINK("x")' },
    { Kuukausi: new Date('2026-01-01T00:00:00.000Z'), Kunta: 'Ii; Simo', cost: -5, Huomautus: null },
  ];

  it('writes ; separators, decimal commas, d.m.yyyy dates, the table titles as headers, a BOM and formula-safe cells', () => {
    const csv = tableToCsv(rows, { columns, language: 'fi' });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Kuukausi;Kunta;Kustannukset (€);Huomautus',
      `1.12.2025;Oulu;1234567,25;"'=HYPERLINK(""x"")"`,
      '1.1.2026;"Ii; Simo";-5;',
      '',
    ]);
  });

  it('cells: timestamps with their time, big integers whole, formula characters escaped, numbers never', () => {
    const fi = { separator: ';', decimal: ',' };
    expect(csvCell(new Date('2026-11-28T19:51:59.000Z'), fi)).toBe('28.11.2026 19:51');
    expect(csvCell('2025-12-01T00:00:00.000Z', fi)).toBe('1.12.2025');
    expect(csvCell(12345678901234567890n, fi)).toBe('12345678901234567890');
    expect(csvCell(0.1 + 0.2, fi)).toBe('0,3');
    expect(csvCell(-1.5, fi)).toBe('-1,5');
    for (const c of ['=1+1', '+1', '-1', '@x', '\tx', '\rx']) expect(String(escapeFormulaCell(c))).toBe(`'${c}`);
    expect(escapeFormulaCell(-1)).toBe(-1);
  });

  it('an English site writes , and decimal points', () => {
    expect(tableToCsv([{ a: 1.5, b: 'x,y' }], { language: 'en' }).slice(1)).toBe('a,b\r\n1.5,"x,y"\r\n');
  });

  it('the file name says what and when, and is safe on every file system', () => {
    const date = new Date(2026, 10, 29, 1, 30);
    expect(exportFileName({ page: 'Yksiköt', table: 'Kuukausittain', date, extension: 'csv' })).toBe('Yksiköt – Kuukausittain 29.11.2026.csv');
    expect(exportFileName({ page: 'Tietojen tila', table: 'Tietojen tila', date, extension: 'xlsx' })).toBe('Tietojen tila 29.11.2026.xlsx');
    expect(exportFileName({ fallback: 'unit_table', date, extension: 'csv' })).toBe('unit_table 29.11.2026.csv');
    expect(exportFileName({ page: 'Yksiköt', choices: ['Kotihoito, Oulu'], date, extension: 'csv' })).toBe('Yksiköt – Kotihoito, Oulu 29.11.2026.csv');
    expect(exportFileName({ page: 'a/b: c?', date, extension: 'csv' })).toBe('a b c 29.11.2026.csv');
  });

  it('an xlsx has the headers, real numbers and dates, and formula-safe texts', async () => {
    const bytes = await tableToXlsx(rows, { columns, sheetName: 'Kunnat: vertailu' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('Kunnat  vertailu');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Kuukausi', 'Kunta', 'Kustannukset (€)', 'Huomautus']);
    const r2 = sheet.getRow(2);
    expect(r2.getCell(1).value).toEqual(new Date('2025-12-01T00:00:00.000Z'));
    expect(sheet.getColumn(1).numFmt).toBe('d.m.yyyy');
    expect(r2.getCell(3).value).toBe(1234567.25);
    expect(r2.getCell(4).value).toBe(`'=HYPERLINK("x")`);
    expect(sheet.getRow(3).getCell(3).value).toBe(-5);
  });
});

describe('direct component imports (the pages load only the Evidence components they use)', () => {
  const fixture = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tj-barrel-'));
    mkdirSync(join(dir, 'charts'));
    writeFileSync(join(dir, 'index.js'), "// a barrel\nexport * from './charts';\nexport { default as Table, helper as tableHelper } from './Table.svelte';\nexport const version = 1;\n");
    writeFileSync(join(dir, 'charts', 'index.js'), "export { default as Line } from './Line.svelte';\nexport { default as Table } from './Other.svelte';\nexport * from './Props.svelte';\n");
    for (const f of ['Table.svelte', 'charts/Line.svelte', 'charts/Other.svelte']) writeFileSync(join(dir, f), '<p />');
    writeFileSync(join(dir, 'charts', 'Props.svelte'), '<script>export let height = 1;</script>');
    return dir;
  };

  it('maps every name of a barrel to the module that defines it; explicit exports win over export *, props are not exports', () => {
    const dir = fixture();
    const names = barrelExports(join(dir, 'index.js'));
    expect(Object.fromEntries(names)).toEqual({
      Table: { file: join(dir, 'Table.svelte'), imported: 'default' },
      tableHelper: { file: join(dir, 'Table.svelte'), imported: 'helper' },
      version: { file: join(dir, 'index.js'), imported: 'version' },
      Line: { file: join(dir, 'charts', 'Line.svelte'), imported: 'default' },
    });
    rmSync(dir, { recursive: true });
  });

  it('rewrites a barrel import into imports of the defining modules, and names the file and the name it cannot find', () => {
    const dir = fixture();
    const names = barrelExports(join(dir, 'index.js'));
    const script = "import { Line, Table as T, tableHelper } from '@evidence-dev/core-components';\nimport { x } from 'other';";
    expect(directImports(script, names, 'page.md')).toBe(
      `import Line from ${JSON.stringify(join(dir, 'charts', 'Line.svelte'))}; import T from ${JSON.stringify(join(dir, 'Table.svelte'))}; ` +
        `import { helper as tableHelper } from ${JSON.stringify(join(dir, 'Table.svelte'))};\nimport { x } from 'other';`,
    );
    expect(() => directImports("import { Missing } from '@evidence-dev/core-components';", names, 'reports/x.md')).toThrow(
      "reports/x.md: @evidence-dev/core-components exports no 'Missing'",
    );
    rmSync(dir, { recursive: true });
  });

  it('resolves every Evidence component our pages, components and layout use to its own file, as the real barrel exports it', () => {
    const names = barrelExports(barrelEntry());
    const used = new Set<string>();
    for (const dir of ['reports', 'components']) {
      for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(md|svelte)$/.test(f))) {
        for (const [, tag] of readFileSync(join(dir, f), 'utf8').matchAll(/<([A-Z]\w+)/g)) if (names.has(tag!)) used.add(tag!);
      }
    }
    expect([...used].sort()).toEqual(expect.arrayContaining(['BarChart', 'Column', 'DataTable', 'Dropdown', 'EvidenceDefaultLayout', 'LineChart', 'QueryLoad']));
    for (const name of used) {
      const { file, imported } = names.get(name)!;
      expect(file, name).toMatch(new RegExp(`/${name}\\.svelte$`));
      expect(imported).toBe('default');
      expect(existsSync(file)).toBe(true);
    }
    // the component pages rewrite: the Evidence layout's own import
    const layout = readFileSync('reports/+layout.svelte', 'utf8');
    const rewritten = componentImports().script({ content: layout, filename: 'reports/+layout.svelte' })!.code;
    expect(rewritten).not.toContain("from '@evidence-dev/core-components'");
    expect(rewritten).toContain('/organisms/layout/EvidenceDefaultLayout.svelte"');
  });
});
