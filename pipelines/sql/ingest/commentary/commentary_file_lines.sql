-- A converted workbook's lines: raw.commentary_file's source_line becomes the worksheet row the converter kept in its
-- last column (__line, pipelines/ingest/convert.ts XLSX_LINE_COLUMN), so rejects name the row the author sees.
update raw.commentary_file set source_line = cast(__line as bigint);
