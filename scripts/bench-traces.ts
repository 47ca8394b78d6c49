/**
 * `npm run bench:traces`: how long synthetic traces and distribution fits take, as JSON lines
 * { bench, value, unit, ... }. ResNet-50's layer shapes are built here (He et al., CVPR 2016,
 * Table 1: 224×224 input, bottleneck blocks 3-4-6-3) so the bench does not depend on a network
 * config being shipped.
 */
import { cpus, loadavg } from 'node:os';
import { loadNetwork, makeNetwork, type LayerSpec } from '../sim/workload.ts';
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

function resnet50(): LayerSpec[] {
  const layers: LayerSpec[] = [
    { name: 'conv1', kind: 'conv', C: 3, M: 64, H: 224, R: 7, stride: 2, padding: 3, relu: true },
    { name: 'pool1', kind: 'pool', C: 64, H: 112, R: 3, stride: 2, padding: 1 },
  ];
  let C = 64;
  let H = 56;
  [[64, 3], [128, 4], [256, 6], [512, 3]].forEach(([width, blocks], stage) => {
    for (let b = 0; b < blocks!; b++) {
      const s = b === 0 && stage > 0 ? 2 : 1;
      const p = `res${stage + 2}${String.fromCharCode(97 + b)}`;
      const input = layers[layers.length - 1]!.name;
      layers.push({ name: `${p}_1`, kind: 'conv', C, M: width!, H, R: 1, relu: true, inputs: [input] });
      layers.push({ name: `${p}_2`, kind: 'conv', C: width!, M: width!, H, R: 3, stride: s, padding: 1, relu: true });
      const Ho = H / s;
      layers.push({ name: `${p}_3`, kind: 'conv', C: width!, M: 4 * width!, H: Ho, R: 1 });
      if (b === 0) layers.push({ name: `${p}_down`, kind: 'conv', C, M: 4 * width!, H, R: 1, stride: s, inputs: [input] });
      layers.push({ name: `${p}_add`, kind: 'add', C: 4 * width!, H: Ho, relu: true, inputs: [`${p}_3`] });
      C = 4 * width!;
      H = Ho;
    }
  });
  layers.push({ name: 'fc', kind: 'fc', C: 2048, M: 1000 });
  return layers;
}

line({ bench: 'machine', cpus: cpus().length, load1: Number(loadavg()[0]!.toFixed(1)), node: process.version });
for (const net of [loadNetwork('alexnet'), makeNetwork({ name: 'resnet50', layers: resnet50() })]) {
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
