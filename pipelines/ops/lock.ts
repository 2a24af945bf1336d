/**
 * One writer at a time, across processes: a lock file next to the warehouse (`<warehouse>.lock`) holding the
 * owner's pid, host, start time and command. A lock whose process is gone (same host, pid not alive) is stale
 * and taken over (atomically: see breakStaleLock); a lock from another host is never broken automatically (remove
 * it by hand).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isAlive } from '../processes.js';
import { abortableSleep } from '../retry.js';

export interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

export class LockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockInfo | null,
  ) {
    super(
      holder
        ? `The warehouse is locked by pid ${holder.pid} on ${holder.host} since ${holder.started_at} (${holder.command}); lock file ${path}`
        : `The warehouse is locked (${path})`,
    );
    this.name = 'LockedError';
  }
}

export interface Lock {
  path: string;
  /** The previous holder, when its lock was stale and taken over. */
  recoveredFrom: LockInfo | null;
  release(): void;
}

export const lockPathFor = (warehousePath: string): string => `${warehousePath}.lock`;

export function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : null;
  } catch {
    return null;
  }
}

/** Why a lock is stale, or null when it is held by a live process (or on another host). */
export function staleReason(info: LockInfo | null, host = hostname()): string | null {
  if (!info) return 'the lock file is unreadable';
  if (info.host !== host) return null;
  if (info.pid === process.pid) return null;
  return isAlive(info.pid) ? null : `process ${info.pid} is no longer running`;
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The same holder (pid, host, start): a lock file re-read under the breaker is still the one judged stale. */
function sameHolder(a: LockInfo | null, b: LockInfo | null): boolean {
  if (!a || !b) return a === b;
  return a.pid === b.pid && a.host === b.host && a.started_at === b.started_at;
}

/** A breaker left by a process killed while breaking (a few milliseconds of work) counts as abandoned after this. */
const BREAKER_ABANDONED_MS = 10_000;

/**
 * Removes a lock judged stale, atomically with respect to other processes doing the same: only the process that
 * creates the breaker file `<lock>.break` (O_EXCL) may remove the lock, and only after re-reading it under the
 * breaker and finding the same stale holder. A live lock is never removed (a process that judged an old lock stale
 * and then lost the race finds a different holder and leaves it), and a new lock can only be made by O_EXCL
 * creation, so at most one process holds the lock at any time. Returns whether it removed the lock.
 */
function breakStaleLock(path: string, judged: LockInfo | null, me: LockInfo): boolean {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker, me)) {
    if (fileAgeMs(breaker) > BREAKER_ABANDONED_MS) {
      try {
        unlinkSync(breaker);
      } catch {
        // another process removed it first
      }
    }
    return false;
  }
  try {
    const now = readLock(path);
    const stillStale = now ? staleReason(now) !== null : fileAgeMs(path) > 5000;
    if (!existsSync(path) || !sameHolder(now, judged) || !stillStale) return false;
    unlinkSync(path);
    return true;
  } finally {
    unlinkSync(breaker);
  }
}

/**
 * Takes the lock, waiting up to waitMs (polling) while a live process holds it. A stale lock is removed under the
 * breaker (breakStaleLock), then taken by O_EXCL creation like a free one: exactly one process gets it.
 * `name` makes a separate lock beside the warehouse (`<warehouse>.<name>.lock`, e.g. the scheduler's).
 */
export async function acquireLock(
  warehousePath: string,
  opts: {
    command: string;
    name?: string;
    waitMs?: number;
    pollMs?: number;
    signal?: AbortSignal;
    onStale?: (info: LockInfo | null, reason: string) => void;
  },
): Promise<Lock> {
  const path = opts.name ? `${warehousePath}.${opts.name}.lock` : lockPathFor(warehousePath);
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + (opts.waitMs ?? 0);
  const info: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command: opts.command };
  let recoveredFrom: LockInfo | null = null;
  for (;;) {
    if (tryCreate(path, info)) {
      let released = false;
      return {
        path,
        recoveredFrom,
        release() {
          if (released) return;
          released = true;
          const current = readLock(path);
          if (current && current.pid === info.pid && current.started_at === info.started_at) unlinkSync(path);
        },
      };
    }
    const holder = readLock(path);
    // An unreadable file may be one being written this instant: stale only when it is a few seconds old.
    const reason = holder || fileAgeMs(path) > 5000 ? staleReason(holder) : null;
    if (reason) {
      if (breakStaleLock(path, holder, info)) {
        recoveredFrom = holder;
        opts.onStale?.(holder, reason);
      } else if (existsSync(`${path}.break`)) {
        await abortableSleep(5, opts.signal); // another process is breaking it this instant
      }
      if (!opts.signal?.aborted) continue;
    }
    if (Date.now() >= deadline || opts.signal?.aborted) throw new LockedError(path, readLock(path) ?? holder);
    await abortableSleep(Math.min(opts.pollMs ?? 1000, Math.max(1, deadline - Date.now())), opts.signal);
  }
}

function fileAgeMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
