/**
 * The disclosure step's independent parts (./withhold-complementary.ts, one per year of service use) settled on every
 * core: each part is settled by ./settle-part.ts, in worker threads (./settle-worker.ts) when there are two parts or
 * more and more than one worker is allowed, else in this thread. Parts never look at each other, so the result is the
 * same in either way, part by part (test/integration/service-use-suppression.test.ts compares them). The largest
 * parts go first: the last to finish is then a small one. A part that fails in a worker fails the whole step with
 * the part's number and the worker's error (never cell values: the problem holds only counts and ids); the caller's
 * transaction is rolled back, so nothing is lost.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Problem, type Settled, type SettleOptions, settlePart, type StepMs } from './settle-part.js';

/** What a worker is sent for one part, and what it answers. */
export interface SettleRequest { part: number; problem: Problem; options: SettleOptions; maxAttacks: number }
export type SettleReply = { part: number; settled: Settled; ms: StepMs } | { part: number; error: string };

/** The default number of worker threads: one per core the process may use. */
export const defaultSettleWorkers = (): number => availableParallelism();

/**
 * Settles `problems` (the parts) and returns each part's result in their order. `ms` gets the CPU time of every
 * part's phases added up (in workers they overlap: the step's wall time is less than their sum).
 */
export async function settleParts(
  problems: readonly Problem[],
  options: SettleOptions,
  maxAttacks: number,
  ms: StepMs,
  workers = defaultSettleWorkers(),
): Promise<Settled[]> {
  const threads = Math.min(workers, problems.length);
  if (threads <= 1) return problems.map((p) => settlePart(p, options, maxAttacks, ms));
  const size = (p: Problem) => p.lineIds.length + p.equations.cell.length;
  const queue = problems.map((_, i) => i).sort((a, b) => size(problems[b]!) - size(problems[a]!) || a - b);
  const results: Settled[] = new Array(problems.length);
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      let failed = false;
      const fail = (message: string) => {
        if (failed) return;
        failed = true;
        reject(new Error(`the disclosure step failed in a worker thread: ${message}`));
      };
      for (let t = 0; t < threads; t++) {
        const worker = new Worker(new URL('./settle-worker.mjs', import.meta.url));
        pool.push(worker);
        // The part this worker settles now (-1: none).
        let current = -1;
        const next = () => {
          current = queue.shift() ?? -1;
          if (current >= 0) worker.postMessage({ part: current, problem: problems[current]!, options, maxAttacks } satisfies SettleRequest);
        };
        worker.on('message', (reply: SettleReply) => {
          if ('error' in reply) return fail(`part ${reply.part + 1} of ${problems.length}: ${reply.error}`);
          results[reply.part] = reply.settled;
          for (const k of Object.keys(ms) as (keyof StepMs)[]) ms[k] += reply.ms[k];
          if (++done === problems.length) return resolve();
          next();
        });
        worker.on('error', (e) => fail(`${current >= 0 ? `part ${current + 1} of ${problems.length}: ` : ''}${e.message}`));
        worker.on('exit', (code) => {
          if (done < problems.length) fail(`a worker stopped (exit code ${code}) before every part was settled`);
        });
        next();
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
