/** Issue #19: every terminal table of the shipped commands fits 120 columns; --wide prints it whole. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from './helpers.ts';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

for (const args of [
  ['costs'],
  ['network', 'list'],
  ['network', 'show', 'resnet50'],
  ['run', '--arch', 'eyeriss-int8', '--network', 'alexnet'],
  ['run', '--arch', 'eyeriss-int8', '--network', 'alexnet', '--layer', 'conv3', '--detail'],
  ['compare', '--network', 'alexnet', '--schemes', 'eyeriss,eyeriss-int8,systolic-int8', '--per-layer'],
]) {
  test(`quantsim ${args.join(' ')} fits 120 columns`, () => {
    const r = cli(...args);
    assert.is(r.code, 0, r.stderr);
    assert.ok(r.stdout.split('\n').length > 3, 'prints a table');
    assert.ok(widest(r.stdout) <= 120, `${widest(r.stdout)} columns:\n${r.stdout.split('\n').filter((l) => [...l].length > 120).join('\n')}`);
  });
}

test('costs --wide prints the source text whole (wider than 120 columns)', () => {
  const r = cli('costs', '--wide');
  assert.is(r.code, 0, r.stderr);
  assert.ok(widest(r.stdout) > 120);
  assert.not.match(r.stdout, /…/);
});

test.run();
