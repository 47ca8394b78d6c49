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
import { screenshot, inkFraction, textOverflow } from '../../scripts/check-report.ts';

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

test('reports carry their provenance; a synthetic trace shows the "synthetic data" badge, none does not', async () => {
  assert.ok(results.every((l) => l.provenance?.trace.source === 'none' && /^[0-9a-f]{64}$/.test(l.provenance.costs.sha256) && l.provenance.quantsim));
  const plain = await sweepReportHtml(results, { title: 'tiny' });
  assert.not.match(plain, /class="badge"/);
  assert.match(plain, /no trace · costs .* \(sha256 [0-9a-f]{12}\) · quantsim \d/);
  const tiny = loadArch(join(fixtures, 'tiny-arch.json'));
  const net = loadNetwork(join(fixtures, 'two-layer.json'));
  const { generateSyntheticTrace } = await import('../../traces/synthetic.ts');
  const rows = [{ scheme: 'tiny', report: simulate(tiny, net, { mode: 'opcount', trace: generateSyntheticTrace(net, { seed: 4 }) }) }];
  const html = await compareReportHtml({ rows, baseline: 'tiny', configs: new Map([['tiny', tiny.config]]) });
  assert.match(html, /<span class="badge" id="badge">synthetic data<\/span>/);
  assert.match(html, /trace synthetic \(quantsim-synthetic-v1, seed 4\)/);
});

test('the overflow check finds text that pokes out of its plot, and the shipped reports have none', async () => {
  const bad = join(dir, 'overflow.html');
  writeFileSync(bad, '<!doctype html><html><body><svg width="60" height="20"><text x="2" y="15">a label far too long for its box</text></svg><svg width="300" height="20"><text x="2" y="15">fits</text></svg></body></html>');
  assert.equal(textOverflow(bad), ['a label far too long for its box']);
  const sweepHtml = join(dir, 'sweep-check.html');
  writeFileSync(sweepHtml, await sweepReportHtml(results, { title: 'tiny' }));
  assert.equal(textOverflow(sweepHtml), []);
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
  assert.equal(textOverflow(file), [], 'no plot text overflows its box');
});

test.run();
