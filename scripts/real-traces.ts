/**
 * `npm run traces:real [-- --model NAME --images N --out DIR --dtype float16 --configs]`: the full
 * real-trace runs and checks. Records face-api's face-recognition network on every face in the six
 * sample photos and nsfwjs' MobileNetV2, mid MobileNetV2 and InceptionV3 on the six photos
 * (default: all four); verifies the descriptors / class scores against the packages' own
 * computeFaceDescriptor / classify() and the stored outputs against a direct convolution of the
 * stored tensors, writes each trace folder, reloads it through loadTrace (checked against its
 * network config) and prints the data facts, the size and the time.
 * `--configs` instead (re)writes configs/networks/{mobilenet-v2,mobilenet-v2-mid,inception-v3}.json
 * from the shipped graphs; `--stats` prints, for traces already recorded, the per-layer RSS of the
 * exponential/normal/Laplace/uniform fits and which tensor DNA-TEQ's search starts from.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CONFIG_DIR, displayPath } from '../sim/config.ts';
import { die, isUserError } from '../sim/errors.ts';
import { textTable } from '../sim/report.ts';
import { loadNetwork } from '../sim/workload.ts';
import { loadTrace } from '../traces/format.ts';
import { readFaceApiWeights } from '../traces/real/face-api-weights.ts';
import { convSpecs, FACE_RECOGNITION_MODEL } from '../traces/real/face-recognition-net.ts';
import { FACE_RECOGNITION_NETWORK, generateFaceRecognitionTrace, OUTPUT_TOLERANCE } from '../traces/real/face-recognition-trace.ts';
import { outputMismatch, traceBiases } from '../traces/real/check.ts';
import { bestFitCounts, factsRows, fitRows } from '../traces/real/stats.ts';
import { traceStats } from '../traces/stats.ts';
import { realTraceDir } from '../traces/real/defaults.ts';
import { loadArch } from '../sim/arch.ts';
import { SCHEMES } from '../models/registry.ts';
import seedrandom from 'seedrandom';
import { NSFWJS_MODELS } from '../traces/real/nsfwjs-models.ts';
import { cnnNetworkSpec } from '../traces/real/cnn-network.ts';
import { tensorStats } from '../traces/stats.ts';
import { formatNetwork } from './make-networks.ts';

const MODELS = [FACE_RECOGNITION_NETWORK, ...NSFWJS_MODELS.map((m) => m.network)];

const args = await yargs(hideBin(process.argv))
  .option('model', { type: 'string', array: true, describe: `Models to trace (default all: ${MODELS.join(', ')})` })
  .option('images', { type: 'number', describe: 'First N sample photos (default all 6)' })
  .option('out', { type: 'string', describe: 'Trace folder (one --model only; default .cache/traces/MODEL)' })
  .option('dtype', { choices: ['float32', 'float16'] as const, default: 'float32' as const })
  .option('configs', { type: 'boolean', default: false, describe: 'Write the nsfwjs network configs from the shipped graphs and exit' })
  .option('stats', { type: 'boolean', default: false, describe: 'Print fit RSS per layer and DNA-TEQ start tensors of the recorded traces and exit' })
  .strict()
  .parseAsync();

/** Reload a written trace against its config and recompute sampled outputs from the stored tensors. */
function reloadMismatch(dir: string, network: string): number {
  const net = loadNetwork(network);
  const loaded = loadTrace(dir, net);
  const biases = traceBiases(loaded);
  let worst = 0;
  for (const lt of loaded.layers.values()) worst = Math.max(worst, outputMismatch(lt, net.layers.find((l) => l.name === lt.layer)!, biases.get(lt.layer), 64, 2));
  return worst;
}

