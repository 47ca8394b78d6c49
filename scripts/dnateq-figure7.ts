/**
 * DNA-TEQ per-operation energy at n = 3…7 against one INT8 MAC (the paper's Figure 7
 * comparison): prints the table and writes a vega-lite plot to out/dnateq-figure7.svg.
 * Run: npx tsx scripts/dnateq-figure7.ts [--dot-length K] [--reuse R] [--beta-a-zero]
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { join } from 'node:path';
import { ROOT } from '../sim/config.ts';
import { writeFileAtomic } from '../sim/output.ts';
import { textTable } from '../sim/report.ts';
import { opEnergyByBits } from '../models/dnateq/validation.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const dotLength = arg('--dot-length') ?? 1152;
const reuse = arg('--reuse') ?? 64;
const offsetTerms = !process.argv.includes('--beta-a-zero');
const rows = opEnergyByBits(undefined, { dotLength, activationReuse: reuse, offsetTerms });

const f = (x: number) => Number(x.toPrecision(3));
process.stdout.write(
  `DNA-TEQ energy per operation (pJ), dot length ${dotLength}, activation reuse ${reuse}, ${offsetTerms ? 'four terms online' : 'β_a = 0 (terms 3, 4 offline)'}, leakage excluded\n\n` +
    `${textTable(
      ['n', 'quantize', 'count', 'post-process', 'total', 'INT8 MAC', '× MAC', 'INT8 PE op', '× PE op'],
      rows.map((r) => [r.bits, f(r.quantizePj), f(r.countPj), f(r.postprocessPj), f(r.totalPj), f(r.int8MacPj), f(r.ratioToInt8), f(r.int8PeOpPj), f(r.ratioToInt8Pe)]),
    )}\n`,
);

const values = rows.flatMap((r) => [
  { n: `${r.bits}-bit`, stage: '1 quantize', pJ: r.quantizePj },
  { n: `${r.bits}-bit`, stage: '2 count', pJ: r.countPj },
  { n: `${r.bits}-bit`, stage: '3 post-process', pJ: r.postprocessPj },
]);
const spec: vl.TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: { text: 'DNA-TEQ energy per operation vs INT8', subtitle: `32nm cost table; K = ${dotLength}, reuse ${reuse}; lines: INT8 MAC, INT8 MAC + PE scratchpads` },
  width: 360,
  height: 240,
  layer: [
    {
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'n', type: 'ordinal', title: 'DNA-TEQ bitwidth' },
        y: { field: 'pJ', type: 'quantitative', aggregate: 'sum', title: 'energy per operation (pJ)' },
        color: { field: 'stage', type: 'nominal', title: 'stage' },
      },
    },
    {
      data: { values: [{ label: 'INT8 MAC', pJ: rows[0]!.int8MacPj }, { label: 'INT8 MAC + spads', pJ: rows[0]!.int8PeOpPj }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
      encoding: { y: { field: 'pJ', type: 'quantitative' } },
    },
    {
      data: { values: [{ label: 'INT8 MAC', pJ: rows[0]!.int8MacPj }, { label: 'INT8 MAC + spads', pJ: rows[0]!.int8PeOpPj }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, x: 0 },
      encoding: { y: { field: 'pJ', type: 'quantitative' }, text: { field: 'label' } },
    },
  ],
};
const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
const out = join(ROOT, 'out', offsetTerms ? 'dnateq-figure7.svg' : 'dnateq-figure7-beta-a-zero.svg');
writeFileAtomic(out, svg);
process.stdout.write(`\nwrote ${out}\n`);
