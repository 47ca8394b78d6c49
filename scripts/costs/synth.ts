/**
 * `npx tsx scripts/costs/synth.ts [--liberty FILE] [--trace DIR] [--ops-per-layer N] [--only a,b] [--dry-run] [--table]`
 *
 * Regenerates the synthesized datapath entries of configs/costs/32nm.json (method
 * "synthesized") and the run record configs/costs/synthesis-run.json: every block of blocks.ts
 * through yosys (mapping onto the Nangate 45nm open cell library) and iverilog (gate-level
 * simulation on operand streams from the real face-recognition trace). Needs yosys, iverilog
 * and the Liberty file; nothing else in quantsim runs them. See docs/synthesis.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadTrace } from '../../traces/format.ts';
import { BLOCKS, type Block } from './blocks.ts';
import { readLiberty } from './liberty.ts';
import { layerStreams, STIMULUS_LAYERS } from './stimulus.ts';
import { runBlock, toolVersions, type BlockResult } from './synth-run.ts';
import { markdownResults } from './results-table.ts';
import { replaceClasses, synthesizedClasses, type RunRecord } from './table-entries.ts';

export const COSTS_FILE = 'configs/costs/32nm.json';
export const RUN_FILE = 'configs/costs/synthesis-run.json';
export const LIBERTY_ORIGIN = 'Nangate Open Cell Library 45nm, typical corner (NangateOpenCellLibrary_typical, 1.1 V, 25 °C), file examples/nangate45_typ.lib.gz of github.com/The-OpenROAD-Project/OpenSTA';
/** Input transition at which internal-power and delay tables are read (an index point of the Nangate tables). */
export const SLEW_NS = 0.0171859;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .option('liberty', { type: 'string', default: '.cache/liberty/nangate45_typ.lib', describe: 'Nangate 45nm typical Liberty file (gunzipped)' })
    .option('trace', { type: 'string', default: '.cache/traces/face-recognition', describe: 'real trace folder (npm run traces:real)' })
    .option('ops-per-layer', { type: 'number', default: 250 })
    .option('only', { type: 'string', describe: 'comma-separated block keys (the table is then not rewritten)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'print results, write nothing' })
    .option('rewrite', { type: 'boolean', default: false, describe: 'rewrite the synthesized classes of the table from the committed run record (no tools needed)' })
    .option('table', { type: 'boolean', default: false, describe: 'only print the docs/synthesis.md results table of the committed run record (no tools needed)' })
    .strict()
    .parseAsync();
  const node45 = (JSON.parse(readFileSync(COSTS_FILE, 'utf8')) as { nodeScaling: Record<string, { energy: number; area: number }> }).nodeScaling['45nm']!;
  if (args.table) {
    process.stdout.write(`${markdownResults(JSON.parse(readFileSync(RUN_FILE, 'utf8')) as RunRecord, node45)}\n`);
    return;
  }
  if (args.rewrite) {
    const rec = JSON.parse(readFileSync(RUN_FILE, 'utf8')) as RunRecord;
    writeFileSync(COSTS_FILE, replaceClasses(readFileSync(COSTS_FILE, 'utf8'), synthesizedClasses(rec)));
    return;
  }
  const liberty = readLiberty(readFileSync(args.liberty, 'utf8'));
  const inv = liberty.cells.get('INV_X1')?.pins.get('A');
  if (!inv) throw new Error('Liberty has no INV_X1/A (the output load reference)');
  const trace = loadTrace(args.trace);
  const layers = layerStreams(trace, args['ops-per-layer']);
  const only = args.only?.split(',');
  const blocks: Block[] = BLOCKS.filter((b) => !only || only.includes(b.key));
  const results: BlockResult[] = [];
  for (const b of blocks) {
    const t0 = performance.now();
    const r = runBlock(b, layers, { libertyFile: args.liberty, liberty, outputLoadFf: inv.capacitanceFf, workDir: '.cache/synth', slewNs: SLEW_NS });
    results.push(r);
    process.stderr.write(`${b.key}: ${r.cells} cells, ${r.areaUm2.toFixed(1)} um^2, ${r.energyPj.toFixed(4)} pJ/op (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const tools = toolVersions();
  const record: RunRecord = {
    tools,
    liberty: LIBERTY_ORIGIN,
    slewNs: SLEW_NS,
    outputLoadFf: inv.capacitanceFf,
    wireLoad: liberty.wireLoad?.name ?? 'none',
    voltageV: liberty.voltageV,
    trace: `${trace.network} (${trace.source}), layers ${STIMULUS_LAYERS.join(', ')}, ${args['ops-per-layer']} operations each`,
    results,
  };
  process.stdout.write(`${markdownResults(record, node45)}\n`);
  if (args['dry-run'] || only) return;
  writeFileSync(RUN_FILE, `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(COSTS_FILE, replaceClasses(readFileSync(COSTS_FILE, 'utf8'), synthesizedClasses(record)));
  process.stderr.write(`wrote ${RUN_FILE} and the synthesized classes of ${COSTS_FILE}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
