/**
 * Fuzz classes of issue #17 (docs/hardening.md), registered in scripts/fuzz.ts:
 * - output-target: file and folder outputs aimed at FIFOs, symlinks (live, dangling, to folders),
 *   folders (empty, holding user files, quantsim-made, both), the command's input file and folder;
 *   nothing a user owns may change, a FIFO stays a FIFO, a link stays a link.
 * - tensor-file: a trace's tensor as a symlink to /dev/zero, outside or inside the folder, a FIFO,
 *   a folder, a dangling link, a sparse 1 GiB file: only a regular file inside the folder is read,
 *   and never more bytes than its header's shape needs.
 * - config-extremes: one numeric field of an arch config or cost table (numbers and the numbers of
 *   "X pJ" quantities) set to an extreme finite value; every number of the report must be finite.
 * - queue-faults: queue job data and blob stores damaged (blobs missing or corrupt, hashes, paths,
 *   keys, trace listings changed), plus malformed and unreachable Redis URLs: a worker either runs
 *   the exact points or refuses with a one-line error.
 */
import fc from 'fast-check';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, symlinkSync, truncateSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadArch } from '../sim/arch.ts';
import { loadCostTable } from '../sim/costs.ts';
import { simulate } from '../sim/simulate.ts';
import { archFromConfig, type ArchConfig } from '../sim/arch.ts';
import { loadNetwork } from '../sim/workload.ts';
import { CONFIG_DIR } from '../sim/config.ts';
import { clearInputs, noteInput } from '../sim/inputs.ts';
import { writeOutputFile } from '../sim/output.ts';
import { writeOutputFolder, OUTPUT_MARKER } from '../sim/output-folder.ts';
import { loadTrace, writeTrace } from '../traces/format.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';
import { expandSweep, loadSweepSpec } from '../sim/sweep.ts';
import { evaluateBatch } from '../sim/sweep-eval.ts';
import { jobFiles, localizeJob, storeBlobs, type BlobStore, type JobFiles } from '../sim/queue-files.ts';
import { checkRedis } from '../sim/queue.ts';

/** What scripts/fuzz.ts runs for one case (see its Case). */
export interface SafetyCase {
  files: Record<string, string | Uint8Array>;
  run: () => unknown;
  names: string[];
  /** Special files made after `files` are written (FIFOs, symlinks, sparse files). */
  setup?: () => void;
  /** Paths (or folder prefixes ending in "/") the case may leave; not read. */
  keep?: string[];
  /** A broken invariant after the run, or undefined. */
  check?: (threw: boolean) => string | undefined;
}
type Make = (dir: string) => SafetyCase;

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');
const TWO_LAYER = join(FIXTURES, 'two-layer.json');
let twoLayer: ReturnType<typeof loadNetwork> | undefined;
const net = () => (twoLayer ??= loadNetwork(TWO_LAYER));
let traceBytes: Record<string, Uint8Array> | undefined;

/** The bytes of a small trace folder (written once, reused by every case). */
function smallTrace(scratch: string): Record<string, Uint8Array> {
  if (traceBytes) return traceBytes;
  const d = join(scratch, '..', 'fuzz-trace-source');
  writeTrace(d, generateSyntheticTrace(net(), { seed: 1 }), { force: true });
  traceBytes = Object.fromEntries(readdirSync(d).map((f) => [f, readFileSync(join(d, f))]));
  return traceBytes;
}

const TARGETS = ['none', 'regular', 'fifo', 'fifo-read', 'link', 'dangling', 'link-dir', 'empty-dir', 'user-dir', 'ours-dir', 'ours-plus-user', 'input-file', 'input-dir', 'inside-input'] as const;

const snapshotOf = (dir: string, names: readonly string[]) => names.map((n) => { try { return readFileSync(join(dir, n)).toString('base64'); } catch { return '-'; } }).join('|');

