/**
 * DNA-TEQ speed: the offline search on a ResNet-50-shaped network (synthetic trace), then the
 * architectural replay with the search cached (the figure that must stay well under a second).
 * Then Transformer-base@16 (search + op-count, cold). Run: npx tsx scripts/bench-dnateq.ts — prints
 * JSON lines like scripts/bench.ts.
 */
import { loadNetwork } from '../sim/workload.ts';
import { loadArch } from '../sim/arch.ts';
import { simulate } from '../sim/simulate.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';

// Cold figures are cold: the on-disk cache of offline steps (sim/disk-cache.ts) is off.
process.env.QUANTSIM_CACHE = 'off';


const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const net = loadNetwork('resnet50');
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

// Transformer-base at a short sequence: 96 fc layers and 36 attention matmuls, both operands quantized.
const tnet = loadNetwork('transformer-base@16');
const ttrace = generateSyntheticTrace(tnet, { seed: 1 });
t = performance.now();
simulate(arch, tnet, { mode: 'opcount', trace: ttrace });
line({ bench: 'dnateq transformer-base@16 search + opcount (cold)', value: Math.round(performance.now() - t), unit: 'ms', layers: tnet.layers.length });
