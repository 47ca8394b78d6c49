/**
 * `quantsim quantize`: run a scheme's offline quantizer on a float trace and write the quantized
 * trace — a trace folder whose tensors are the integer codes (int8 .npy, same shapes) plus
 * `quantization.json` with the per-layer parameters. Generic over schemes: any registered
 * scheme with a `quantize` member works.
 */
import type { Argv } from 'yargs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Arch } from '../arch.ts';
import { die } from '../errors.ts';
import type { LayerTrace, Trace } from '../trace.ts';
import type { OutputProxy, QuantizedTrace } from '../scheme.ts';
import { canRunEndToEnd, END_TO_END_NETWORKS, type EndToEndCheck } from '../../traces/real/output-check.ts';
import { seedOption, traceOption, withSchemeParameters, applySchemeParameters, SYNTH } from './common.ts';

export const QUANTIZATION_FILE = 'quantization.json';

/** The real network run end to end on the trace's inputs: the float outputs once, then per quantizer. */
async function endToEnd(trace: Trace): Promise<EndToEndCheck> {
  const check = await (await import('../../traces/real/output-check.ts')).endToEndCheck(trace);
  // Each measurement is a forward pass over every input (seconds): say so on a terminal.
  let runs = 0;
  const proxy: OutputProxy = (q) => {
    const err = check.proxy(q);
    if (process.stderr.isTTY) process.stderr.write(`\rend-to-end proxy: ${++runs} bitwidth set(s) run on ${check.inputs} ${check.unit}, last RMS error ${err.toFixed(4)}   `);
    return err;
  };
  return { ...check, proxy };
}

/** The arch config that parameterizes a scheme's quantizer: --arch, else configs/arch/<scheme>.json. */
async function archFor(scheme: string, ref: string | undefined): Promise<Arch> {
  const arch = (await import('../arch.ts')).loadArch(ref ?? scheme);
  if (arch.config.scheme !== scheme) die(`--arch is for scheme "${arch.config.scheme}", not "${scheme}"`, arch.file, '/scheme');
  return arch;
}

/** The codes as a trace (int8 tensors), so the standard writer and loader handle them. */
export function codesAsTrace(q: QuantizedTrace, from: Trace): Trace {
  const layers = new Map<string, LayerTrace>();
  for (const l of q.layers) {
    const t = (role: string) => {
      const c = l.codes[role];
      return c ? { shape: c.shape, data: Float32Array.from(c.data), dtype: 'int8' as const } : undefined;
    };
    const weights = t('weights');
    const activations = t('activations');
    layers.set(l.layer, { layer: l.layer, ...(weights ? { weights } : {}), ...(activations ? { activations } : {}) });
  }
  return { network: q.network, source: from.source, generator: `${q.scheme} codes of: ${from.generator}`, ...(from.seed !== undefined ? { seed: from.seed } : {}), layers };
}

