import type { Argv } from 'yargs';
import { emit, writeOutputFile } from '../output.ts';
import { noteInput } from '../inputs.ts';
import { textTable } from '../report.ts';
import { displayPath } from '../paths.ts';
import { engineeringUnit, metricTitle } from '../engineering.ts';
import { die } from '../errors.ts';

export const paretoCommand = {
  command: 'pareto <results>',
  describe: 'Print and write the Pareto front of a results file (objectives minimized; max:NAME maximizes)',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results JSONL of a sweep' })
      .option('x', { type: 'string', default: 'energyPj', describe: 'First objective: a total (energyPj, cycles, areaUm2, timeUs, …), an axis name, or a dotted path (energyByPartPj.dram)' })
      .option('y', { type: 'string', default: 'cycles', describe: 'Second objective' })
      .option('z', { type: 'string', describe: 'Third objective (optional)' })
      .option('out', { type: 'string', describe: 'Front as JSONL (default <results>.pareto.jsonl)' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Printed format' }),
  handler: async (a: { results: string; x: string; y: string; z?: string; out?: string; format: 'table' | 'json' }) => {
    const [{ readResults }, { metric, parseObjective, pareto }] = await Promise.all([import('../jsonl.ts'), import('../pareto.ts')]);
    noteInput(a.results);
    const { lines } = readResults(a.results);
    if (lines.length === 0) die('no result lines', displayPath(a.results));
    const objectives = [a.x, a.y, ...(a.z ? [a.z] : [])].map(parseObjective);
    for (const o of objectives) if (!lines.some((l) => metric(l, o.name) !== undefined)) die(`no line has a number "${o.name}"`, displayPath(a.results));
    const front = pareto(lines, objectives);
    const out = a.out ?? a.results.replace(/\.jsonl$/, '') + '.pareto.jsonl';
    writeOutputFile(out, front.map((l) => `${JSON.stringify(l)}\n`).join(''));
    if (a.format === 'json') {
      emit(`${JSON.stringify({ objectives, points: lines.length, front }, null, 2)}\n`);
      return;
    }
    const axes = Object.keys(front[0]?.values ?? {});
    // Objectives in engineering units (µJ, M cycles, mm²), one unit per column.
    const units = objectives.map((o) => engineeringUnit(o.name, front.map((l) => metric(l, o.name)!)));
    const body = front.map((l) => [l.arch, l.network, ...objectives.map((o, i) => metric(l, o.name)! / units[i]!.factor), ...axes.map((k) => String(l.values[k])), l.key]);
    emit(`Pareto front: ${front.length} of ${lines.length} points (${objectives.map((o) => (o.maximize ? `max ${o.name}` : `min ${o.name}`)).join(', ')}) → ${displayPath(out)}\n\n${textTable(['arch', 'network', ...objectives.map((o, i) => metricTitle(o.name, units[i]!)), ...axes, 'key'], body)}\n`);
  },
};
