import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildUrl, parseRetryAfter } from '../../pipelines/sotkanet/client.js';
import { upperHalfJitterDelay } from '../../pipelines/retry.js';
import { splitCsvLine } from '../../pipelines/csv.js';
import { resolveSotkanetSection, SotkanetSection } from '../../pipelines/settings/sotkanet.js';
import { DEFAULT_INDICATORS } from '../../pipelines/settings/sotkanet-indicators.js';
import {
  checkDataCsv,
  checkDataJson,
  parseIndicatorList,
  parseIndicatorMeta,
  parseRegions,
  SotkanetResponseError,
} from '../../pipelines/sotkanet/parse.js';
import { fromRoot } from '../../pipelines/paths.js';

const fixture = (name: string) => readFileSync(fromRoot(`test/fixtures/sotkanet/${name}`), 'utf8');

describe('Sotkanet response parsers', () => {
  it('parses /regions with ids, official codes, categories and names', () => {
    const regions = parseRegions(fixture('mirror/regions.json'), 'regions.json');
    expect(regions).toHaveLength(7);
    const oulu = regions.find((r) => r.id === 261);
    expect(oulu).toMatchObject({ code: '564', category: 'KUNTA', title: { fi: 'Oulu', sv: 'Uleåborg' } });
    expect(oulu?.memberOf).toEqual([616, 658]);
  });

  it('parses the real embedded /regions response', () => {
    const regions = parseRegions(readFileSync(fromRoot('data/reference/sotkanet/regions.json'), 'utf8'), 'ref');
    expect(regions.length).toBeGreaterThan(500);
    expect(regions.find((r) => r.category === 'KUNTA' && r.code === '691')?.id).toBe(321);
  });

  it('parses /indicators/{id} metadata and checks the id', () => {
    const meta = parseIndicatorMeta(fixture('mirror/indicators/127.json'), 127, 'u');
    expect(meta['data-updated']).toBe('2024-04-10');
    expect(meta.primaryValueType?.code).toBe('LKM');
    expect(meta.organization?.title.fi).toBe('Tilastokeskus');
    expect(() => parseIndicatorMeta(fixture('mirror/indicators/127.json'), 186, 'http://x/indicators/186')).toThrow(
      /indicator 186 \(http:\/\/x\/indicators\/186\).*metadata is for indicator 127/,
    );
  });

  it('parses /indicators', () => {
    expect(parseIndicatorList(fixture('indicators_list.json'), 'u')).toEqual([
      { id: 127, title_fi: 'Väestö 31.12.' },
      { id: 186, title_fi: 'Kuolleisuus / 100 000 asukasta' },
    ]);
  });

  it('accepts /csv with the documented header and empty cells', () => {
    expect(checkDataCsv(fixture('mirror/data/127.csv'), 127, 'u')).toBe(11);
    expect(splitCsvLine('127;616;2022;total;;', ';')).toEqual(['127', '616', '2022', 'total', '', '']);
    expect(splitCsvLine('"a;b";c', ';')).toEqual(['a;b', 'c']);
  });

  it('accepts /json rows with missing value and absValue', () => {
    expect(checkDataJson(fixture('mirror/data/186.json'), 186, 'u')).toBe(6);
  });

  it('rejects a truncated CSV body, naming indicator and URL', () => {
    const url = 'http://127.0.0.1/rest/1.1/csv?indicator=127&years=2022';
    expect(() => checkDataCsv(fixture('truncated.csv'), 127, url)).toThrow(SotkanetResponseError);
    expect(() => checkDataCsv(fixture('truncated.csv'), 127, url)).toThrow(
      /indicator 127 \(http:\/\/127\.0\.0\.1\/rest\/1\.1\/csv\?indicator=127&years=2022\): line 3 has 4 fields.*truncated/,
    );
  });

  it('rejects a truncated JSON body, naming indicator and URL', () => {
    expect(() => checkDataJson(fixture('truncated.json'), 186, 'http://h/json?indicator=186')).toThrow(
      /Sotkanet indicator 186 \(http:\/\/h\/json\?indicator=186\): truncated or malformed JSON/,
    );
  });

  it('rejects an unexpected CSV header and an empty body', () => {
    expect(() => checkDataCsv(fixture('wrong_header.csv'), 127, 'f')).toThrow(/unexpected CSV header/);
    expect(() => checkDataCsv('', 127, 'f')).toThrow(/empty response body/);
    expect(() => checkDataJson('{"not": "an array"}', 127, 'f')).toThrow(/unexpected data rows/);
  });
});

