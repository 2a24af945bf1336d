/**
 * The authors' template docs/commentary-template.xlsx (`npm run pipeline -- write-docs` writes it): the first
 * worksheet "Kommentit" has the header row of the input contract (pipelines/commentary/columns.ts) and a drop-down of
 * the four kinds; the second, "Ohje", explains each column in Finnish. The import reads the first worksheet only.
 */
import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { COMMENT_KINDS, COMMENTARY_COLUMN_HELP_FI, COMMENTARY_COLUMNS } from './columns.js';

export const COMMENTARY_TEMPLATE = 'docs/commentary-template.xlsx';

const WIDTHS: Record<(typeof COMMENTARY_COLUMNS)[number], number> = {
  indicator_id: 26, objective_id: 22, org_id: 36, period: 10, kind: 18, author_role: 30, text: 80, date: 12,
};

export function commentaryTemplate(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiedolla johtaminen';
  // A fixed date keeps the written file identical run to run.
  wb.created = wb.modified = new Date('2026-01-01T00:00:00Z');
  const sheet = wb.addWorksheet('Kommentit', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COMMENTARY_COLUMNS.map((c) => ({ header: c, key: c, width: WIDTHS[c] }));
  sheet.getRow(1).font = { bold: true };
  for (let r = 2; r <= 500; r++) {
    sheet.getCell(r, COMMENTARY_COLUMNS.indexOf('kind') + 1).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${COMMENT_KINDS.join(',')}"`],
    };
    sheet.getCell(r, COMMENTARY_COLUMNS.indexOf('text') + 1).alignment = { wrapText: true, vertical: 'top' };
  }
  const help = wb.addWorksheet('Ohje');
  help.columns = [{ header: 'Sarake', key: 'c', width: 16 }, { header: 'Ohje', key: 'h', width: 110 }];
  help.getRow(1).font = { bold: true };
  for (const c of COMMENTARY_COLUMNS) help.addRow({ c, h: COMMENTARY_COLUMN_HELP_FI[c] });
  help.addRow({});
  help.addRow({ c: 'Yleistä', h: 'Yksi rivi on yksi kommentti. Täytä Kommentit-välilehti ja tallenna tiedosto kommenttien pudotuskansioon (commentary.drop_dir).' });
  help.addRow({ c: '', h: 'Uudempi kommentti (päivämäärä) samalle indikaattorille, organisaatiolle, kaudelle, lajille ja roolille korvaa vanhemman; vanhat säilyvät historiassa.' });
  help.addRow({ c: '', h: 'Älä kirjoita kommentteihin henkilötietoja.' });
  return wb;
}

/** The cell values of every worksheet, to compare workbooks (the .xlsx bytes differ by zip timestamps). */
const contents = (wb: ExcelJS.Workbook) =>
  JSON.stringify(wb.worksheets.map((ws) => [ws.name, ws.getSheetValues().filter((r) => Array.isArray(r) && r.some((v) => v != null && v !== ''))]));

/** Writes the template (IO at the edge) unless the file already has the same contents; returns whether it wrote. */
export async function writeCommentaryTemplate(path: string): Promise<boolean> {
  const wb = commentaryTemplate();
  if (existsSync(path)) {
    const old = new ExcelJS.Workbook();
    await old.xlsx.readFile(path);
    if (contents(old) === contents(wb)) return false;
  }
  await wb.xlsx.writeFile(path);
  return true;
}
