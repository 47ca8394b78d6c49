/**
 * The files of queued sweep points, shipped by content (docs/hardening.md). The sweep reads every
 * file a job's points depend on (network, cost table, trace folder) once, stores the bytes in
 * Redis under their SHA-256, and names them in the job by hash; a worker fetches the bytes,
 * checks the hashes, writes content-addressed local copies, recomputes each point's key from
 * them and runs the points on the copies. A worker never reads the user's paths, so a file edited
 * after the sweep started cannot give a key the numbers of other content.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { die } from './errors.ts';
import { displayPath } from './paths.ts';
import { writeFileAtomic } from './output.ts';
import { loadCostTable } from './costs.ts';
import { loadNetwork } from './workload.ts';
import { canonicalJson, pointKey } from './point-key.ts';
import type { SweepPoint } from './sweep-eval.ts';

/** Path → SHA-256 of the files a job's points read; a trace folder as relative name → SHA-256. */
export interface JobFiles {
  files: Record<string, string>;
  traces: Record<string, Record<string, string>>;
}

/** The part of Redis the blobs live in (ioredis client, only what is used). */
export interface BlobStore {
  getBuffer(key: string): Promise<Buffer | null>;
  set(key: string, value: Buffer, mode: 'EX', seconds: number): Promise<unknown>;
}

/** Blobs stay a week after the last sweep that stored them. */
const BLOB_TTL_S = 7 * 24 * 3600;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const blobKey = (prefix: string, sha: string) => `${prefix}:blob:${sha}`;

/** Bytes read by this process, by SHA-256 (what storeBlobs uploads). */
const pending = new Map<string, Buffer>();

function readRegular(file: string, within?: string): Buffer {
  try {
    if (within !== undefined) {
      const real = realpathSync(file);
      const root = realpathSync(within);
      if (!real.startsWith(root + sep)) die(`resolves outside the trace folder (to ${real})`, displayPath(file));
    }
    if (!statSync(file).isFile()) die('is not a regular file', displayPath(file));
    return readFileSync(file);
  } catch (e) {
    if ((e as Error).name === 'UserError') throw e;
    return die(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath(file));
  }
}

const hashed = new Map<string, string>();

function hashOf(file: string, within?: string): string {
  let h = hashed.get(file);
  if (h === undefined) {
    const bytes = readRegular(file, within);
    h = sha256(bytes);
    pending.set(h, bytes);
    hashed.set(file, h);
  }
  return h;
}

const traceFiles = new Map<string, Record<string, string>>();

/** manifest.json and every tensor it names, by relative name. */
function traceListing(dir: string): Record<string, string> {
  let t = traceFiles.get(dir);
  if (t) return t;
  const manifest = join(dir, 'manifest.json');
  const listing: Record<string, string> = { 'manifest.json': hashOf(manifest, dir) };
  const m = JSON.parse(pending.get(listing['manifest.json']!)!.toString('utf8')) as { layers?: Record<string, { file?: string }>[] };
  for (const layer of m.layers ?? []) {
    for (const role of ['weights', 'activations', 'outputs']) {
      const f = layer[role]?.file;
      if (typeof f === 'string') listing[f] = hashOf(join(dir, f), dir);
    }
  }
  traceFiles.set(dir, (t = listing));
  return t;
}

/** The files the points of one job read (the first time a file is met, its bytes are read once). */
export function jobFiles(points: readonly SweepPoint[]): JobFiles {
  const files: Record<string, string> = {};
  const traces: Record<string, Record<string, string>> = {};
  for (const p of points) {
    for (const f of [p.networkFile, p.costsFile]) if (existsSync(f)) files[f] = hashOf(f);
    if (p.trace !== undefined && p.trace !== 'synth') traces[p.trace] = traceListing(p.trace);
  }
  return { files, traces };
}

/** Upload the bytes of every file named in `jobs` (those not stored yet refresh their lifetime). */
export async function storeBlobs(client: BlobStore, prefix: string, jobs: readonly JobFiles[]): Promise<void> {
  const shas = new Set(jobs.flatMap((j) => [...Object.values(j.files), ...Object.values(j.traces).flatMap((t) => Object.values(t))]));
  for (const sha of shas) {
    const bytes = pending.get(sha);
    if (!bytes) throw new Error(`no bytes for blob ${sha}`);
    await client.set(blobKey(prefix, sha), bytes, 'EX', BLOB_TTL_S);
  }
}

