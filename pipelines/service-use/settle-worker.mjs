// The entry of a disclosure-step worker thread (settle-parts.ts): Node 20 does not apply tsx's loader to worker
// threads, so the worker loads its TypeScript through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./settle-worker.ts', import.meta.url);
