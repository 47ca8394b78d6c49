import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, root, userError } from './helpers.ts';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'quantsim-costs-'));
const tiny = JSON.parse(readFileSync(join(root, 'test/fixtures/tiny-costs.json'), 'utf8'));

function table(edit: (t: typeof tiny) => void): string {
  const t = structuredClone(tiny);
  edit(t);
  const f = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(t));
  return f;
}

test('costs shows the method of every row', () => {
  const r = cli('costs', '--table', 'test/fixtures/tiny-costs.json');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.split('\n')[2]!, /\bmethod\b/);
  const j = JSON.parse(cli('costs', '--format', 'json').stdout) as { rows: { method: string; source: string }[] };
  for (const row of j.rows) assert.ok(['published', 'cacti', 'synthesized', 'estimate'].includes(row.method), JSON.stringify(row));
});

test('an unknown method, a missing method or a missing source: one line naming file and JSON path, exit 2', () => {
  userError(cli('costs', '--table', table((t) => (t.classes.sram.points[0].method = 'guess'))), /\.json: \/classes\/sram\/points\/0\/method: must be one of "published", "cacti", "synthesized", "estimate"/);
  userError(cli('costs', '--table', table((t) => delete t.classes.wire.points[0].method)), /\.json: \/classes\/wire\/points\/0: missing required key "method"/);
  userError(cli('costs', '--table', table((t) => delete t.classes.int_adder.points[0].source)), /\.json: \/classes\/int_adder\/points\/0: missing required key "source"/);
  userError(cli('costs', '--table', table((t) => Object.assign(t.classes.sram.points[0], { method: 'published', estimate: true }))), /\.json: \/classes\/sram\/points\/0\/estimate: "estimate": true contradicts "method": "published"/);
});

test.run();
