/**
 * DNA-TEQ speed: the offline search on a ResNet-50-shaped network (synthetic trace), then the
 * architectural replay with the search cached (the figure that must stay well under a second).
 * Run: npx tsx scripts/bench-dnateq.ts — prints JSON lines like scripts/bench.ts.
 */
import { makeNetwork, type LayerSpec } from '../sim/workload.ts';
import { loadArch } from '../sim/arch.ts';
import { simulate } from '../sim/simulate.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';

/** ResNet-50 (He et al., CVPR 2016) at 224×224: stem, 16 bottleneck blocks, fc; shortcuts as 1×1 convs. */
function resnet50(): LayerSpec[] {
  const layers: LayerSpec[] = [
    { name: 'conv1', kind: 'conv', C: 3, M: 64, H: 224, R: 7, stride: 2, padding: 3, relu: true },
    { name: 'pool1', kind: 'pool', C: 64, H: 112, R: 3, stride: 2, padding: 1 },
  ];
  let c = 64;
  let h = 56;
  [[3, 64], [4, 128], [6, 256], [3, 512]].forEach(([blocks, w], stage) => {
    for (let b = 0; b < blocks!; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const name = `s${stage + 1}b${b + 1}`;
      const out = w! * 4;
      layers.push({ name: `${name}a`, kind: 'conv', C: c, M: w!, H: h, R: 1, relu: true });
      layers.push({ name: `${name}b`, kind: 'conv', C: w!, M: w!, H: h, R: 3, stride, padding: 1, relu: true });
      const ho = h / stride;
      layers.push({ name: `${name}c`, kind: 'conv', C: w!, M: out, H: ho, R: 1 });
      if (b === 0) layers.push({ name: `${name}sc`, kind: 'conv', C: c, M: out, H: h, R: 1, stride });
      c = out;
      h = ho;
    }
  });
  layers.push({ name: 'pool5', kind: 'pool', C: 2048, H: 7, R: 7 });
  layers.push({ name: 'fc', kind: 'fc', C: 2048, M: 1000 });
  return layers;
}

const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const net = makeNetwork({ name: 'resnet50-bench', layers: resnet50() });
const trace = generateSyntheticTrace(net, { seed: 1 });
const arch = loadArch('dnateq');
let t = performance.now();
simulate(arch, net, { mode: 'arch', trace });
line({ bench: 'dnateq resnet50 search + arch replay (cold)', value: Math.round(performance.now() - t), unit: 'ms' });
let best = Infinity;
for (let i = 0; i < 3; i++) {
  t = performance.now();
  simulate(arch, net, { mode: 'arch', trace });
  best = Math.min(best, performance.now() - t);
}
line({ bench: 'dnateq resnet50 arch replay (search cached)', value: Number(best.toFixed(1)), unit: 'ms', layers: net.layers.length });
