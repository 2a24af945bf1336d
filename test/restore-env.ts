/**
 * The heavy project's files share one process (vitest.config.ts): what a file sets in process.env (the fake jobs'
 * FAKE_* switches, say) is undone when the file ends, so the next file starts from the same environment.
 */
import { afterAll } from 'vitest';

const before = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  Object.assign(process.env, before);
});
