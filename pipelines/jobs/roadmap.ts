import { loadOrganisation } from '../regions/organisation.js';
import { loadRoadmapChecked } from '../roadmap/config.js';
import { loadRoadmapToStaging } from '../roadmap/load.js';
import { loadRegistry } from '../scorecard/registry.js';
import type { Job } from './job.js';

/**
 * config/roadmap.yaml → staging.stg_config__roadmap_* (docs/roadmap.md): validated against the organisation model
 * and the indicator registry. A bad file fails the job with the file and key path of every problem; the run then
 * publishes nothing and the previous published state stays. The `marts` job builds the roadmap marts from it.
 */
export const roadmapJob: Job = {
  name: 'roadmap',
  description: 'config/roadmap.yaml → staging (objectives, initiatives, milestones, target states)',
  dependsOn: ['organisation'],
  async run({ conn, config, log }) {
    const registry = loadRegistry(config.scorecard.indicators);
    const org = loadOrganisation(config.organisation.file);
    const roadmap = loadRoadmapChecked(config.scorecard.roadmap, org.organisations.map((o) => o.code), registry);
    const rows = await loadRoadmapToStaging(conn, roadmap);
    log.info('roadmap loaded', { organisations: roadmap.organisations.length, rows });
    return { rowsRead: rows, rowsLoaded: rows, rowsRejected: 0 };
  },
};