describe('Sotkanet client helpers', () => {
  it('repeats years and genders parameters', () => {
    expect(buildUrl('https://sotkanet.fi/rest/1.1/', 'json', [['indicator', 127], ['years', 2022], ['years', 2023], ['genders', 'total']])).toBe(
      'https://sotkanet.fi/rest/1.1/json?indicator=127&years=2022&years=2023&genders=total',
    );
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(upperHalfJitterDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(upperHalfJitterDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(upperHalfJitterDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(upperHalfJitterDelay(20, 100, 1_000, () => 1)).toBe(1_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('Sotkanet configuration', () => {
  it('defaults to the offline demo mirror and the domain indicator list with perspectives', () => {
    const cfg = resolveSotkanetSection(SotkanetSection.parse(undefined), {}, new Date('2025-06-01'));
    expect(cfg.mode).toBe('offline-mirror');
    expect(cfg.mirrorDir).toBe(fromRoot('data/demo/sotkanet'));
    expect(cfg.baseUrl).toBe('https://sotkanet.fi/rest/1.1');
    expect(cfg.userAgent).toMatch(/tiedolla-johtaminen/);
    expect(cfg.indicators.map((i) => i.id)).toEqual(DEFAULT_INDICATORS.map((d) => d.id));
    expect(cfg.indicators.find((i) => i.id === 127)).toMatchObject({ perspective: 'context', genders: ['total'] });
    expect(cfg.indicators[0]?.years[0]).toBe(2000);
    expect(cfg.indicators[0]?.years.at(-1)).toBe(2025);
    expect(new Set(cfg.indicators.map((i) => i.perspective))).toEqual(new Set(['context', 'customer', 'process', 'finance']));
  });

  it('takes SOTKANET_BASE_URL from the environment and refuses a bad one', () => {
    const section = SotkanetSection.parse({ mode: 'online' });
    expect(resolveSotkanetSection(section, { SOTKANET_BASE_URL: 'http://127.0.0.1:9/rest/1.1/' }).baseUrl).toBe('http://127.0.0.1:9/rest/1.1');
    expect(() => resolveSotkanetSection(section, { SOTKANET_BASE_URL: 'not a url' })).toThrow(/SOTKANET_BASE_URL/);
  });

  it('SOTKANET_BASE_URL switches to online mode unless SOTKANET_MODE says otherwise', () => {
    const section = SotkanetSection.parse(undefined);
    expect(resolveSotkanetSection(section, {}).mode).toBe('offline-mirror');
    expect(resolveSotkanetSection(section, { SOTKANET_BASE_URL: 'http://127.0.0.1:9/rest/1.1' }).mode).toBe('online');
    expect(resolveSotkanetSection(section, { SOTKANET_BASE_URL: 'http://127.0.0.1:9/rest/1.1', SOTKANET_MODE: 'offline-mirror' }).mode).toBe(
      'offline-mirror',
    );
    expect(resolveSotkanetSection(section, { SOTKANET_MODE: 'online' }).mode).toBe('online');
    expect(() => resolveSotkanetSection(section, { SOTKANET_MODE: 'sometimes' })).toThrow(/SOTKANET_MODE/);
    expect(resolveSotkanetSection(section, { SOTKANET_FORCE: '1' }).force).toBe(true);
  });

  it('refuses duplicate indicators and unknown perspectives, naming the key', () => {
    const dup = SotkanetSection.safeParse({ indicators: [{ id: 127, perspective: 'context' }, { id: 127, perspective: 'context' }] });
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.path).toEqual(['indicators', 1, 'id']);
    const bad = SotkanetSection.safeParse({ indicators: [{ id: 127, perspective: 'money' }] });
    expect(bad.error?.issues[0]?.path).toEqual(['indicators', 0, 'perspective']);
  });
});
