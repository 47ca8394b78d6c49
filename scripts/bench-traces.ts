/**
 * `npm run bench:traces`: how long synthetic traces and distribution fits take, as JSON lines
 * { bench, value, unit, ... }. ResNet-50's layer shapes are built here (He et al., CVPR 2016,
 * Table 1: 224×224 input, bottleneck blocks 3-4-6-3) so the bench does not depend on a network
 * config being shipped.
 */
import { cpus, loadavg } from 'node:os';
import { loadNetwork } from '../sim/workload.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';
import { fitDistributions } from '../traces/fit.ts';
import { encodeNpy, parseNpy } from '../traces/npy.ts';

const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
/** Wall and CPU milliseconds: on a shared machine the CPU time is the figure that carries over. */
const time = (fn: () => void) => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  fn();
  return { value: Number((performance.now() - t).toFixed(0)), cpuMs: Number((process.cpuUsage(cpu).user / 1000).toFixed(0)) };
};


line({ bench: 'machine', cpus: cpus().length, load1: Number(loadavg()[0]!.toFixed(1)), node: process.version });
for (const net of [loadNetwork('alexnet'), loadNetwork('resnet50')]) {
  let trace = generateSyntheticTrace(net, { seed: 1 });
  const act = time(() => (trace = generateSyntheticTrace(net, { seed: 1 })));
  let acts = 0;
  let weights = 0;
  for (const lt of trace.layers.values()) acts += lt.activations!.data.length;
  const w = time(() => {
    for (const lt of trace.layers.values()) weights += lt.weights!.data.length;
  });
  line({ bench: `synthetic activations ${net.name}`, ...act, unit: 'ms', values: acts, batch: 1, cpuNsPerValue: Number(((act.cpuMs * 1e6) / acts).toFixed(1)) });
  line({ bench: `synthetic weights ${net.name}`, ...w, unit: 'ms', values: weights, cpuNsPerValue: Number(((w.cpuMs * 1e6) / weights).toFixed(1)) });
  const big = [...trace.layers.values()].reduce((a, b) => (a.weights!.data.length > b.weights!.data.length ? a : b));
  const fit = time(() => void fitDistributions(big.weights!.data));
  line({ bench: `fitDistributions ${net.name} ${big.layer} weights`, ...fit, unit: 'ms', values: big.weights!.data.length });
  const npy = time(() => void parseNpy(encodeNpy(big.weights!.shape, big.weights!.data, 'float16')));
  line({ bench: `npy float16 encode+decode ${big.layer}`, ...npy, unit: 'ms', values: big.weights!.data.length });
}
