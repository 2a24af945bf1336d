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

/** A process's command line, shortened to what names it: the script or binary and its first arguments. */
function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return args
      .filter((a) => !a.startsWith('--') && !a.includes('/tsx/dist/'))
      .map((a) => a.replace(/^.*node_modules\//, ''))
      .slice(0, 3)
      .join(' ')
      .slice(0, 80);
  } catch {
    return '?';
  }
}

/** Resident set (kB) of every descendant of `root` (not `root` itself), by pid. */
export function descendantsRss(root: number): Map<number, number> {
  const procs = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) procs.set(Number(name), info);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out = new Map<number, number>();
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    out.set(pid, procs.get(pid)?.rssKb ?? 0);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Summed resident set (kB) of every descendant of `root` (not `root` itself). */
export function descendantsRssKb(root: number): number {
  return [...descendantsRss(root).values()].reduce((a, b) => a + b, 0);
}

/**
 * Runs `work` while sampling the summed RSS of this process's children every `everyMs`; returns its result, the
 * peak in MB and, at that peak, each process's share (MB, by command, largest first): where the memory goes.
 */
export async function withPeakChildRss<T>(
  work: () => Promise<T>,
  everyMs = 250,
): Promise<{ result: T; peakMb: number; atPeak: { command: string; mb: number }[] }> {
  let peakKb = 0;
  let atPeak: { command: string; mb: number }[] = [];
  const sample = () => {
    const now = descendantsRss(process.pid);
    const sum = [...now.values()].reduce((a, b) => a + b, 0);
    if (sum <= peakKb) return;
    peakKb = sum;
    atPeak = [...now]
      .filter(([, kb]) => kb >= 20 * 1024)
      .map(([pid, kb]) => ({ command: commandOf(pid), mb: Math.round(kb / 1024) }))
      .sort((a, b) => b.mb - a.mb);
  };
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    return { result, peakMb: Math.round(peakKb / 1024), atPeak };
  } finally {
    clearInterval(timer);
  }
}
