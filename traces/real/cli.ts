/**
 * `quantsim trace real --model face-recognition [--images N] [--max-faces N] [--out DIR]
 * [--dtype float32|float16]`: record a real trace from a pretrained network shipped on npm.
 * A yargs command module; register it under the `trace` command with `.command(realTraceCommand)`.
 */
import type { Argv } from 'yargs';
import { displayPath } from '../../sim/paths.ts';
import { textTable } from '../../sim/report.ts';
import { DEFAULT_TRACE_DIR, FACE_RECOGNITION_NETWORK } from './defaults.ts';
import { factsRows } from './stats.ts';

export const REAL_MODELS = [FACE_RECOGNITION_NETWORK] as const;

interface RealArgs {
  model: string;
  images?: number;
  maxFaces?: number;
  out?: string;
  dtype: 'float32' | 'float16';
  force: boolean;
}

export const realTraceCommand = {
  command: 'real',
  describe: "Record a real trace (pretrained weights, activations on real images) from a network shipped on npm: face-api's face-recognition ResNet on its sample photos",
  builder: (y: Argv) =>
    y
      .option('model', { choices: REAL_MODELS, default: FACE_RECOGNITION_NETWORK, describe: 'Network to trace (configs/networks/NAME.json)' })
      .option('images', { type: 'number', describe: 'Use the first N of the 6 sample photos (default all: 22 faces)' })
      .option('max-faces', { type: 'number', describe: 'Stop after N faces (the batch size of the trace)' })
      .option('out', { type: 'string', describe: `Trace folder to write (default ${displayPath(DEFAULT_TRACE_DIR)}, git-ignored)` })
      .option('dtype', { choices: ['float32', 'float16'] as const, default: 'float32' as const, describe: 'Stored dtype of the .npy tensors (float16 halves the size)' })
      .option('force', { type: 'boolean', default: false, describe: "Write into a folder holding other files (quantsim's files are added; nothing else is touched)" }),
  handler: async (a: RealArgs) => {
    // Loaded here, not at the top: tfjs and face-api take a second to import and only this needs them.
    const { generateFaceRecognitionTrace } = await import('./face-recognition-trace.ts');
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const r = await generateFaceRecognitionTrace({
      ...(a.images !== undefined ? { images: a.images } : {}),
      ...(a.maxFaces !== undefined ? { maxFaces: a.maxFaces } : {}),
      ...(a.out !== undefined ? { out: a.out } : {}),
      dtype: a.dtype,
      force: a.force,
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