/** Output targets: a file output (writeOutputFile) or a folder output (writeOutputFolder), with or without force. */
export function outputTargetCases(): fc.Arbitrary<Make> {
  return fc.tuple(fc.constantFrom(...TARGETS), fc.boolean(), fc.boolean()).map(([target, folder, force]) => (dir: string): SafetyCase => {
    const out = join(dir, 'out');
    const user = ['user.txt', 'input.json', 'real.txt', 'in/manifest.json', 'out-user.txt'];
    const files: Record<string, string> = { 'user.txt': 'mine\n', 'input.json': '{"input": true}\n', 'in/manifest.json': '{"in": true}\n' };
    if (target === 'regular') files['out'] = 'old\n';
    if (target === 'link' || target === 'link-dir') files['real.txt'] = 'linked\n';
    if (target === 'user-dir' || target === 'ours-plus-user') files['out/out-user.txt'] = 'theirs\n';
    if (target === 'ours-dir' || target === 'ours-plus-user') {
      files['out/a.txt'] = 'a';
      files[`out/${OUTPUT_MARKER}`] = JSON.stringify({ writtenBy: 'quantsim', files: ['a.txt'] });
    }
    let readerFd: number | undefined;
    const where = target === 'input-file' ? join(dir, 'input.json') : target === 'input-dir' ? join(dir, 'in') : target === 'inside-input' ? join(dir, 'in', 'sub') : out;
    return {
      files,
      names: ['out', 'input.json', 'in', 'sub'],
      keep: ['out', 'out/', 'in/', 'real.txt', 'dir-target/', 'missing-target', 'missing-target/'],
      setup: () => {
        clearInputs();
        noteInput(join(dir, 'input.json'));
        noteInput(join(dir, 'in'));
        if (target === 'fifo' || target === 'fifo-read') spawnSync('mkfifo', [out]);
        if (target === 'fifo-read') readerFd = openSync(out, constants.O_RDONLY | constants.O_NONBLOCK);
        if (target === 'link') symlinkSync('real.txt', out);
        if (target === 'dangling') symlinkSync('missing-target', out);
        if (target === 'link-dir') {
          mkdirSync(join(dir, 'dir-target'));
          symlinkSync('dir-target', out);
        }
        if (target === 'empty-dir') mkdirSync(out);
      },
      run: () => {
        const before = snapshotOf(dir, user);
        try {
          if (folder) writeOutputFolder(where, new Map([['a.txt', 'new a'], ['b.txt', 'new b']]), { force });
          else writeOutputFile(where, 'content\n');
        } finally {
          if (readerFd !== undefined) closeSync(readerFd);
          const after = snapshotOf(dir, user);
          // The only user-owned file that may change is real.txt, through the link, by a file output.
          if (before !== after && !(target === 'link' && !folder && after.replace(/[^|]*\|[^|]*\|[^|]*$/, '') === before.replace(/[^|]*\|[^|]*\|[^|]*$/, ''))) {
            throw new Error(`a user file changed: ${before} → ${after}`);
          }
        }
      },
      check: () => {
        if ((target === 'fifo' || target === 'fifo-read') && !lstatSync(out).isFIFO()) return 'the FIFO was replaced';
        if ((target === 'link' || target === 'dangling' || target === 'link-dir') && !lstatSync(out).isSymbolicLink()) return 'the symlink was replaced';
        if ((target === 'user-dir' || target === 'ours-plus-user') && readFileSync(join(out, 'out-user.txt'), 'utf8') !== 'theirs\n') return 'a user file in the output folder was lost';
        if (readFileSync(join(dir, 'in', 'manifest.json'), 'utf8') !== '{"in": true}\n') return 'the input folder changed';
        return undefined;
      },
    };
  });
}

const TENSOR_KINDS = ['regular', 'dev-zero', 'outside', 'inside-link', 'fifo', 'folder', 'dangling', 'sparse', 'short'] as const;

