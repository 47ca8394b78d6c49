import type { Argv } from 'yargs';
import { batchOption, withSimOptions, withSchemeParameters, applySchemeParameters, costsOption, seedOption, traceOption, type Format } from './common.ts';
import type { Mode } from '../scheme.ts';

export const runCommand = {
  command: 'run',
  describe: 'Simulate one architecture on one network and print its report',
  builder: (y: Argv) =>
    withSchemeParameters(withSimOptions(
      y
        .option('arch', { type: 'string', demandOption: true, describe: 'Arch config: a name under configs/arch/ (eyeriss-int8) or a JSON file' })
        .option('network', { type: 'string', demandOption: true, describe: 'Network: a name under configs/networks/ (alexnet, transformer-base@256) or a file: .json, SCALE-Sim .csv, Timeloop .yaml' })
        .option('layer', { type: 'string', array: true, describe: 'Only these layers (repeatable)' })
        .option('detail', { type: 'boolean', default: false, describe: 'Table format: also print per layer the accesses and reuse of weights, inputs and outputs at each level, and the mapping as a loop nest' }),
    )),
  handler: async (a: { [flag: string]: unknown; arch: string; network: string; costs?: string; trace?: string; seed: number; mode: Mode; format: Format; out?: string; layer?: string[]; detail?: boolean; batch?: number }) => {
    const [{ loadArch }, { loadNetwork }, { simulate }, { emit }, { formatRunCsv, formatRunTable }] = await Promise.all([
      import('../arch.ts'),
      import('../workload.ts'),
      import('../simulate.ts'),
      import('../output.ts'),
      import('../report.ts'),
    ]);
    const { formatLayerDetail } = await import('../report.ts');
    (await import('../disk-cache.ts')).cacheQuickSteps();
    const network = loadNetwork(a.network);
    const seed = seedOption(a.seed);
    const batch = batchOption(a.batch);
    const trace = await traceOption(a.trace, network, seed, batch ?? 1);
    const arch = await applySchemeParameters(loadArch(a.arch), a, true);
    const report = simulate(arch, network, {
      mode: a.mode,
      seed,
      costs: await costsOption(a.costs),
      ...(trace ? { trace } : {}),
      ...(a.layer ? { layers: a.layer } : {}),
      ...(batch !== undefined ? { batch } : {}),
    });
    const text = a.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : a.format === 'csv' ? formatRunCsv(report) : formatRunTable(report) + (a.detail ? `\n${formatLayerDetail(report)}` : '');
    emit(text, a.out);
  },
};