async function faceRecognition(): Promise<void> {
  const t0 = performance.now();
  const r = await generateFaceRecognitionTrace({
    ...(args.images !== undefined ? { images: args.images } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    dtype: args.dtype,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const mismatch = reloadMismatch(r.dir, FACE_RECOGNITION_NETWORK);
  if (!(mismatch <= (args.dtype === 'float16' ? 1e-2 : OUTPUT_TOLERANCE))) throw new Error(`reloaded trace: outputs differ from conv(activations, weights) + bias by ${mismatch} (relative)`);
  const { header, rows } = factsRows(r.facts);
  const raw = readFaceApiWeights(FACE_RECOGNITION_MODEL);
  const rawRows = convSpecs().map((c) => {
    const t = raw.byName.get(`${c.prefix}/conv/filters`)!;
    const f = tensorStats(c.layer, 'weights', { shape: t.shape, data: t.data, dtype: 'float32' });
    return [c.layer, t.stored, Number(f.min.toPrecision(3)), Number(f.max.toPrecision(3)), `${(100 * f.zeroFraction).toFixed(1)}%`];
  });
  process.stdout.write(
    `face-api ${FACE_RECOGNITION_MODEL}: ${raw.tensors.length} tensors, ${raw.parameters} values, ${raw.totalBytes} bytes\n\n` +
      `Per layer (weights with batch norm folded; activations = conv inputs; out <= 0 = zeroed by a following ReLU):\n` +
      `${textTable(header, rows)}\n\n` +
      `Raw filters as stored by face-api (HWIO, before folding):\n` +
      `${textTable(['layer', 'stored', 'min', 'max', 'zeros'], rawRows)}\n\n` +
      `${r.faces.length} faces from ${new Set(r.faces.map((f) => f.image)).size} photos\n` +
      `descriptors vs face-api computeFaceDescriptor: max |diff| ${r.maxDescriptorDiff}\n` +
      `outputs vs conv(activations, weights) + bias: ${r.maxOutputMismatch.toExponential(1)} relative (in memory), ` +
      `${mismatch.toExponential(1)} after reloading the ${args.dtype} trace\n` +
      `wrote ${displayPath(r.dir)}: ${(r.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s\n\n`,
  );
}

async function cnn(network: string): Promise<void> {
  const { generateCnnTrace } = await import('../traces/real/cnn-trace.ts');
  const t0 = performance.now();
  const r = await generateCnnTrace(network, {
    ...(args.images !== undefined ? { images: args.images } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    dtype: args.dtype,
    log: (line) => process.stderr.write(`${network}: ${line}\n`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const mismatch = reloadMismatch(r.dir, network);
  if (!(mismatch <= (args.dtype === 'float16' ? 1e-2 : OUTPUT_TOLERANCE))) throw new Error(`reloaded trace: outputs differ from conv(activations, weights) + bias by ${mismatch} (relative)`);
  const { header, rows } = factsRows(r.facts);
  process.stdout.write(
    `${network} (nsfwjs): per layer (weights with batch norm folded; activations = layer inputs; out <= 0 = zeroed by a following ReLU):\n` +
      `${textTable(header, rows)}\n\n` +
      `${r.images.map((i) => `${i.image}: ${i.scores.map((s) => s.toFixed(4)).join(' ')}`).join('\n')}\n` +
      `class scores vs nsfwjs classify(): max |diff| ${r.maxScoreDiff.toExponential(1)}\n` +
      `outputs vs conv(activations, weights) + bias: ${r.maxOutputMismatch.toExponential(1)} relative (in memory), ${mismatch.toExponential(1)} after reloading the ${args.dtype} trace\n` +
      `wrote ${displayPath(r.dir)}: ${(r.bytes / 1e6).toFixed(1)} MB (${(r.bytes / 1e6 / r.images.length).toFixed(1)} MB per image) in ${seconds.toFixed(1)} s\n\n`,
  );
}

/** Fit quality per layer and DNA-TEQ's start tensor, for a trace already recorded. */
function fitStats(network: string): void {
  const net = loadNetwork(network);
  const trace = loadTrace(args.out ?? realTraceDir(network), net);
  const stats = traceStats(trace);
  const q = SCHEMES['dnateq']!.quantize!(trace, { arch: loadArch('dnateq').config, network: net }, seedrandom('quantsim:1'));
  const starts = new Map(q.layers.map((l) => [l.layer, String(l.params['startsWith'])]));
  const { header, rows } = fitRows(stats, starts);
  const fromWeights = [...starts.values()].filter((v) => v === 'weights').length;
  process.stdout.write(
    `${network}: RSS of the fits of |x| (64 bins), per layer; DNA-TEQ starts from the weights in ${fromWeights} of ${starts.size} layers\n` +
      `${textTable(header, rows)}\nbest fit, layers: ${JSON.stringify(bestFitCounts(stats))}\n\n`,
  );
}

try {
  if (args.stats) {
    for (const m of args.model ?? NSFWJS_MODELS.map((x) => x.network)) fitStats(m);
  } else if (args.configs) {
    for (const m of NSFWJS_MODELS) {
      const file = join(CONFIG_DIR, 'networks', `${m.network}.json`);
      writeFileSync(file, formatNetwork(cnnNetworkSpec(m.network)));
      process.stdout.write(`wrote ${displayPath(file)}\n`);
    }
  } else {
    const models = args.model ?? MODELS;
    for (const m of models) if (!MODELS.includes(m)) die(`--model: unknown model "${m}" (known: ${MODELS.join(', ')})`);
    if (args.out !== undefined && models.length !== 1) die('--out needs exactly one --model');
    for (const m of models) await (m === FACE_RECOGNITION_NETWORK ? faceRecognition() : cnn(m));
  }
} catch (e) {
  if (!isUserError(e)) throw e;
  process.stderr.write(`real-traces: ${e.message}\n`);
  process.exit(2);
}
