/**
 * A worker thread of the disclosure step (./settle-parts.ts): settles the parts it is sent, one at a time, and
 * answers each with its result or its error's message. Started through ./settle-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { SettleReply, SettleRequest } from './settle-parts.js';
import { type Problem, settlePart } from './settle-part.js';

/**
 * The problem with fresh arrays: the arrays a message brings are copies whose numbers V8 keeps boxed, which made the
 * settling 2-4 times slower than on the same arrays in the main thread.
 */
function packed(p: Problem): Problem {
  const a = <T,>(x: ArrayLike<T>): T[] => Array.from(x);
  const eq = p.equations;
  return {
    ...p,
    protectedN: a(p.protectedN), nonZero: a(p.nonZero), unpublished: p.unpublished && a(p.unpublished), euros: p.euros && a(p.euros),
    lineIds: a(p.lineIds), lineCells: a(p.lineCells), lineIsTotal: a(p.lineIsTotal),
    equations: { group: a(eq.group), equation: a(eq.equation), cell: a(eq.cell), coef: a(eq.coef) },
  };
}

parentPort!.on('message', ({ part, problem, options, maxAttacks }: SettleRequest) => {
  const ms = { read: 0, choose: 0, attack: 0, interval: 0, write: 0 };
  let reply: SettleReply;
  try {
    reply = { part, settled: settlePart(packed(problem), options, maxAttacks, ms), ms };
  } catch (e) {
    reply = { part, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, 'settled' in reply ? [reply.settled.hidden.buffer] : []);
});
