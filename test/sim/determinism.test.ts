// Determinism (issue #10): every command that writes results, run twice with the same inputs
// and seed in separate processes, writes byte-identical files. Separate processes, because a
// cache or a Map iteration order inside one process could hide a difference.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-determinism-'));
const fixtures = join(root, 'test', 'fixtures');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Every file under `d` (relative path → bytes). */
function tree(d: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(d, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(d.length), readFileSync(join(e.parentPath, e.name)));
  }
  return out;
}

function sameTrees(a: string, b: string): void {
  const ta = tree(a);
  const tb = tree(b);
  assert.equal([...ta.keys()].sort(), [...tb.keys()].sort());
  assert.ok(ta.size > 0);
  for (const [k, v] of ta) assert.ok(v.equals(tb.get(k)!), `${k} differs`);
}

// A seeded synthetic trace folder of the small DNA-TEQ network: the input of quantize and of the trace-driven schemes.
const smallNet = join(fixtures, 'dnateq-small.json');
const traceDir = join(dir, 'trace');
cli('trace', 'synth', '--network', smallNet, '--seed', '5', '--out', traceDir);

test('run (arch mode, DRQ on a trace): same seed, same JSON bytes', () => {
  const outs = ['a', 'b'].map((k) => join(dir, `run-${k}.json`));
  for (const o of outs) cli('run', '--arch', 'drq', '--network', smallNet, '--trace', traceDir, '--mode', 'arch', '--seed', '3', '--format', 'json', '--out', o);
  assert.ok(readFileSync(outs[0]!).equals(readFileSync(outs[1]!)));
  // The seed matters where randomness is drawn (LightNN's stochastic rounding): another seed, other bytes.
  const l = ['1', '1', '2'].map((seed, i) => {
    const o = join(dir, `lightnn-${i}.json`);
    cli('run', '--arch', 'lightnn1', '--network', smallNet, '--trace', traceDir, '--mode', 'arch', '--seed', seed, '--format', 'json', '--out', o);
    return readFileSync(o);
  });
  assert.ok(l[0]!.equals(l[1]!));
  assert.not.ok(l[0]!.equals(l[2]!));
});

test('compare: same table on stdout and the same HTML report bytes', () => {
  const run = (k: string) => {
    const html = join(dir, `compare-${k}.html`);
    const stdout = cli('compare', '--network', smallNet, '--trace', traceDir, '--schemes', 'eyeriss-int8,dnateq,lightnn2', '--mode', 'opcount', '--seed', '2', '--html', html);
    return { stdout, html: readFileSync(html) };
  };
  const a = run('a');
  const b = run('b');
  assert.is(a.stdout, b.stdout);
  assert.ok(a.html.equals(b.html));
});

test('quantize: same codes and parameter files', () => {
  const outs = ['a', 'b'].map((k) => join(dir, `quant-${k}`));
  for (const o of outs) cli('quantize', '--scheme', 'dnateq', '--network', smallNet, '--trace', traceDir, '--arch', join(fixtures, 'dnateq-small-arch.json'), '--seed', '9', '--out', o);
  sameTrees(outs[0]!, outs[1]!);
});

test('sweep on 2 worker threads: the finished results file is the same bytes (lines in spec order)', () => {
  const spec = join(dir, 'spec.json');
  writeFileSync(
    spec,
    JSON.stringify({
      name: 'determinism',
      schemes: ['eyeriss-int8'],
      networks: ['alexnet'],
      mode: 'opcount',
      design: { method: 'lhs', samples: 24 },
      seed: 4,
      axes: [
        { path: '/array/rows', name: 'rows', range: { from: 4, to: 24, integer: true } },
        { path: '/costs/sram/energyScale', name: 'sram', range: { from: 0.5, to: 2 } },
      ],
    }),
  );
  const outs = ['a', 'b'].map((k) => join(dir, `sweep-${k}.jsonl`));
  for (const o of outs) cli('sweep', '--spec', spec, '--out', o, '--workers', '2', '--points-per-task', '1', '--no-progress');
  const [a, b] = outs.map((o) => readFileSync(o, 'utf8'));
  assert.is(a!.split('\n').filter(Boolean).length, 24);
  assert.is(a, b);
});

test.run();
