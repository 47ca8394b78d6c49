import type { Argv } from 'yargs';
import { displayPath } from '../paths.ts';
import { emit } from '../output.ts';
import { die } from '../errors.ts';
import type { DType } from '../trace.ts';
import { seedOption } from './common.ts';
import { realTraceCommand } from '../../traces/real/cli.ts';

export const synthCommand = {
  command: 'synth',
  describe: 'Write a seeded synthetic trace folder (weights + input activations of every conv/fc layer), labelled synthetic',
  builder: (y: Argv) =>
    y
      .option('network', { type: 'string', demandOption: true, describe: 'Network: a name under configs/networks/ or a JSON file' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed (same seed = byte-identical files)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Trace folder to write: new, empty or written by quantsim before (then replaced atomically)' })
      .option('force', { type: 'boolean', default: false, describe: "Write into a folder holding other files (quantsim's files are added; nothing else is touched)" })
      .option('batch', { type: 'number', describe: 'Inputs N per activation tensor (default: the parameters\' batch, 1)' })
      .option('dtype', { choices: ['float32', 'float16'] as const, default: 'float32' as const, describe: 'Stored dtype of the .npy files (float16 halves them)' })
      .option('params', { type: 'string', describe: 'Generator parameters JSON (schema synthetic-trace; default configs/traces/synthetic.json)' })
      .option('layer', { type: 'string', array: true, describe: 'Only these layers (repeatable)' }),
  handler: async (a: { network: string; seed: number; out: string; force?: boolean; batch?: number; dtype: DType; params?: string; layer?: string[] }) => {
    const [{ loadNetwork }, { writeTrace }, { generateSyntheticTrace, loadSyntheticParameters }] = await Promise.all([
      import('../workload.ts'),
      import('../../traces/format.ts'),
      import('../../traces/synthetic.ts'),
    ]);
    const network = loadNetwork(a.network);
    (await import('../output-folder.ts')).checkOutputFolder(a.out, { force: a.force === true });
    if (a.batch !== undefined && (!Number.isInteger(a.batch) || a.batch < 1)) die(`--batch must be an integer >= 1, got ${a.batch}`);
    const trace = generateSyntheticTrace(network, {
      seed: seedOption(a.seed),
      ...(a.batch !== undefined ? { batch: a.batch } : {}),
      ...(a.params ? { parameters: loadSyntheticParameters(a.params) } : {}),
      ...(a.layer ? { layers: a.layer } : {}),
    });
    const m = writeTrace(a.out, trace, { dtype: a.dtype, force: a.force === true });
    process.stderr.write(`wrote ${displayPath(a.out)}: ${m.layers.length} layers of ${network.name}, synthetic, seed ${trace.seed}, ${a.dtype}\n`);
  },
};

export const statsCommand = {
  command: 'stats <dir>',
  describe: 'Per-layer min/max/mean, zero fraction and distribution-fit quality (RSS of exponential, normal, Laplace, uniform fits of |x|)',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'Trace folder (manifest.json + .npy files)' })
      .option('network', { type: 'string', describe: 'Also check the tensors against this network\'s layers' })
      .option('bins', { type: 'number', default: 64, describe: 'Histogram bins of |x| for the fits' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'table or json' })
      .option('out', { type: 'string', describe: 'Write to this file (atomically) instead of stdout' })
      .option('wide', { type: 'boolean', default: false, describe: 'Print the table in one band, however wide (default: fit 120 columns)' }),
  handler: async (a: { dir: string; network?: string; bins: number; format: 'table' | 'json'; out?: string; wide?: boolean }) => {
    const [{ loadNetwork }, { loadTrace }, { formatStatsTable, traceStats }] = await Promise.all([
      import('../workload.ts'),
      import('../../traces/format.ts'),
      import('../../traces/stats.ts'),
    ]);
    if (!Number.isInteger(a.bins) || a.bins < 1) die(`--bins must be an integer >= 1, got ${a.bins}`);
    const trace = loadTrace(a.dir, a.network ? loadNetwork(a.network) : undefined);
    const rows = traceStats(trace, a.bins);
    if (a.format === 'json') {
      const { layers: _l, dir: _d, ...meta } = trace;
      emit(`${JSON.stringify({ ...meta, dir: displayPath(a.dir), bins: a.bins, layers: rows }, null, 2)}\n`, a.out);
    } else {
      emit(formatStatsTable({ ...trace, dir: displayPath(a.dir) }, rows, a.wide ? { maxWidth: Infinity } : {}), a.out);
    }
  },
};

export const traceCommand = {
  command: 'trace <command>',
  describe: 'Make and inspect trace folders: the tensors data-dependent schemes read',
  builder: (y: Argv) => y.command(synthCommand).command(statsCommand).command(realTraceCommand).demandCommand(1, 'give a trace command: synth, stats or real'),
  handler: () => {},
};
