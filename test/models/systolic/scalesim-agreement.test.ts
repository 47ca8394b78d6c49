// Agreement with SCALE-Sim v2 (test/fixtures/scalesim/reference.json, measured with SCALE-Sim at
// the commit the fixture names): with memory stalls off, every layer's compute cycles, utilization,
// mapping efficiency, compute utilization and SRAM access counts equal SCALE-Sim's. The one
// documented difference (docs/systolic.md, "Agreement"): SCALE-Sim's os ofmap writes add rows + cols
// per fold (systolic_compute_os.py counts the demand matrix's shape once more).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeNetwork, macs, type LayerSpec } from '../../../sim/workload.ts';
import { gemmView, type Dataflow } from '../../../models/systolic/gemm-view.ts';
import { foldSchedule } from '../../../models/systolic/fold-schedule.ts';

interface FixtureLayer {
  name: string;
  shape: Record<string, number>;
  cycles: number;
  stallCycles: number;
  overallUtilPercent: number;
  mappingEfficiencyPercent: number;
  computeUtilPercent: number;
  ifmapSramReads: number;
  filterSramReads: number;
  ofmapSramWrites: number;
}
interface FixtureRun {
  topology: string;
  kind: 'conv' | 'gemm';
  rows: number;
  cols: number;
  dataflow: Dataflow;
  layers: FixtureLayer[];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/scalesim/reference.json'), 'utf8')) as { scalesimCommit: string; runs: FixtureRun[] };

/** The layer as quantsim's SCALE-Sim topology importer builds it (no padding, SCALE-Sim's output size). */
function layerOf(kind: 'conv' | 'gemm', l: FixtureLayer): LayerSpec {
  const s = l.shape;
  if (kind === 'gemm') return { name: l.name, kind: 'fc', P: s.M!, M: s.N!, C: s.K! };
  if (s.H === 1 && s.W === 1 && s.R === 1 && s.S === 1) return { name: l.name, kind: 'fc', C: s.C!, M: s.M! };
  const P = Math.ceil((s.H! - s.R! + s.stride!) / s.stride!);
  const Q = Math.ceil((s.W! - s.S! + s.stride!) / s.stride!);
  return { name: l.name, kind: 'conv', C: s.C!, M: s.M!, P, Q, R: s.R!, S: s.S!, stride: s.stride! };
}

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs SCALE-Sim ${b}`);

test('the fixture covers AlexNet, ResNet-18 and a GEMM topology under ws, os and is on two array shapes', () => {
  assert.match(fixture.scalesimCommit, /^[0-9a-f]{40}$/);
  for (const topo of ['alexnet', 'Resnet18', 'test_mnk_input']) {
    for (const df of ['ws', 'os', 'is']) {
      const shapes = new Set(fixture.runs.filter((r) => r.topology === topo && r.dataflow === df).map((r) => `${r.rows}x${r.cols}`));
      assert.ok(shapes.size >= 2, `${topo} ${df}: ${[...shapes].join(', ')}`);
    }
  }
});

test('compute cycles, utilization and SRAM accesses equal SCALE-Sim v2 on every fixture layer', () => {
  let layers = 0;
  for (const run of fixture.runs) {
    const net = makeNetwork({ name: run.topology, layers: run.layers.map((l) => layerOf(run.kind, l)) });
    run.layers.forEach((ref, i) => {
      const layer = net.layers[i]!;
      const s = foldSchedule(gemmView(layer), run.dataflow, { rows: run.rows, cols: run.cols });
      const where = `${run.topology} ${run.rows}×${run.cols} ${run.dataflow} ${ref.name}`;
      assert.is(ref.stallCycles, 0, `${where}: SCALE-Sim stalled`);
      assert.is(s.computeCycles, ref.cycles, `${where}: cycles`);
      close((100 * macs(layer)) / (s.computeCycles * run.rows * run.cols), ref.overallUtilPercent, `${where}: overall util`);
      close(100 * s.mappingEfficiency, ref.mappingEfficiencyPercent, `${where}: mapping efficiency`);
      close(100 * s.computeUtilization, ref.computeUtilPercent, `${where}: compute util`);
      assert.is(s.sram.ifmapReads, ref.ifmapSramReads, `${where}: ifmap reads`);
      assert.is(s.sram.filterReads, ref.filterSramReads, `${where}: filter reads`);
      const osExtra = run.dataflow === 'os' ? s.folds * (run.rows + run.cols) : 0;
      assert.is(s.sram.ofmapWrites + osExtra, ref.ofmapSramWrites, `${where}: ofmap writes`);
      layers++;
    });
  }
  assert.ok(layers > 0);
});

test.run();
