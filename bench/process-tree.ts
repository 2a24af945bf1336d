/**
 * Peak memory of a process tree (Linux /proc): the build runs as several processes (the Evidence CLI, Vite, its
 * workers), so the peak that matters is the peak of their summed resident set, sampled while the work runs.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  ppid: number;
  rssKb: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return Number.isNaN(ppid) ? undefined : { ppid, rssKb };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/** Summed resident set (kB) of every descendant of `root` (not `root` itself). */
export function descendantsRssKb(root: number): number {
  const procs = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) procs.set(Number(name), info);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let sum = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    sum += procs.get(pid)?.rssKb ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

/** Runs `work` while sampling the summed RSS of this process's children every `everyMs`; returns its result and the peak in MB. */
export async function withPeakChildRss<T>(work: () => Promise<T>, everyMs = 250): Promise<{ result: T; peakMb: number }> {
  let peakKb = 0;
  const sample = () => (peakKb = Math.max(peakKb, descendantsRssKb(process.pid)));
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    return { result, peakMb: Math.round(peakKb / 1024) };
  } finally {
    clearInterval(timer);
  }
}