/** A trace whose conv weights tensor is replaced by a special file. */
export function tensorFileCases(): fc.Arbitrary<Make> {
  return fc.constantFrom(...TENSOR_KINDS).map((kind) => (dir: string): SafetyCase => {
    const src = smallTrace(dir);
    const files: Record<string, Uint8Array> = {};
    for (const [f, b] of Object.entries(src)) if (f !== 'conv.weights.npy' || kind === 'regular') files[`trace/${f}`] = b;
    if (kind === 'outside') files['outside.npy'] = src['conv.weights.npy']!;
    if (kind === 'inside-link' || kind === 'short' || kind === 'sparse') files['trace/real.npy'] = src['conv.weights.npy']!;
    const victim = join(dir, 'trace', 'conv.weights.npy');
    return {
      files,
      names: ['conv.weights.npy'],
      keep: ['trace/conv.weights.npy', 'trace/conv.weights.npy/'],
      setup: () => {
        if (kind === 'dev-zero') symlinkSync('/dev/zero', victim);
        if (kind === 'outside') symlinkSync(join(dir, 'outside.npy'), victim);
        if (kind === 'inside-link') symlinkSync('real.npy', victim);
        if (kind === 'fifo') spawnSync('mkfifo', [victim]);
        if (kind === 'folder') mkdirSync(victim);
        if (kind === 'dangling') symlinkSync('nope.npy', victim);
        if (kind === 'sparse' || kind === 'short') {
          symlinkSync('real.npy', victim);
          truncateSync(join(dir, 'trace', 'real.npy'), kind === 'sparse' ? 2 ** 30 : 100);
        }
      },
      run: () => {
        const t = loadTrace(join(dir, 'trace'), net());
        if (kind !== 'regular' && kind !== 'inside-link') throw new Error(`a ${kind} tensor was read`);
        return t;
      },
    };
  });
}

const EXTREMES = [1e-300, 5e-324, 1e308, -1e308, 1e300, -1, 0, 1e-12, 1e12, 2 ** 53 + 2, 0.5, 4097] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
function numericLeaves(doc: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof doc === 'number' || (typeof doc === 'string' && /^\s*[0-9.eE+-]+\s*(pJ|um\^2|uW|fJ|nJ|mm\^2)/.test(doc))) out.push(path);
  else if (Array.isArray(doc)) doc.forEach((v, i) => numericLeaves(v, [...path, i], out));
  else if (doc && typeof doc === 'object') for (const k of Object.keys(doc)) numericLeaves(doc[k]!, [...path, k], out);
  return out;
}

/** Every number of a value finite (what reports, JSONL lines and tables may hold). */
function firstNonFinite(v: unknown, path = ''): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    const bad = firstNonFinite(x, `${path}/${k}`);
    if (bad) return bad;
  }
  return undefined;
}

/** One numeric field of the Eyeriss arch config or the 32nm cost table set to an extreme value. */
export function configExtremeCases(): fc.Arbitrary<Make> {
  const arch = JSON.parse(readFileSync(join(CONFIG_DIR, 'arch', 'eyeriss.json'), 'utf8')) as Json;
  delete (arch as Record<string, Json>).$schema;
  const costs = JSON.parse(readFileSync(join(CONFIG_DIR, 'costs', '32nm.json'), 'utf8')) as Json;
  const leaves = { arch: numericLeaves(arch), costs: numericLeaves(costs) };
  return fc.tuple(fc.constantFrom('arch' as const, 'costs' as const), fc.nat(), fc.constantFrom(...EXTREMES), fc.constantFrom('opcount' as const, 'arch' as const)).map(([which, at, value, mode]) => (dir: string): SafetyCase => {
    const doc = JSON.parse(JSON.stringify(which === 'arch' ? arch : costs)) as Json;
    const path = leaves[which][at % leaves[which].length]!;
    let parent = doc as Record<string | number, Json>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
    const last = path[path.length - 1]!;
    const old = parent[last];
    parent[last] = typeof old === 'string' ? old.replace(/^\s*[0-9.eE+-]+/, String(value)) : value;
    const file = join(dir, `${which}.json`);
    if (which === 'arch') (doc as Record<string, Json>).costs = join(CONFIG_DIR, 'costs', '32nm.json');
    return {
      files: { [`${which}.json`]: JSON.stringify(doc) },
      names: [`${which}.json`],
      run: () => {
        const a = which === 'arch' ? loadArch(file) : loadArch('eyeriss');
        const r = simulate(which === 'arch' ? a : archFromConfig(a.config as ArchConfig, a.file, a.costsFile), net(), { mode, ...(which === 'costs' ? { costs: loadCostTable(file) } : {}) });
        const bad = firstNonFinite(r);
        if (bad) throw new Error(`non-finite result ${bad} for /${path.join('/')} = ${value}`);
      },
    };
  });
}

