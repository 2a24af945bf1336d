/**
 * What holds a Node process's heap: reads a V8 `.heapsnapshot` (written by `--heapsnapshot-signal` or
 * `--heapsnapshot-near-heap-limit`) in a stream, because at build size the file is larger than a JavaScript string
 * may be, computes the dominator tree (Cooper, Harvey and Kennedy's iterative algorithm, as Chrome DevTools does)
 * and reports the largest retained sizes with their dominator chains, self size per constructor, and the retained
 * size of Rollup/Vite objects (modules, graphs, chunks) per npm package of their `id`.
 *
 *   node --max-old-space-size=12000 --import tsx bench/heap-retainers.ts <file.heapsnapshot> [--top 40]
 *
 * Used to find what `vite build` holds while it bundles (docs/operations.md, "The build's memory and time").
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface HeapGraph {
  nodeCount: number;
  /** per node: type index, name (string index), self size, first edge offset (edge count at [n+1]) */
  type: Uint8Array;
  name: Uint32Array;
  self: Float64Array;
  firstEdge: Uint32Array;
  /** per edge: type index, name or index, target node (node number, not the file's field offset) */
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  nodeTypes: string[];
  edgeTypes: string[];
  strings: string[];
}

const CHUNK = 64 << 20;

/** A forward reader over a file's bytes, refilling one buffer (tokens may cross refills). */
class ByteReader {
  private readonly fd: number;
  buf: Buffer;
  len = 0;
  i = 0;
  private pos = 0;
  constructor(file: string, readonly chunk: number) {
    this.buf = Buffer.allocUnsafe(chunk);
    this.fd = openSync(file, 'r');
    this.fill();
  }
  /** Reads on from the current index (bytes before it are dropped); false at the end of the file. */
  fill(): boolean {
    this.pos += this.i;
    this.i = 0;
    this.len = readSync(this.fd, this.buf, 0, this.buf.length, this.pos);
    return this.len > 0;
  }
  /** Makes `n` bytes from the current index available (growing the buffer); false when the file has fewer. */
  ensure(n: number): boolean {
    if (this.i + n <= this.len) return true;
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
    this.fill();
    return this.len >= n;
  }
  /** The text before `marker` (which is consumed). */
  readUntil(marker: string): string {
    const m = Buffer.from(marker);
    let acc = '';
    for (;;) {
      const k = this.buf.indexOf(m, this.i);
      if (k >= 0 && k + m.length <= this.len) {
        acc += this.buf.toString('utf8', this.i, k);
        this.i = k + m.length;
        return acc;
      }
      const keep = Math.max(this.i, this.len - m.length);
      acc += this.buf.toString('utf8', this.i, keep);
      this.i = keep;
      if (!this.fill()) throw new Error(`heap snapshot: ${marker} not found`);
    }
  }
  /** Unsigned integers up to the closing `]`, into `out`; returns how many. */
  readNumbers(out: Uint32Array | Float64Array): number {
    let n = 0;
    let cur = 0;
    let inNum = false;
    for (;;) {
      const { buf, len } = this;
      let i = this.i;
      while (i < len) {
        const c = buf[i++]!;
        if (c >= 48 && c <= 57) {
          cur = cur * 10 + (c - 48);
          inNum = true;
        } else {
          if (inNum) {
            out[n++] = cur;
            cur = 0;
            inNum = false;
          }
          if (c === 93) {
            this.i = i;
            return n;
          }
        }
      }
      this.i = i;
      if (!this.fill()) throw new Error('heap snapshot: the file ends inside a number array');
    }
  }
  /** JSON strings up to the closing `]`. */
  readStrings(): string[] {
    const out: string[] = [];
    for (;;) {
      while (this.i < this.len && this.buf[this.i] !== 34 && this.buf[this.i] !== 93) this.i++;
      if (this.i >= this.len) {
        if (!this.fill()) return out;
        continue;
      }
      if (this.buf[this.i] === 93) return out;
      // a string token from this.i: find its end, growing the window for long strings
      let j = this.i + 1;
      let escaped = false;
      for (;;) {
        if (j >= this.len) {
          const from = j - this.i;
          if (!this.ensure(from + this.chunk)) {
            if (this.i + from >= this.len) throw new Error('heap snapshot: the file ends inside a string');
          }
          j = this.i + from;
          continue;
        }
        const d = this.buf[j]!;
        if (escaped) escaped = false;
        else if (d === 92) escaped = true;
        else if (d === 34) break;
        j++;
      }
      const raw = this.buf.toString('utf8', this.i + 1, j);
      out.push(raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
      this.i = j + 1;
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

/** Reads a .heapsnapshot into typed arrays (`chunkBytes` at a time; tokens may cross chunks). */
export function readHeapSnapshot(file: string, chunkBytes = CHUNK): HeapGraph {
  const r = new ByteReader(file, chunkBytes);
  try {
    const header = r.readUntil('"nodes":[');
    const snap = JSON.parse(header.slice(header.indexOf('{', 1)).replace(/,\s*$/, '')) as {
      meta: SnapshotMeta;
      node_count: number;
      edge_count: number;
    };
    const { meta } = snap;
    const NF = meta.node_fields.length;
    const EF = meta.edge_fields.length;
    const rawNodes = new Uint32Array(snap.node_count * NF);
    if (r.readNumbers(rawNodes) !== rawNodes.length) throw new Error('heap snapshot: node count differs from its header');
    r.readUntil('"edges":[');
    const rawEdges = new Uint32Array(snap.edge_count * EF);
    if (r.readNumbers(rawEdges) !== rawEdges.length) throw new Error('heap snapshot: edge count differs from its header');
    r.readUntil('"strings":[');
    const strings = r.readStrings();
    const N = snap.node_count;
    const [fType, fName, fSelf, fEc] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
    const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
    const g: HeapGraph = {
      nodeCount: N,
      type: new Uint8Array(N),
      name: new Uint32Array(N),
      self: new Float64Array(N),
      firstEdge: new Uint32Array(N + 1),
      edgeType: new Uint8Array(snap.edge_count),
      edgeName: new Uint32Array(snap.edge_count),
      edgeTo: new Uint32Array(snap.edge_count),
      nodeTypes: meta.node_types[0],
      edgeTypes: meta.edge_types[0],
      strings,
    };
    let e = 0;
    for (let n = 0; n < N; n++) {
      const o = n * NF;
      g.type[n] = rawNodes[o + fType]!;
      g.name[n] = rawNodes[o + fName]!;
      g.self[n] = rawNodes[o + fSelf]!;
      g.firstEdge[n] = e;
      e += rawNodes[o + fEc]!;
    }
    g.firstEdge[N] = e;
    for (let k = 0; k < snap.edge_count; k++) {
      g.edgeType[k] = rawEdges[k * EF + eType]!;
      g.edgeName[k] = rawEdges[k * EF + eName]!;
      g.edgeTo[k] = rawEdges[k * EF + eTo]! / NF;
    }
    return g;
  } finally {
    r.close();
  }
}

export interface Dominators {
  /** nodes reachable from the root (node 0) in postorder; the root is last */
  post: Uint32Array;
  /** node → postorder number, -1 when unreachable */
  postIndex: Int32Array;
  /** postorder number → its immediate dominator's postorder number */
  idom: Int32Array;
  /** postorder number → retained size */
  retained: Float64Array;
}

/** The dominator tree over strong edges (weak edges do not retain) and each node's retained size. */
export function dominators(g: HeapGraph): Dominators {
  const N = g.nodeCount;
  const WEAK = g.edgeTypes.indexOf('weak');
  const post = new Uint32Array(N);
  const postIndex = new Int32Array(N).fill(-1);
  const stackNode = new Uint32Array(N);
  const stackEdge = new Uint32Array(N);
  const seen = new Uint8Array(N);
  let sp = 1;
  let p = 0;
  stackEdge[0] = g.firstEdge[0]!;
  seen[0] = 1;
  while (sp) {
    const n = stackNode[sp - 1]!;
    let e = stackEdge[sp - 1]!;
    const end = g.firstEdge[n + 1]!;
    let descended = false;
    for (; e < end; e++) {
      const to = g.edgeTo[e]!;
      if (g.edgeType[e] === WEAK || seen[to]) continue;
      seen[to] = 1;
      stackEdge[sp - 1] = e + 1;
      stackNode[sp] = to;
      stackEdge[sp] = g.firstEdge[to]!;
      sp++;
      descended = true;
      break;
    }
    if (!descended) {
      postIndex[n] = p;
      post[p++] = n;
      sp--;
    }
  }
  const R = p;
  // predecessors of each reachable node, by postorder number
  const predStart = new Uint32Array(R + 1);
  const forEachStrongEdge = (fn: (from: number, to: number) => void) => {
    for (let q = 0; q < R; q++) {
      const n = post[q]!;
      for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) {
        if (g.edgeType[e] === WEAK) continue;
        const to = postIndex[g.edgeTo[e]!]!;
        if (to >= 0) fn(q, to);
      }
    }
  };
  forEachStrongEdge((_, to) => predStart[to + 1]!++);
  for (let q = 0; q < R; q++) predStart[q + 1]! += predStart[q]!;
  const preds = new Uint32Array(predStart[R]!);
  const at = predStart.slice(0, R);
  forEachStrongEdge((from, to) => (preds[at[to]!++] = from));
  const root = R - 1;
  const idom = new Int32Array(R).fill(-1);
  idom[root] = root;
  for (let changed = true; changed; ) {
    changed = false;
    for (let q = root - 1; q >= 0; q--) {
      let d = -1;
      for (let k = predStart[q]!; k < predStart[q + 1]!; k++) {
        const pred = preds[k]!;
        if (idom[pred]! < 0) continue;
        if (d < 0) {
          d = pred;
          continue;
        }
        let a = pred;
        let b = d;
        while (a !== b) {
          while (a < b) a = idom[a]!;
          while (b < a) b = idom[b]!;
        }
        d = a;
      }
      if (d >= 0 && idom[q] !== d) {
        idom[q] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(R);
  for (let q = 0; q < R; q++) retained[q]! += g.self[post[q]!]!;
  for (let q = 0; q < root; q++) if (idom[q]! >= 0) retained[idom[q]!]! += retained[q]!;
  return { post: post.subarray(0, R), postIndex, idom, retained };
}

const ID_PROPERTIES = new Set(['id', 'fileName', 'file', 'filename', 'url']);
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);
/** Constructors of Rollup's and Vite's per-module and per-build objects, reported per package. */
export const BUNDLER_OBJECTS = ['Module', 'ExternalModule', 'ModuleInfo', 'ModuleNode', 'Chunk', 'Graph', 'ModuleLoader', 'PluginDriver', 'Bundle'];

export interface Retainer {
  mb: number;
  label: string;
  chain: string[];
}
export interface HeapReport {
  totalMb: number;
  nodes: number;
  largest: Retainer[];
  byConstructor: { key: string; mb: number; count: number }[];
  bundlerByPackage: { key: string; mb: number; count: number }[];
}

const MB = 1048576;
const round = (x: number) => Math.round((x / MB) * 10) / 10;

export function heapReport(g: HeapGraph, d: Dominators, top = 40): HeapReport {
  const typeOf = (n: number) => g.nodeTypes[g.type[n]!]!;
  const nameOf = (n: number) => g.strings[g.name[n]!] ?? '';
  const edgeLabel = (e: number) => {
    const t = g.edgeTypes[g.edgeType[e]!];
    return t === 'element' || t === 'hidden' ? `[${g.edgeName[e]}]` : (g.strings[g.edgeName[e]!] ?? '');
  };
  const idOf = (n: number) => {
    for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) {
      if (ID_PROPERTIES.has(edgeLabel(e)) && STRING_TYPES.has(typeOf(g.edgeTo[e]!))) return nameOf(g.edgeTo[e]!);
    }
    return '';
  };
  const label = (n: number) => {
    const id = idOf(n);
    return `${typeOf(n)} ${JSON.stringify(nameOf(n).slice(0, 70))}${id ? ` ${JSON.stringify(id.slice(-90))}` : ''}`;
  };
  const via = (from: number, to: number) => {
    for (let e = g.firstEdge[from]!; e < g.firstEdge[from + 1]!; e++) if (g.edgeTo[e] === to) return edgeLabel(e);
    return '…';
  };
  const R = d.post.length;
  const root = R - 1;
  const candidates: number[] = [];
  for (let q = 0; q < root; q++) if (d.retained[q]! >= MB) candidates.push(q);
  candidates.sort((a, b) => d.retained[b]! - d.retained[a]!);
  const largest = candidates.slice(0, top).map((q) => {
    const chain: string[] = [];
    for (let c = q, k = 0; k < 8 && d.idom[c] !== c && d.idom[c]! >= 0; k++) {
      const up = d.idom[c]!;
      chain.push(`.${via(d.post[up]!, d.post[c]!)} of ${label(d.post[up]!)}`);
      c = up;
    }
    return { mb: round(d.retained[q]!), label: label(d.post[q]!), chain };
  });
  const tally = (m: Map<string, [number, number]>, key: string, bytes: number) => {
    const v = m.get(key) ?? [0, 0];
    v[0] += bytes;
    v[1]++;
    m.set(key, v);
  };
  const byCons = new Map<string, [number, number]>();
  const byPkg = new Map<string, [number, number]>();
  for (let q = 0; q < R; q++) {
    const n = d.post[q]!;
    const t = typeOf(n);
    tally(byCons, t === 'object' || t === 'closure' || t === 'native' ? `${t} ${nameOf(n)}`.slice(0, 80) : t, g.self[n]!);
    if (t === 'object' && BUNDLER_OBJECTS.includes(nameOf(n))) {
      const id = idOf(n);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1] ?? (id.includes('.evidence/template/') ? '(the Evidence project)' : id ? '(other)' : '(no id)');
      tally(byPkg, `${nameOf(n)} ${pkg}`, d.retained[q]!);
    }
  }
  const list = (m: Map<string, [number, number]>) =>
    [...m].sort((a, b) => b[1][0] - a[1][0]).slice(0, top).map(([key, [bytes, count]]) => ({ key, mb: round(bytes), count }));
  return { totalMb: round(d.retained[root]!), nodes: R, largest, byConstructor: list(byCons), bundlerByPackage: list(byPkg) };
}

export function formatHeapReport(r: HeapReport): string {
  const lines = [`reachable heap ${r.totalMb} MB in ${r.nodes} objects`, '', '== largest retained sizes (MB), each with its dominators upwards =='];
  for (const x of r.largest) lines.push(`${String(x.mb).padStart(8)}  ${x.label}`, ...x.chain.map((c) => `          ${c}`));
  lines.push('', '== self size per constructor or type (MB, objects) ==');
  for (const x of r.byConstructor) lines.push(`${String(x.mb).padStart(8)} ${String(x.count).padStart(9)}  ${x.key}`);
  lines.push('', '== retained size of Rollup/Vite objects per package of their id (MB, objects; nested objects count in each) ==');
  for (const x of r.bundlerByPackage) lines.push(`${String(x.mb).padStart(8)} ${String(x.count).padStart(9)}  ${x.key}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: bench/heap-retainers.ts <file.heapsnapshot> [--top N]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const g = readHeapSnapshot(file);
  console.log(formatHeapReport(heapReport(g, dominators(g), topAt > 0 ? Number(process.argv[topAt + 1]) : 40)));
}
