/**
 * Issue 13, smaller item: a killed import (SIGKILL) leaves its scratch folder with a plaintext copy of the extract
 * (a converted worksheet); the next import removes it. A real process is killed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipelines/paths.js';
import { scratchDir } from '../../pipelines/ingest/convert.js';
import { tempDir } from '../helpers/tmp.js';
import { finished, waitFor } from './helpers.js';

const tmp = tempDir('tj-scratch-');
afterAll(() => tmp.cleanup());

describe('scratch folders of killed imports', () => {
  it('are swept by the next import; a live process keeps its own', async () => {
    const script = `
      import { writeFileSync } from 'node:fs';
      import { scratchDir } from ${JSON.stringify(join(projectRoot, 'pipelines', 'ingest', 'convert.ts'))};
      const s = scratchDir(${JSON.stringify(tmp.dir)});
      writeFileSync(s.dir + '/worksheet.csv', 'pvm;potilas\\n2025-03-04;HETU-010203A123X\\n');
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot });
    const done = finished(child);
    await waitFor('the import to write its copy', () => readdirSync(tmp.dir).some((n) => existsSync(join(tmp.dir, n, 'worksheet.csv'))), 60_000);
    const [left] = readdirSync(tmp.dir);
    expect(left).toMatch(new RegExp(`^tj-service-use-${child.pid}-`));
    child.kill('SIGKILL');
    await done;
    expect(existsSync(join(tmp.dir, left as string, 'worksheet.csv'))).toBe(true); // what the issue found

    const mine = scratchDir(tmp.dir);
    expect(readdirSync(tmp.dir)).toEqual([mine.dir.split('/').pop()]);
    const again = scratchDir(tmp.dir); // a second import while the first runs: the live one's folder stays
    expect(existsSync(mine.dir)).toBe(true);
    again.cleanup();
    mine.cleanup();
    expect(readdirSync(tmp.dir)).toEqual([]);
  }, 90_000);
});
