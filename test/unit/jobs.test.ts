import { describe, expect, it } from 'vitest';
import type { Job } from '../../pipelines/jobs/job.js';
import { JOBS, orderJobs, selectJobs, UnknownJobError } from '../../pipelines/jobs/index.js';

const job = (name: string, dependsOn: string[] = []): Job => ({
  name,
  description: name,
  dependsOn,
  run: async () => ({ rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 }),
});

describe('job ordering', () => {
  it('puts every job after its dependencies, keeping registry order otherwise', () => {
    const ordered = orderJobs([job('marts', ['a', 'b']), job('a'), job('b', ['a']), job('site', ['marts'])]);
    expect(ordered.map((j) => j.name)).toEqual(['a', 'b', 'marts', 'site']);
  });

  it('reports cycles and unknown dependencies by name', () => {
    expect(() => orderJobs([job('a', ['b']), job('b', ['a'])])).toThrow(/cycle: a → b → a/);
    expect(() => orderJobs([job('a', ['ghost'])])).toThrow(/"a" depends on unknown job "ghost"/);
  });

  it('selects all jobs or one by name, and names the known jobs for a typo', () => {
    const all = selectJobs('all');
    expect(all.map((j) => j.name)).toContain('marts');
    expect(all.at(-1)?.name).toBe('marts');
    expect(selectJobs('marts').map((j) => j.name)).toEqual(['marts']);
    expect(() => selectJobs('mrats')).toThrow(UnknownJobError);
    expect(() => selectJobs('mrats')).toThrow(new RegExp(JOBS.map((j) => j.name).join(', ')));
  });
});
