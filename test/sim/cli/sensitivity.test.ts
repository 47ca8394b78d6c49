import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, userError } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-sensitivity-'));
const args = ['sensitivity', '--arch', 'test/fixtures/tiny-arch.json', '--network', 'test/fixtures/two-layer.json', '--mode', 'opcount'];

test('sensitivity prints a ranked table, JSON and an HTML tornado', () => {
  const html = join(dir, 's.html');
  const t = cli(...args, '--html', html);
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, /ranked by the largest move of the total energy/);
  assert.match(t.stdout.split('\n').find((l) => /^dram_lpddr4/.test(l)) ?? '', /\+83\.2%/);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<svg[\s\S]*dram_lpddr4[\s\S]*<\/svg>/);
  const j = JSON.parse(cli(...args, '--format', 'json', '--factor', '3').stdout) as { factor: number; rows: { class: string }[] };
  assert.is(j.factor, 3);
  assert.is(j.rows[0]!.class, 'dram_lpddr4');
});

test('bad input: a factor not > 1, an unknown baseline config', () => {
  userError(cli(...args, '--factor', '1'), /--factor must be a number > 1, got 1/);
  userError(cli(...args, '--baseline', 'nosuch'), /nosuch/);
});

test.run();
