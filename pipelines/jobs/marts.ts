import { queryRows } from '../warehouse.js';
import { checkContracts } from '../contracts/check.js';
import { loadContracts } from '../contracts/contract.js';
import { buildGraph } from '../models/build.js';
import { ensurePopulationStaging } from '../population/import.js';
import { ensureRoadmapStaging } from '../roadmap/load.js';
import { martGraph } from './mart-graph.js';
import type { Job } from './job.js';

/**
 * Builds the marts: the graph of pipelines/jobs/mart-graph.ts (every mart SQL file, the TypeScript steps), in the
 * order they read each other, each only when its code or an input changed since its last build (`--select` and
 * `--rebuild` narrow or force it, docs/pipelines.md), then every mart against its contract. Marts are the only
 * tables Evidence reads.
 */
export const martsJob: Job = {
  name: 'marts',
  description: 'staging → every mart of pipelines/sql/marts (the SQL graph: service use with its disclosure step, plans, scorecard, commentary, foresight, roadmap, data status), checked against the contracts',
  dependsOn: ['regions', 'organisation', 'sotkanet', 'service-use', 'unit-data', 'population', 'plan', 'roadmap', 'commentary'],
  async run({ conn, config, log, runId, models }) {
    // The contracts beside the marts' SQL, read (and validated) before any work: a broken file fails at once.
    const contracts = loadContracts();
    const nodes = martGraph(config, log);
    // Inputs made empty when their job never ran on this warehouse (create if not exists: no data changes).
    await ensurePopulationStaging(conn, config.population, runId);
    await ensureRoadmapStaging(conn);
    // data_status_runs became a view (its SQL file says why): a warehouse made before holds it as a table.
    const [oldTable] = await queryRows<{ n: bigint }>(
      conn,
      `select count(*) as n from duckdb_tables() where schema_name = 'marts' and table_name = 'data_status_runs'`,
    );
    if (Number(oldTable?.n ?? 0) > 0) await conn.run('drop table marts.data_status_runs');
    const { built } = await buildGraph(conn, nodes, { ...models, runId, log });
    let rowsLoaded = 0;
    for (const node of nodes.filter((n) => built.includes(n.file))) {
      for (const mart of node.creates.filter((t) => t.startsWith('marts.'))) {
        const [row] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ${mart}`);
        rowsLoaded += Number(row?.n ?? 0);
      }
    }
    // Every mart against its contract (docs/marts.md) before the job commits, built now or before: a broken one
    // fails the run, rolls the marts back to the previous build and leaves the published state as it was.
    await checkContracts(conn, contracts);
    log.info('mart contracts hold', { marts: contracts.size });
    return { rowsRead: 0, rowsLoaded, rowsRejected: 0 };
  },
};