const FAULTS = ['none', 'delete-blob', 'corrupt-blob', 'no-files', 'wrong-sha', 'renamed-path', 'wrong-key', 'dotdot-trace', 'store-down', 'bad-url', 'refused-url'] as const;
const BAD_URLS = ['http://x', 'redis://[::1', 'redis://127.0.0.1:1/x', 'redis://127.0.0.1:1/-1', 'not a url', ''];

/** Damaged queue jobs against the worker's file check (an in-memory blob store; no Redis needed). */
export function queueFaultCases(): fc.Arbitrary<Make> {
  return fc.tuple(fc.constantFrom(...FAULTS), fc.nat(), fc.constantFrom(...BAD_URLS)).map(([fault, k, url]) => (dir: string): SafetyCase => ({
    files: {
      'tiny-sweep.json': readFileSync(join(FIXTURES, 'tiny-sweep.json')),
      'tiny-arch.json': readFileSync(join(FIXTURES, 'tiny-arch.json')),
      'tiny-costs.json': readFileSync(join(FIXTURES, 'tiny-costs.json')),
      'two-layer.json': readFileSync(join(FIXTURES, 'two-layer.json')),
    },
    names: ['two-layer.json', 'tiny-costs.json', 'trace', 'the job', url || 'redis://', '127.0.0.1:1'],
    keep: ['local/'],
    run: async () => {
      if (fault === 'bad-url') return checkRedis(url);
      if (fault === 'refused-url') return checkRedis('redis://127.0.0.1:1');
      const { spec, baseDir, file } = loadSweepSpec(join(dir, 'tiny-sweep.json'));
      const all = expandSweep(spec, baseDir, file).points;
      const points = [all[k % all.length]!, all[(k + 7) % all.length]!];
      const data = new Map<string, Buffer>();
      const store: BlobStore = {
        getBuffer: async (key) => {
          if (fault === 'store-down') throw new Error('store down (a transient Redis error: BullMQ retries the job)');
          return data.get(key) ?? null;
        },
        set: async (key, v) => void data.set(key, v),
      };
      const files: JobFiles = jobFiles(points);
      await storeBlobs(store, 'f', [files]);
      const job = { points: points.map((p) => ({ ...p })), files: JSON.parse(JSON.stringify(files)) as JobFiles };
      const first = Object.keys(job.files.files)[0]!;
      if (fault === 'delete-blob') data.delete([...data.keys()][k % data.size]!);
      if (fault === 'corrupt-blob') data.set([...data.keys()][k % data.size]!, Buffer.from('x'));
      if (fault === 'no-files') delete (job as { files?: JobFiles }).files;
      if (fault === 'wrong-sha') job.files.files[first] = '0'.repeat(64);
      if (fault === 'renamed-path') {
        job.files.files[join(dir, 'elsewhere.json')] = job.files.files[first]!;
        delete job.files.files[first];
      }
      if (fault === 'wrong-key') job.points[0] = { ...job.points[0]!, key: 'ffffffffffffffff' };
      if (fault === 'dotdot-trace') job.files.traces[join(dir, 'trace')] = { '../escape.npy': job.files.files[first]! };
      let local;
      try {
        local = await localizeJob(store, 'f', job, join(dir, 'local'));
      } catch (e) {
        if (fault === 'store-down' && !(e as Error).name.includes('UserError')) return undefined;
        throw e;
      }
      if (fault !== 'none') throw new Error(`fault ${fault} was not refused`);
      const got = local.restore(evaluateBatch(local.points));
      const want = evaluateBatch(points);
      if (fault === 'none' && got.join('') !== want.join('')) throw new Error('results on the local copies differ from the originals');
      return got;
    },
  }));
}
