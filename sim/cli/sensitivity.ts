import type { Argv } from 'yargs';
import type { SensitivityResult } from '../sensitivity.ts';
import { costsOption, seedOption, traceOption } from './common.ts';
import { MODES, type Mode } from '../scheme.ts';

async function sensitivityHtml(s: SensitivityResult): Promise<string> {
  const [{ htmlPage, htmlTable }, { renderSvg, tornadoSpec }, { fmt }] = await Promise.all([import('../html-report.ts'), import('../plots.ts'), import('../report.ts')]);
  const f = fmt(s.factor);
  const ref = s.ratio ?? s.energyPj;
  const what = s.baseline ? `energy ratio vs ${s.baseline}` : 'total energy';
  const bars = s.rows.flatMap((r) => {
    const [down, up] = r.ratio ? [r.ratio.down, r.ratio.up] : [r.energyPj.down, r.energyPj.up];
    return [
      { class: r.class, side: `÷${f}`, change: down / ref - 1 },
      { class: r.class, side: `×${f}`, change: up / ref - 1 },
    ];
  });
  const table = htmlTable(
    ['class', 'share %', `energy ÷${f} µJ`, `energy ×${f} µJ`, ...(s.baseline ? [`ratio ÷${f}`, `ratio ×${f}`] : []), 'swing %'],
    s.rows.map((r) => [r.class, 100 * r.share, r.energyPj.down / 1e6, r.energyPj.up / 1e6, ...(r.ratio ? [r.ratio.down, r.ratio.up] : []), 100 * r.swing]),
  );
  return htmlPage(`Cost sensitivity: ${s.arch}${s.baseline ? ` vs ${s.baseline}` : ''} on ${s.network}`, `each cost class's energy ÷${f} and ×${f}; mode ${s.mode}, seed ${s.seed}, DRAM ${s.dramTechnology}; ${fmt(100 * s.estimateShare)}% of energy rests on estimates`, [
    { heading: 'Tornado', html: await renderSvg(tornadoSpec(bars, what)), note: `relative change of the ${what}, classes ranked by the larger side` },
    { heading: 'Classes', html: table },
  ]);
}

export const sensitivityCommand = {
  command: 'sensitivity',
  describe: 'Rerun with each cost class scaled ÷/× a factor and rank the classes by how much they move the totals (or the ratio to a baseline)',
  builder: (y: Argv) =>
    y
      .option('arch', { type: 'string', demandOption: true, describe: 'Arch config: a name under configs/arch/ or a JSON file' })
      .option('network', { type: 'string', demandOption: true, describe: 'Network: a name under configs/networks/ or a file' })
      .option('baseline', { type: 'string', describe: 'Arch config the energy ratio is taken against (ranks classes by how they move that ratio)' })
      .option('factor', { type: 'number', default: 2, describe: 'Each class energy is divided and multiplied by this (> 1)' })
      .option('costs', { type: 'string', describe: 'Cost table JSON to use instead of the one the arch config names' })
      .option('trace', { type: 'string', describe: 'Trace folder, or "synth" for a seeded synthetic one' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random draw' })
      .option('mode', { choices: MODES, default: 'arch' as Mode, describe: 'Fidelity: opcount, arch, reference' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'table or json' })
      .option('html', { type: 'string', describe: 'Also write an HTML report with the tornado as SVG to this file' })
      .option('out', { type: 'string', describe: 'Write the output to this file (atomically) instead of stdout' }),
  handler: async (a: { arch: string; network: string; baseline?: string; factor: number; costs?: string; trace?: string; seed: number; mode: Mode; format: 'table' | 'json'; html?: string; out?: string }) => {
    const [{ loadArch }, { loadNetwork }, { emit, writeFileAtomic }, { sensitivity, formatSensitivityTable }] = await Promise.all([
      import('../arch.ts'),
      import('../workload.ts'),
      import('../output.ts'),
      import('../sensitivity.ts'),
    ]);
    const network = loadNetwork(a.network);
    const seed = seedOption(a.seed);
    const trace = await traceOption(a.trace, network, seed);
    const costs = await costsOption(a.costs);
    const s = sensitivity(loadArch(a.arch), network, {
      mode: a.mode,
      seed,
      factor: a.factor,
      ...(costs ? { costs } : {}),
      ...(trace ? { trace } : {}),
      ...(a.baseline ? { baseline: loadArch(a.baseline) } : {}),
    });
    if (a.html) writeFileAtomic(a.html, await sensitivityHtml(s));
    emit(a.format === 'json' ? `${JSON.stringify(s, null, 2)}\n` : formatSensitivityTable(s), a.out);
  },
};
