import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHeader, InputFileError, readFirstLine } from '../../pipelines/csv.js';
import { formatLine } from '../../pipelines/log.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('CSV header checks', () => {
  it('reads the first line only, without a BOM', () => {
    const file = join(tmp.dir, 'bom.csv');
    writeFileSync(file, '\uFEFFmunicipality_code,year,population\r\n005,2000,1\n');
    expect(readFirstLine(file)).toBe('municipality_code,year,population');
  });

  it('names the file, line 1 and the missing columns', () => {
    expect(() => checkHeader('pop.csv', 'municipality_code,vuosi', ['municipality_code', 'year', 'population'])).toThrow(
      /pop\.csv, line 1: missing column\(s\) year, population/,
    );
    expect(checkHeader('ok.csv', '"municipality_code",year', ['year'])).toEqual(['municipality_code', 'year']);
  });

  it('reports a missing file as an input error naming it', () => {
    expect(() => readFirstLine(join(tmp.dir, 'nope.csv'))).toThrow(InputFileError);
    expect(() => readFirstLine(join(tmp.dir, 'nope.csv'))).toThrow(/nope\.csv: cannot open/);
  });
});

describe('log lines', () => {
  it('are one line: time, level, message, key=value (quoted when needed)', () => {
    const line = formatLine('info', 'job finished', { job: 'marts', rows: 12, error: 'a b', none: undefined }, new Date(0));
    expect(line).toBe('1970-01-01T00:00:00.000Z info job finished job=marts rows=12 error="a b"');
  });
});
