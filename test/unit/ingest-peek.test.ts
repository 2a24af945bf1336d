import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectFile, peekUtf8Csv } from '../../pipelines/ingest/inspect.js';

const dir = mkdtempSync(join(tmpdir(), 'tj-peek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('peekUtf8Csv: the head guess that lets DuckDB read while the inspection pass runs', () => {
  it('gives the same header and sample lines as the full inspection for a plain UTF-8 CSV', async () => {
    const body = `Kuukausi;Kotikunta;Käynnit\n${'2025-01;564;1\n'.repeat(30_000)}`; // longer than the 256 kB head
    const path = file('plain.csv', body);
    const head = peekUtf8Csv(path);
    const full = await inspectFile(path);
    expect(head).toEqual({ bytes: Buffer.byteLength(body), headerLine: full.headerLine, sampleLines: full.sampleLines });
    expect(full.encoding).toBe('utf-8');
  });

  it('declines everything else, so the full inspection decides first', () => {
    expect(peekUtf8Csv(file('latin.csv', Buffer.from('Kuukausi;K\xe4ynnit\n2025-01;1\n', 'latin1')))).toBeNull();
    expect(peekUtf8Csv(file('bom16.csv', Buffer.from('\ufeffa;b\n1;2\n', 'utf16le')))).toBeNull();
    expect(peekUtf8Csv(file('nobom16.csv', Buffer.from('Kuukausi;Kotikunta\n2025-01;564\n'.repeat(20), 'utf16le')))).toBeNull();
    expect(peekUtf8Csv(file('nul.csv', 'a;b\n1;\u00002\n'))).toBeNull();
    expect(peekUtf8Csv(file('empty-header.csv', '\n1;2\n'))).toBeNull();
    expect(peekUtf8Csv(file('empty.csv', ''))).toBeNull();
    expect(peekUtf8Csv(file('zipped.csv.gz', 'a;b\n'))).toBeNull();
    expect(peekUtf8Csv(file('book.xlsx', 'PK'))).toBeNull();
    expect(peekUtf8Csv(join(dir, 'missing.csv'))).toBeNull();
    symlinkSync(join(dir, 'latin.csv'), join(dir, 'link.csv'));
    expect(peekUtf8Csv(join(dir, 'link.csv'))).toBeNull();
  });

  it('accepts a head whose last UTF-8 character is cut at 256 kB', () => {
    const prefix = `a;b\n${'x'.repeat(256 * 1024 - 5)}`; // "ä" (2 bytes) straddles the 256 kB boundary
    const path = file('cut.csv', `${prefix}ä;1\n`);
    expect(peekUtf8Csv(path)?.headerLine).toBe('a;b');
  });
});