/** Where this worker keeps its content-addressed copies. */
export const LOCAL_ROOT = join(tmpdir(), `quantsim-worker-${process.pid}`);

async function fetchBlob(client: BlobStore, prefix: string, sha: string, original: string, local: string): Promise<void> {
  if (existsSync(local) && sha256(readFileSync(local)) === sha) return;
  const bytes = await client.getBuffer(blobKey(prefix, sha));
  if (!bytes) die(`its content (sha256 ${sha.slice(0, 12)}…) is not in Redis, so this worker cannot reproduce the file the point was enqueued with; rerun the sweep`, displayPath(original));
  if (sha256(bytes) !== sha) die(`the bytes stored in Redis do not hash to ${sha.slice(0, 12)}…; refusing to run on them`, displayPath(original));
  mkdirSync(dirname(local), { recursive: true });
  writeFileAtomic(local, bytes);
}

export interface LocalJob {
  points: SweepPoint[];
  /** Result lines with the local copies' paths in messages put back to the user's paths. */
  restore(lines: readonly string[]): string[];
}

/**
 * Fetch a job's files into local copies and check that they reproduce every point's key;
 * a UserError (the caller fails the job for good) when they cannot.
 */
export async function localizeJob(client: BlobStore, prefix: string, job: { points: SweepPoint[]; files?: JobFiles }, root = LOCAL_ROOT): Promise<LocalJob> {
  if (!job.files || typeof job.files !== 'object') die('the job names no files (enqueued by an older quantsim?); rerun the sweep');
  const map = new Map<string, string>();
  for (const [file, sha] of Object.entries(job.files.files ?? {})) {
    const local = join(root, sha, basename(file));
    await fetchBlob(client, prefix, sha, file, local);
    map.set(file, local);
  }
  for (const [dir, listing] of Object.entries(job.files.traces ?? {})) {
    const local = join(root, `trace-${sha256(canonicalJson(listing)).slice(0, 32)}`, basename(dir));
    for (const [rel, sha] of Object.entries(listing)) {
      if (rel.split(/[/\\]/).includes('..') || rel.startsWith('/')) die(`trace file "${rel}" leaves the trace folder`, displayPath(dir));
      await fetchBlob(client, prefix, sha, join(dir, rel), join(local, rel));
    }
    map.set(dir, local);
  }
  const at = (f: string) => map.get(f) ?? die('the job does not carry this file, so the worker cannot run on the bytes the sweep read; rerun the sweep', displayPath(f));
  const points = job.points.map((p) => {
    const q: SweepPoint = { ...p, networkFile: at(p.networkFile), costsFile: at(p.costsFile), ...(p.trace !== undefined && p.trace !== 'synth' ? { trace: at(p.trace) } : {}) };
    const net = loadNetwork(q.networkFile);
    const traceHash = q.trace === undefined ? undefined : q.trace === 'synth' ? 'synth' : sha256(readFileSync(join(q.trace, 'manifest.json'), 'utf8'));
    const key = pointKey({ config: p.config, networkHash: sha256(canonicalJson({ name: net.name, layers: net.layers })), costsHash: loadCostTable(q.costsFile).sha256, traceHash, energyScale: p.energyScale, mode: p.mode, seed: p.seed });
    if (key !== p.key) die(`point ${p.key}: the files it was enqueued with give key ${key}; they changed after the sweep read them: rerun the sweep`, displayPath(p.networkFile));
    return q;
  });
  const swaps = [...map].flatMap(([orig, local]) => [
    [local, displayPath(orig)],
    [displayPath(local), displayPath(orig)],
  ]).sort((a, b) => b[0]!.length - a[0]!.length);
  const restore = (lines: readonly string[]) =>
    lines.map((l) => {
      if (!l.includes(root) && !swaps.some(([local]) => l.includes(JSON.stringify(local!).slice(1, -1)))) return l;
      const o = JSON.parse(l) as { error?: string };
      if (o.error) for (const [local, orig] of swaps) o.error = o.error.split(local!).join(orig!);
      return `${JSON.stringify(o)}\n`;
    });
  return { points, restore };
}
