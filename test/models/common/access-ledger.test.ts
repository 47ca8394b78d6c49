// The common per-level traffic ledger: hand-computed charging, packing and statistics, and the
// architecture rule that both arrays (and every scheme built on them) move their traffic through it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { chargeLedger, ledgerStats, wordPort, type AccessLedger, type LevelTraffic } from '../../../models/common/access-ledger.ts';

const root = join(import.meta.dirname, '..', '..', '..');

const ledger: AccessLedger = {
  macs: 1200,
  tensors: {
    weights: { dram: { reads: 100, bits: 4 }, buf: { fills: 100, reads: 300, bits: 4 } },
    inputs: { dram: { reads: 60, bits: 8.5 }, buf: { fills: 60, reads: 400, bits: 8.5 } },
    outputs: { dram: { writes: 10, bits: 8 }, buf: { writes: 40, reads: 30, drains: 10, bits: 32 } },
  },
};

test('a shared level sums every tensor at its own width; a per-tensor level packs into its words', () => {
  const calls: string[] = [];
  const bits = { read: 0, write: 0 };
  const words = { read: 0, write: 0 };
  const storage = (name: string) => ({ wordBits: 16, read: (n: number) => calls.push(`${name} r ${n}`), write: (n: number) => calls.push(`${name} w ${n}`) });
  chargeLedger(ledger, {
    dram: { shared: { read: (b) => (bits.read += b), write: (b) => (bits.write += b) } },
    buf: { each: { weights: wordPort(storage('w'), 0.5), outputs: wordPort(storage('o')) } },
    unused: { shared: { read: (b) => (words.read += b), write: (b) => (words.write += b) } },
  });
  assert.equal(bits, { read: 100 * 4 + 60 * 8.5, write: 10 * 8 });
  // Weights: 4-bit values in 16-bit words, a quarter access each, reads halved (gating); outputs: 2 words each.
  // Inputs have no port at this level: reported, not charged.
  assert.equal(calls, ['w r 37.5', 'w w 25', 'o r 80', 'o w 80']);
  assert.equal(words, { read: 0, write: 0 });
});

test('statistics: drains count as reads, reuse counts the PE-side accesses only', () => {
  const t = ledgerStats(ledger);
  assert.equal(t.weights.buf, { fills: 100, reads: 300, macsPerAccess: 4 });
  assert.equal(t.outputs.buf, { writes: 40, reads: 40, macsPerAccess: Number((1200 / 70).toPrecision(4)) });
  assert.equal(t.outputs.dram, { writes: 10, macsPerAccess: 120 });
  assert.equal(ledgerStats({ macs: 0, tensors: { weights: {}, inputs: { x: { reads: 0, bits: 8 } as LevelTraffic }, outputs: {} } }).inputs.x, { reads: 0, macsPerAccess: 0 });
});

const sources = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));

/** Every relative import of a file (run-time and, unless `runtimeOnly`, type-only), as repository paths. */
const imports = (file: string, runtimeOnly = false) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/^\s*(?:import|export)\s+(type\s)?[^'"]*?['"](\.[^'"]+)['"]/gm)].filter((m) => !(runtimeOnly && m[1])).map((m) => relative(root, resolve(dirname(join(root, file)), m[2]!)));

test('neither array imports the other: what they share is under models/common/', () => {
  const offenders: string[] = [];
  for (const [dir, other] of [['models/eyeriss', 'models/systolic/'], ['models/systolic', 'models/eyeriss/']] as const) {
    for (const f of sources(dir)) for (const g of imports(f)) if (g.startsWith(other)) offenders.push(`${f} → ${g}`);
  }
  // models/common/ runs without either array (the timing hook's interface names each array's view type only).
  for (const f of sources('models/common')) for (const g of imports(f, true)) if (g.startsWith('models/systolic/') || g.startsWith('models/eyeriss/')) offenders.push(`${f} → ${g}`);
  assert.equal(offenders, []);
});

test('both arrays count their traffic through the common ledger, and nothing on them charges traffic beside it', () => {
  for (const f of ['models/eyeriss/counts.ts', 'models/systolic/traffic-ledger.ts', 'models/systolic/elementwise.ts', 'models/systolic/accelerator.ts']) {
    assert.ok(imports(f).includes('models/common/access-ledger.ts'), f);
  }
  // Memory traffic (DRAM, buffers, links, PE storage) is charged only by the ports of the ledger: the
  // Eyeriss-like hierarchy's (hierarchyPorts in counts.ts) and wordPort; no array or scheme on one calls them itself.
  const offenders: string[] = [];
  for (const dir of ['models/eyeriss', 'models/systolic', 'models/drq', 'models/olaccel', 'models/lightnn', 'models/fixedpoint']) {
    for (const f of sources(dir)) {
      const code = readFileSync(join(root, f), 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));
      code.forEach((l, i) => {
        if (/\.(read|write|deliver|neighbor)\(/.test(l) && !(f === 'models/eyeriss/counts.ts' && /=>/.test(l))) offenders.push(`${f}:${i + 1}: ${l.trim()}`);
      });
    }
  }
  assert.equal(offenders, []);
});

test.run();
