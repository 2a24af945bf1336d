/**
 * Once per `npm test` run (the heavy project, vitest.config.ts): a folder for what the test files share, such as the
 * demo warehouse built once (test/helpers/demo-warehouse.ts); removed at the end of the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GlobalSetupContext } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedDir: string;
  }
}

export default function setup(project: GlobalSetupContext): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tj-shared-'));
  project.provide('sharedDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
