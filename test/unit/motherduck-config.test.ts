import { describe, expect, it } from 'vitest';
import { attachSql, motherDuckConnection } from '../../pipelines/settings/motherduck.js';

describe('MotherDuck connection config (README "MotherDuck")', () => {
  it('validates the section and takes the token from the env variable only', () => {
    const c = motherDuckConnection({ database: 'tiedolla_johtaminen' }, { MOTHERDUCK_TOKEN: ' t0k ' });
    expect(c.path).toBe('md:tiedolla_johtaminen');
    expect(c.attachAs).toBe('warehouse');
    expect(c.options).toEqual({ motherduck_token: 't0k' });
    expect(c.evidenceEnv).toEqual({ EVIDENCE_SOURCE__warehouse__database: 'tiedolla_johtaminen', EVIDENCE_SOURCE__warehouse__token: 't0k' });
    expect(motherDuckConnection({ database: 'db', token_env: 'MD_TOKEN_PROD' }, { MD_TOKEN_PROD: 'x' }).options.motherduck_token).toBe('x');
  });

  it('refuses a token in the config, a missing env token, unknown keys and bad names, never echoing a token', () => {
    const secret = 'secret-token-value';
    const message = (raw: unknown, env: NodeJS.ProcessEnv = { MOTHERDUCK_TOKEN: secret }) => {
      try {
        motherDuckConnection(raw, env);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message({ database: 'db', token: secret })).toMatch(/token in the configuration is refused/);
    expect(message({ database: 'db' }, {})).toBe('motherduck: env variable MOTHERDUCK_TOKEN is not set (the MotherDuck access token goes there)');
    expect(message({ database: 'db' }, { MOTHERDUCK_TOKEN: '  ' })).toMatch(/MOTHERDUCK_TOKEN is not set/);
    expect(message({ database: 'my-db' })).toMatch(/^motherduck\.database: /);
    expect(message({ database: 'db', token_env: 'lower' })).toMatch(/^motherduck\.token_env: /);
    expect(message({ database: 'db', attach_as: 'Bad Name' })).toMatch(/^motherduck\.attach_as: /);
    expect(message({ database: 'db', host: 'x' })).toMatch(/^motherduck\.\(section\): Unrecognized key/);
    expect(message(undefined)).toMatch(/^motherduck\./);
    for (const raw of [{ database: 'db', token: secret }, { database: 'my-db' }, { database: 'db', host: secret }]) {
      expect(message(raw)).not.toContain(secret);
    }
  });

  it('builds the attach statement for md: and a local copy alike', () => {
    expect(attachSql('md:tj', 'warehouse', true)).toBe("attach 'md:tj' as warehouse (read_only)");
    expect(attachSql("/tmp/o'brien.duckdb", 'md_copy', false)).toBe("attach '/tmp/o''brien.duckdb' as md_copy");
    expect(() => attachSql('md:tj', 'x; drop', false)).toThrow(/invalid catalogue name/);
  });
});
