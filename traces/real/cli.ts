/**
 * `quantsim trace real --model face-recognition|mobilenet-v2|mobilenet-v2-mid|inception-v3
 * [--images N] [--max-faces N] [--out DIR] [--dtype float32|float16]`: record a real trace from a
 * pretrained network shipped on npm (face-api's face recognition, nsfwjs' three classifiers).
 * A yargs command module; register it under the `trace` command with `.command(realTraceCommand)`.
 */
import type { Argv } from 'yargs';
import { displayPath } from '../../sim/paths.ts';
import { textTable } from '../../sim/report.ts';
import { DEFAULT_TRACE_DIR, FACE_RECOGNITION_NETWORK, NSFWJS_NETWORKS } from './defaults.ts';
import { die } from '../../sim/errors.ts';
import { factsRows } from './stats.ts';

export const REAL_MODELS: readonly string[] = [FACE_RECOGNITION_NETWORK, ...NSFWJS_NETWORKS];

interface RealArgs {
  model: string;
  images?: number;
  maxFaces?: number;
  out?: string;
  dtype: 'float32' | 'float16';
  force?: boolean;
}

export const realTraceCommand = {
  command: 'real',
  describe: "Record a real trace (pretrained weights, activations on real images) from a network shipped on npm: face-api's face-recognition ResNet on its sample faces, nsfwjs' MobileNetV2 / mid MobileNetV2 / InceptionV3 on the sample photos",
  builder: (y: Argv) =>
    y
      .option('model', { type: 'string', default: FACE_RECOGNITION_NETWORK, describe: `Network to trace (configs/networks/NAME.json): ${REAL_MODELS.join(', ')}` })
      .option('images', { type: 'number', describe: 'Use the first N of the 6 sample photos (default all; face-recognition: 22 faces)' })
      .option('max-faces', { type: 'number', describe: 'face-recognition: stop after N faces (the batch size of the trace)' })
      .option('out', { type: 'string', describe: `Trace folder to write (default ${displayPath(DEFAULT_TRACE_DIR).replace(FACE_RECOGNITION_NETWORK, 'MODEL')}, git-ignored)` })
      .option('dtype', { choices: ['float32', 'float16'] as const, default: 'float32' as const, describe: 'Stored dtype of the .npy tensors (float16 halves the size)' })
      .option('force', { type: 'boolean', default: false, describe: 'Write into a folder that holds other files (only quantsim\'s files are added or replaced)' }),
  handler: async (a: RealArgs) => {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    if (!REAL_MODELS.includes(a.model)) die(`--model: unknown model "${a.model}" (known: ${REAL_MODELS.join(', ')})`);
    if (a.model !== FACE_RECOGNITION_NETWORK) {
      if (a.maxFaces !== undefined) die(`--max-faces applies to --model ${FACE_RECOGNITION_NETWORK} only`);
      // Loaded here: tfjs and nsfwjs take a second to import and only this needs them.
      const { generateCnnTrace } = await import('./cnn-trace.ts');
      const r = await generateCnnTrace(a.model, { ...(a.images !== undefined ? { images: a.images } : {}), ...(a.out !== undefined ? { out: a.out } : {}), dtype: a.dtype, ...(a.force ? { force: true } : {}), log });
      const { header, rows } = factsRows(r.facts);
      process.stdout.write(
        `${textTable(header, rows)}\n\n` +
          `${r.images.length} photos; class scores equal nsfwjs classify() (max |diff| ${r.maxScoreDiff.toExponential(1)}); ` +
          `outputs recomputed from the stored tensors agree to ${r.maxOutputMismatch.toExponential(1)} (relative)\n` +
          `wrote ${displayPath(r.dir)} (${(r.bytes / 1e6).toFixed(1)} MB)\n`,
      );
      return;
    }
    // Loaded here, not at the top: tfjs and face-api take a second to import and only this needs them.
    const { generateFaceRecognitionTrace } = await import('./face-recognition-trace.ts');
    const r = await generateFaceRecognitionTrace({
      ...(a.images !== undefined ? { images: a.images } : {}),
      ...(a.maxFaces !== undefined ? { maxFaces: a.maxFaces } : {}),
      ...(a.out !== undefined ? { out: a.out } : {}),
      dtype: a.dtype,
      ...(a.force ? { force: true } : {}),
      log,
    });
    const { header, rows } = factsRows(r.facts);
    process.stdout.write(
      `${textTable(header, rows)}\n\n` +
        `${r.faces.length} faces; descriptors equal face-api's (max |diff| ${r.maxDescriptorDiff}); ` +
        `outputs recomputed from the stored tensors agree to ${r.maxOutputMismatch.toExponential(1)} (relative)\n` +
        `wrote ${displayPath(r.dir)} (${(r.bytes / 1e6).toFixed(1)} MB)\n`,
    );
  },
};
