import type { Job } from './job.js';
import { martsJob } from './marts.js';
import { unitDataJob } from './unit-data.js';
import { commentaryJob } from './commentary.js';
import { organisationJob } from './organisation.js';
import { planJob } from './plan.js';
import { populationJob } from './population.js';
import { regionsJob } from './regions.js';
import { roadmapJob } from './roadmap.js';
import { serviceUseJob } from './service-use.js';
import { sotkanetJob } from './sotkanet.js';

/** Every job the pipeline knows, by name. Later sources add themselves here. */
export const JOBS: readonly Job[] = [
  regionsJob,
  organisationJob,
  sotkanetJob,
  serviceUseJob,
  unitDataJob,
  populationJob,
  planJob,
  roadmapJob,
  commentaryJob,
  martsJob,
];

export class UnknownJobError extends Error {
  constructor(name: string, known: readonly Job[]) {
    super(`Unknown job "${name}". Known jobs: ${known.map((j) => j.name).join(', ')}, or "all".`);
    this.name = 'UnknownJobError';
  }
}

/** Orders jobs so that each comes after the jobs it depends on (stable: registry order otherwise). */
export function orderJobs(jobs: readonly Job[]): Job[] {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const ordered: Job[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (job: Job, path: string[]): void => {
    const s = state.get(job.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`Job dependency cycle: ${[...path, job.name].join(' → ')}`);
    state.set(job.name, 'visiting');
    for (const dep of job.dependsOn) {
      const depJob = byName.get(dep);
      if (!depJob) throw new Error(`Job "${job.name}" depends on unknown job "${dep}"`);
      visit(depJob, [...path, job.name]);
    }
    state.set(job.name, 'done');
    ordered.push(job);
  };
  for (const job of jobs) visit(job, []);
  return ordered;
}

/** `all` → every job in dependency order; a name → that job alone. */
export function selectJobs(target: string, jobs: readonly Job[] = JOBS): Job[] {
  if (target === 'all') return orderJobs(jobs);
  const job = jobs.find((j) => j.name === target);
  if (!job) throw new UnknownJobError(target, jobs);
  return [job];
}