export const quantizeCommand = {
  command: 'quantize',
  describe: "Run a scheme's offline quantizer on a trace: write codes + per-layer parameters, or print them",
  builder: (y: Argv) =>
    withSchemeParameters(y)
      .option('scheme', { type: 'string', demandOption: true, describe: 'Scheme whose quantizer to run (a key of the registry, e.g. dnateq)' })
      .option('trace', { type: 'string', demandOption: true, describe: 'Trace folder, or "synth" (needs --network) for a seeded synthetic one' })
      .option('network', { type: 'string', describe: "Network: a name under configs/networks/ or a JSON file (default: the trace's network)" })
      .option('arch', { type: 'string', describe: "Arch config holding the quantizer's parameters (default configs/arch/<scheme>.json)" })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random draw (same inputs + seed = identical output)' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Printed summary: table (per layer) or json (all parameters)' })
      .option('out', { type: 'string', describe: 'Write the quantized trace (int8 codes .npy + manifest.json + quantization.json) to this folder (new, empty or quantsim-made; never the input trace)' })
      .option('force', { type: 'boolean', default: false, describe: "Write into a folder holding other files (quantsim's files are added; nothing else is touched)" })
      .option('proxy', {
        choices: ['auto', 'layers', 'end-to-end'] as const,
        default: 'auto' as const,
        describe: "Accuracy proxy of the search: per-layer sampled output errors, or the network's output run end to end with the quantizers (real face-recognition and nsfwjs CNN traces); auto = end-to-end where possible",
      }),
  handler: async (a: { [flag: string]: unknown; scheme: string; trace: string; network?: string; arch?: string; seed: number; format: 'table' | 'json'; out?: string; force?: boolean; proxy: 'auto' | 'layers' | 'end-to-end' }) => {
    const [{ default: seedrandom }, { loadNetwork }, { emit }, { textTable }, { readJsonFile }, { SCHEMES }, { loadTrace, writeTrace, MANIFEST }] = await Promise.all([
      import('seedrandom'),
      import('../workload.ts'),
      import('../output.ts'),
      import('../report.ts'),
      import('../config.ts'),
      import('../../models/registry.ts'),
      import('../../traces/format.ts'),
    ]);
    const scheme = SCHEMES[a.scheme] ?? die(`--scheme: unknown scheme "${a.scheme}" (known: ${Object.keys(SCHEMES).sort().join(', ')})`);
    if (!scheme.quantize) die(`--scheme: scheme "${a.scheme}" has no offline quantizer`);
    const seed = seedOption(a.seed);
    let networkRef = a.network;
    if (networkRef === undefined) {
      if (a.trace === SYNTH) die('--trace synth needs --network');
      // The trace names its network; a missing folder or manifest gets the loader's error.
      if (!existsSync(join(a.trace, MANIFEST))) loadTrace(a.trace);
      networkRef = String((readJsonFile(join(a.trace, MANIFEST)) as { network?: unknown }).network);
    }
    const network = loadNetwork(networkRef);
    const trace = (await traceOption(a.trace, network, seed))!;
    const arch = await applySchemeParameters(await archFor(a.scheme, a.arch), a, true);
    // Refuse an output over the input (or over others' files) before the search runs.
    const { checkOutputFolder } = await import('../output-folder.ts');
    if (a.out !== undefined) checkOutputFolder(a.out, { force: a.force === true, ...(trace.dir ? { inputs: [trace.dir] } : {}) });
    const runnable = canRunEndToEnd(trace) && network.name === trace.network;
    if (a.proxy === 'end-to-end' && !runnable) die(`--proxy end-to-end needs a real trace of network ${END_TO_END_NETWORKS.map((n) => `"${n}"`).join(', ')} (npm run traces:real)`);
    // The forward pass (tfjs) is loaded only when it runs.
    const e2e = runnable && a.proxy !== 'layers' ? await endToEnd(trace) : undefined;
    const q = scheme.quantize(trace, { arch: arch.config, network, ...(e2e ? { outputProxy: e2e.proxy } : {}) }, seedrandom(`quantsim:${seed}`));
    if (e2e && process.stderr.isTTY) process.stderr.write('\n');
    const check = runnable && q.tensorQuantizer ? (e2e ?? (await endToEnd(trace))) : undefined;
    const agreement = check && q.tensorQuantizer ? check.agreement(q.tensorQuantizer) : undefined;
    const params = {
      scheme: q.scheme,
      network: q.network,
      trace: { source: q.source, generator: q.generator },
      arch: arch.file,
      seed,
      ...q.params,
      ...(agreement ? { endToEnd: agreement } : {}),
      layers: Object.fromEntries(q.layers.map((l) => [l.layer, l.params])),
    };
    if (a.out !== undefined) {
      writeTrace(a.out, { ...codesAsTrace(q, trace), ...(trace.dir ? { dir: trace.dir } : {}) }, {
        dtype: 'int8',
        description: `${q.scheme} codes; parameters in ${QUANTIZATION_FILE}`,
        force: a.force === true,
        extra: { [QUANTIZATION_FILE]: `${JSON.stringify(params, null, 2)}\n` },
      });
    }
    if (a.format === 'json') emit(`${JSON.stringify(params, null, 2)}\n`);
    else {
      const head = `${q.scheme} on ${q.network} — trace ${q.source} (${q.generator}), seed ${seed}; ${Object.entries(q.params)
        .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean')
        .map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`)
        .join(', ')}`;
      const e = check && agreement ? `\nend to end on ${check.inputs} ${check.unit}: ${check.describe(agreement)}\n` : '';
      emit(`${head}\n\n${textTable(q.table.header, q.table.rows)}\n${e}`);
    }
  },
};
