/**
 * DNA-TEQ per-operation energy at n = 3…7 against INT8 (the paper's Figure 7): first the
 * comparison Figure 7 makes — one counting step vs one INT8 product + accumulation — then the
 * per-pair cost of a layer with quantization and post-processing vs an INT8 MAC with the same
 * operand reads; each ratio with its range when every estimated cost entry moves ×/÷2. Writes a
 * vega-lite plot of the second to out/dnateq-figure7.svg.
 * Run: npx tsx scripts/dnateq-figure7.ts [--dot-length K] [--reuse R] [--online]
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { join } from 'node:path';
import { ROOT } from '../sim/config.ts';
import { writeFileAtomic } from '../sim/output.ts';
import { textTable } from '../sim/report.ts';
import { countingStepByBits, opEnergyByBits } from '../models/dnateq/figure7.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const dotLength = arg('--dot-length') ?? 1152;
const reuse = arg('--reuse') ?? 64;
const offsetTerms = process.argv.includes('--online');
const rows = opEnergyByBits(undefined, { dotLength, activationReuse: reuse, offsetTerms });

const f = (x: number) => Number(x.toPrecision(3));
const steps = countingStepByBits(undefined, offsetTerms);
process.stdout.write(
  `One counting step vs one INT8 product + accumulation (Figure 7's comparison), terms 2 and 4 ${offsetTerms ? 'online' : 'offline'}, leakage excluded\n\n` +
    `${textTable(['n', 'counting step pJ', 'INT8 MAC pJ', '× MAC', 'range (estimates ×/÷2)'], steps.map((r) => [r.bits, f(r.countingStepPj), f(r.int8MacPj), f(r.ratio), `${f(r.ratioLow)}–${f(r.ratioHigh)}`]))}\n` +
    `estimated entries: ${steps[0]!.estimated.join(', ')}\n\n` +
    `Per pair in a layer (quantize + count + post-process), dot length ${dotLength}, activation reuse ${reuse}, terms 2 and 4 ${offsetTerms ? 'online' : 'offline'}\n\n` +
    `${textTable(
      ['n', 'quantize', 'count', 'post-process', 'total', 'INT8 MAC', '× MAC', 'INT8 op', '× op', 'range'],
      rows.map((r) => [r.bits, f(r.quantizePj), f(r.countPj), f(r.postprocessPj), f(r.totalPj), f(r.int8MacPj), f(r.ratioToInt8), f(r.int8OpPj), f(r.ratioToInt8Op), `${f(r.ratioToInt8OpLow)}–${f(r.ratioToInt8OpHigh)}`]),
    )}\n`,
);

const values = rows.flatMap((r) => [
  { n: `${r.bits}-bit`, stage: '1 quantize', pJ: r.quantizePj },
  { n: `${r.bits}-bit`, stage: '2 count', pJ: r.countPj },
  { n: `${r.bits}-bit`, stage: '3 post-process', pJ: r.postprocessPj },
]);
const spec: vl.TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: { text: 'DNA-TEQ energy per operation vs INT8', subtitle: `32nm cost table; K = ${dotLength}, reuse ${reuse}; lines: INT8 MAC, INT8 MAC + operand reads` },
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
      data: { values: [{ label: 'INT8 MAC', pJ: rows[0]!.int8MacPj }, { label: 'INT8 MAC + operand reads', pJ: rows[0]!.int8OpPj }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: 'black' },
      encoding: { y: { field: 'pJ', type: 'quantitative' } },
    },
    {
      data: { values: [{ label: 'INT8 MAC', pJ: rows[0]!.int8MacPj }, { label: 'INT8 MAC + operand reads', pJ: rows[0]!.int8OpPj }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, x: 0 },
      encoding: { y: { field: 'pJ', type: 'quantitative' }, text: { field: 'label' } },
    },
  ],
};
const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
const out = join(ROOT, 'out', offsetTerms ? 'dnateq-figure7-online.svg' : 'dnateq-figure7.svg');
writeFileAtomic(out, svg);
process.stdout.write(`\nwrote ${out}\n`);
