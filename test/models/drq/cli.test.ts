import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTrace } from '../../../traces/format.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-drq-cli-'));
const put = (name: string, data: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(data));
  return f;
};
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'sim/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}
function userError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.is(r.code, 2, `exit code ${r.code}: ${r.stderr}`);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

const drq = JSON.parse(readFileSync(join(root, 'configs/arch/drq.json'), 'utf8'));
const { calibration: _calibration, ...uncalibrated } = drq.drq;
const archWith = (name: string, section: Record<string, unknown>, base: Record<string, unknown> = drq.drq) =>
  put(name, { ...drq, extends: join(root, 'configs/arch/eyeriss-int8.json'), drq: { ...base, ...section } });
const net = put('net.json', { name: 'small', layers: [{ name: 'c', kind: 'conv', C: 2, M: 2, H: 6, R: 3, padding: 1 }] });

test('region size not dividing the map and no padding policy: one-line error naming the fix, exit 2', () => {
  const { regionPadding: _dropped, ...rest } = drq.drq;
  const arch = put('no-padding.json', { ...drq, extends: join(root, 'configs/arch/eyeriss-int8.json'), drq: { ...rest, regionSize: 4 } });
  userError(cli('run', '--arch', arch, '--network', net, '--trace', 'synth', '--mode', 'opcount'), /does not divide.*regionPadding/);
});

test('threshold out of range: exit 2 with the JSON path', () => {
  userError(cli('run', '--arch', archWith('t.json', { threshold: 1.5, thresholdMode: 'relative' }, uncalibrated), '--network', net, '--trace', 'synth', '--mode', 'opcount'), /\/drq\/threshold.*\[0, 1\]/);
});

test('a trace whose conv input has no spatial dims: exit 2', () => {
  const traceDir = join(dir, 'flat-trace');
  writeTrace(traceDir, {
    network: 'small',
    source: 'synthetic',
    generator: 'test: a flattened conv input',
    layers: new Map([['c', { layer: 'c', activations: { shape: [1, 72], data: new Float32Array(72).fill(1), dtype: 'float32' } }]]),
  });
  userError(cli('run', '--arch', 'drq', '--network', net, '--trace', traceDir, '--mode', 'opcount'), /no spatial dims|shape/);
});

test('calibration asking for more inputs than the trace has: one line naming the file and JSON path, exit 2', () => {
  const arch = archWith('cal-k.json', { calibration: { inputs: 5, target: { relative: 0.2 } } });
  userError(cli('run', '--arch', arch, '--network', net, '--trace', 'synth', '--mode', 'opcount'), /cal-k\.json.*\/drq\/calibration\/inputs.*5 inputs.*trace has 1/);
});

test('calibration target fraction outside [0, 1]: one line naming the file and JSON path, exit 2', () => {
  const arch = archWith('cal-f.json', { calibration: { inputs: 1, target: { sensitiveFraction: 1.5 } } });
  userError(cli('run', '--arch', arch, '--network', net, '--trace', 'synth', '--mode', 'opcount'), /cal-f\.json.*\/drq\/calibration\/target\/sensitiveFraction/);
});

test.run();
