/**
 * `npm run traces:real [-- --images N --out DIR --dtype float16]`: the full real-trace run and
 * check. Records face-api's face-recognition network on every face in the six sample photos,
 * verifies each descriptor against face-api's own and the stored outputs against a direct
 * convolution of the stored tensors, writes the trace folder, reloads it through loadTrace
 * (checked against configs/networks/face-recognition.json), and prints the data facts: per-layer
 * activation sparsity and weight ranges, of the folded weights and of the raw filters.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { displayPath } from '../sim/config.ts';
import { isUserError } from '../sim/errors.ts';
import { textTable } from '../sim/report.ts';
import { loadNetwork } from '../sim/workload.ts';
import { loadTrace } from '../traces/format.ts';
import { readFaceApiWeights } from '../traces/real/face-api-weights.ts';
import { convSpecs, FACE_RECOGNITION_MODEL } from '../traces/real/face-recognition-net.ts';
import { FACE_RECOGNITION_NETWORK, generateFaceRecognitionTrace, OUTPUT_TOLERANCE, traceBiases } from '../traces/real/face-recognition-trace.ts';
import { outputMismatch } from '../traces/real/check.ts';
import { factsRows } from '../traces/real/stats.ts';
import { tensorStats } from '../traces/stats.ts';

const args = await yargs(hideBin(process.argv))
  .option('images', { type: 'number', describe: 'First N sample photos (default all 6)' })
  .option('out', { type: 'string', describe: 'Trace folder (default .cache/traces/face-recognition)' })
  .option('dtype', { choices: ['float32', 'float16'] as const, default: 'float32' as const })
  .strict()
  .parseAsync();

try {
  const t0 = performance.now();
  const r = await generateFaceRecognitionTrace({
    ...(args.images !== undefined ? { images: args.images } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    dtype: args.dtype,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const seconds = (performance.now() - t0) / 1000;

  // Round trip through the trace format, checked against the network config.
  const network = loadNetwork(FACE_RECOGNITION_NETWORK);
  const loaded = loadTrace(r.dir, network);
  const biases = traceBiases(loaded);
  let reloadMismatch = 0;
  for (const lt of loaded.layers.values()) {
    reloadMismatch = Math.max(reloadMismatch, outputMismatch(lt, network.layers.find((l) => l.name === lt.layer)!, biases.get(lt.layer), 64, 2));
  }
  const tolerance = args.dtype === 'float16' ? 1e-2 : OUTPUT_TOLERANCE;
  if (!(reloadMismatch <= tolerance)) throw new Error(`reloaded trace: outputs differ from conv(activations, weights) + bias by ${reloadMismatch} (relative)`);

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
      `${reloadMismatch.toExponential(1)} after reloading the ${args.dtype} trace\n` +
      `wrote ${displayPath(r.dir)}: ${(r.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s\n`,
  );
} catch (e) {
  if (!isUserError(e)) throw e;
  process.stderr.write(`real-traces: ${e.message}\n`);
  process.exit(2);
}
