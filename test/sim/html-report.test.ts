import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweep } from '../../sim/sweep.ts';
import { compareReportHtml, sweepReportHtml } from '../../sim/html-report.ts';
import { loadArch } from '../../sim/arch.ts';
import { loadNetwork } from '../../sim/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { screenshot, inkFraction } from '../../scripts/check-report.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'quantsim-html-'));
const { results } = await sweep(join(fixtures, 'tiny-sweep.json'), { workers: 0 });

/** Self-contained: no scripts, nothing fetched (src/href to a URL), every plot inline SVG. */
function selfContained(html: string) {
  assert.not.match(html, /<script/i);
  assert.not.match(html, /(src|href)\s*=\s*"(https?:)?\/\//i);
  assert.not.match(html, /<link /i);
}

test('sweep report: summary, Pareto table and scatter as inline SVG', async () => {
  const html = await sweepReportHtml(results, { title: 'tiny' });
  selfContained(html);
  assert.match(html, /<h1>tiny<\/h1>/);
  assert.match(html, /Pareto front/);
  assert.ok((html.match(/<svg /g) ?? []).length >= 2, 'scatter and energy bars');
  assert.match(html, />24</, 'point count in the summary');
});

test('compare report renders in headless Chromium to a non-blank screenshot', async () => {
  const tiny = loadArch(join(fixtures, 'tiny-arch.json'));
  const net = loadNetwork(join(fixtures, 'two-layer.json'));
  const rows = [{ scheme: 'tiny', report: simulate(tiny, net, { mode: 'opcount' }) }];
  const html = await compareReportHtml({ rows, baseline: 'tiny', configs: new Map([['tiny', tiny.config]]), bitsCurve: [{ scheme: 'tiny', bits: 4, energyPj: 1 }, { scheme: 'tiny', bits: 8, energyPj: 2 }] });
  selfContained(html);
  assert.is((html.match(/<svg /g) ?? []).length, 3, 'energy by part, precision map, energy vs bits');
  const file = join(dir, 'compare.html');
  writeFileSync(file, html);
  const img = screenshot(file, join(dir, 'compare.png'), '1000,900');
  assert.is(img.width, 1000);
  assert.ok(inkFraction(img) > 0.02, `blank screenshot (${inkFraction(img)})`);
});

test.run();
