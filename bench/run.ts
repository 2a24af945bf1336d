/**
 * `npm run bench [-- <name>...]`: benchmarks, each printing `BENCH <name> <value>` lines with ratios against a
 * baseline measured in the same run (these machines are noisy; absolute numbers are for the README only).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../pipelines/settings/pipeline.js';
import { runDisclosureBench } from './disclosure.js';
import { runIngestBench } from './ingest.js';
import { runPagesBench, runSiteBench } from './pages.js';
import { runRefreshBench } from './refresh.js';
import { runScaleBench } from './scale.js';

const BENCHES: Record<string, (dir: string) => Promise<void>> = {
  refresh: (dir) => runRefreshBench(dir, loadConfig(), (line) => console.log(line)),
  ingest: async (dir) => void (await runIngestBench(dir, loadConfig(), (line) => console.log(line))),
  pages: (dir) => runPagesBench(dir, (line) => console.log(line)),
  disclosure: (dir) => runDisclosureBench(dir, loadConfig(), (line) => console.log(line)),
  // the national deployment's size (bench/scale.ts); after `pages` it reuses that demo build for its ratio
  scale: (dir) => runScaleBench(dir, loadConfig(), (line) => console.log(line)),
  // not part of the default run: measures the site already built (SITE_BUILD_DIR, default build/)
  site: () => runSiteBench(loadConfig().warehousePath, (line) => console.log(line), process.env.SITE_BUILD_DIR || undefined),
};
const DEFAULT = ['refresh', 'ingest', 'pages', 'disclosure', 'scale'];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : DEFAULT) {
  const dir = mkdtempSync(join(tmpdir(), `tj-bench-${name}-`));
  console.log(`== ${name}`);
  try {
    await BENCHES[name]!(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
