import type { Argv } from 'yargs';
import { basename } from 'node:path';
import { writeOutputFile } from '../output.ts';
import { noteInput } from '../inputs.ts';
import { displayPath } from '../paths.ts';
import { die } from '../errors.ts';

export const reportCommand = {
  command: 'report <results>',
  describe: 'Write one self-contained HTML report (tables + SVG plots) of a results file',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results JSONL of a sweep' })
      .option('out', { type: 'string', default: 'out/report.html', describe: 'HTML file to write (atomically)' })
      .option('x', { type: 'string', default: 'energyPj', describe: 'Metric on the x axis of the scatter and first Pareto objective' })
      .option('y', { type: 'string', default: 'cycles', describe: 'Metric on the y axis and second Pareto objective' })
      .option('title', { type: 'string', describe: 'Report title (default: the results file name)' })
      .option('color-by', { type: 'string', describe: 'Axis name (or arch) that colours the scatter (default: the first axis that varies)' }),
  handler: async (a: { results: string; out: string; x: string; y: string; title?: string; colorBy?: string }) => {
    const { readResults } = await import('../jsonl.ts');
    noteInput(a.results);
    const { lines } = readResults(a.results);
    if (lines.length === 0) die('no result lines', displayPath(a.results));
    // Loaded here: vega is the largest import and only this command needs it.
    const { sweepReportHtml } = await import('../html-report.ts');
    writeOutputFile(a.out, await sweepReportHtml(lines, { x: a.x, y: a.y, title: a.title ?? `quantsim sweep: ${basename(a.results, '.jsonl')}`, ...(a.colorBy ? { colorBy: a.colorBy } : {}) }));
    process.stderr.write(`report: ${lines.length} points → ${displayPath(a.out)}\n`);
  },
};
