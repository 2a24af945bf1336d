/**
 * A worker thread of the disclosure step (./settle-parts.ts): settles the parts it is sent, one at a time, and
 * answers each with its result or its error's message. Started through ./settle-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { SettleReply, SettleRequest } from './settle-parts.js';
import { settlePart } from './settle-part.js';

parentPort!.on('message', ({ part, problem, options, maxAttacks }: SettleRequest) => {
  const ms = { read: 0, choose: 0, attack: 0, interval: 0, write: 0 };
  let reply: SettleReply;
  try {
    reply = { part, settled: settlePart(problem, options, maxAttacks, ms), ms };
  } catch (e) {
    reply = { part, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, 'settled' in reply ? [reply.settled.hidden.buffer] : []);
});
