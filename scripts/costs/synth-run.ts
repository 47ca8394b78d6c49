/**
 * One block through the flow: yosys maps the Verilog onto the Liberty cells (area = sum of cell
 * areas), iverilog simulates the mapped netlist on the block's operand stream with each cell's
 * Liberty delay (so glitches switch nets too) and once with zero delays (functional toggles
 * only), the outputs are checked against the block's reference model, and the VCD toggles are
 * turned into energy per operation (toggle-energy.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Block } from './blocks.ts';
import type { Liberty } from './liberty.ts';
import { cellModels, instanceDelaysPs, netLoads, netlistVerilog, readYosysJson } from './netlist.ts';
import { countToggles } from './vcd.ts';
import { toggleEnergy, type EnergyOptions } from './toggle-energy.ts';
import { parseYosysStat } from './yosys-stat.ts';
import type { LayerStream } from './stimulus.ts';

export const VERILOG_DIR = 'scripts/costs/verilog';
/** Clock period / vector spacing of the simulation, ps: longer than any block's critical path. */
export const PERIOD_PS = 20000;
/** Operations simulated before toggles are counted (registers and nets leave their x state). */
export const WARMUP_OPS = 2;

export interface FlowOptions extends EnergyOptions {
  libertyFile: string;
  liberty: Liberty;
  /** Load on each primary output, fF (the next block's input pin). */
  outputLoadFf: number;
  workDir: string;
}

export interface BlockResult {
  key: string;
  module: string;
  cells: number;
  areaUm2: number;
  leakageUw: number;
  ops: number;
  /** Dynamic energy per operation at the Liberty corner (45nm), pJ. */
  energyPj: number;
  switchingPj: number;
  internalPj: number;
  /** Part of energyPj on the nets the block's inputs drive (the block's input load). */
  inputNetsPj: number;
  /** Part of energyPj charging the external load on the outputs (outputLoadFf). */
  outputLoadPj: number;
  /** Same stream with zero cell delays: no glitches. */
  zeroDelayEnergyPj: number;
  togglesPerOp: number;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}

export function toolVersions(): { yosys: string; iverilog: string } {
  const yosys = run('yosys', ['-V'], '.').trim();
  const iverilog = run('iverilog', ['-V'], '.').split('\n')[0]!.trim();
  return { yosys, iverilog };
}

export function yosysScript(module: string, verilog: string, liberty: string): string {
  return [
    `read_verilog ${verilog}`,
    `synth -top ${module} -flatten`,
    `dfflibmap -liberty ${liberty}`,
    `abc -liberty ${liberty}`,
    'opt_clean -purge',
    `tee -q -o stat.txt stat -liberty ${liberty}`,
    'write_json netlist.json',
    '',
  ].join('\n');
}

/** Testbench: one input vector per PERIOD_PS from stim.hex, outputs written to out.txt, VCD of the block's nets. */
export function testbench(block: Block, ops: number): string {
  const inBits = block.inputs.reduce((s, p) => s + p.bits, 0);
  const outs = block.outputs.map((p) => p.name);
  const wires = [...block.inputs, ...block.outputs].map((p) => `  wire ${p.bits > 1 ? `[${p.bits - 1}:0] ` : ''}${p.name};`);
  const conns = [...(block.clocked ? ['.clk(clk)'] : []), ...[...block.inputs, ...block.outputs].map((p) => `.${p.name}(${p.name})`)];
  const P = PERIOD_PS;
  return `\`timescale 1ps/1ps
module tb;
  reg [${inBits - 1}:0] mem [0:${ops - 1}];
  reg [${inBits - 1}:0] cur;
  reg clk = 0;
${wires.join('\n')}
  assign {${block.inputs.map((p) => p.name).join(', ')}} = cur;
  ${block.module} dut (${conns.join(', ')});
  integer i, f;
  initial begin
    $readmemh("stim.hex", mem);
    f = $fopen("out.txt", "w");
    $dumpfile("dump.vcd");
    $dumpvars(1, dut);
    for (i = 0; i < ${ops}; i = i + 1) begin
      cur = mem[i];
${block.clocked ? `      #${P / 2} clk = 1;\n      #${P / 4} clk = 0;\n      #${P / 4 - 1};` : `      #${P - 1};`}
      $fdisplay(f, "%h", {${outs.join(', ')}});
      #1;
    end
    $fclose(f);
    $finish;
  end
endmodule
`;
}

const hex = (v: bigint, bits: number) => v.toString(16).padStart(Math.ceil(bits / 4), '0');

function packRow(block: Block, row: (number | bigint)[]): bigint {
  let v = 0n;
  block.inputs.forEach((p, k) => {
    v = (v << BigInt(p.bits)) | BigInt.asUintN(p.bits, BigInt(row[k]!));
  });
  return v;
}

function packOutputs(block: Block, outs: bigint[]): bigint {
  let v = 0n;
  block.outputs.forEach((p, k) => {
    v = (v << BigInt(p.bits)) | BigInt.asUintN(p.bits, outs[k]!);
  });
  return v;
}

/** Per-bit toggles of the netlist's nets (VCD names n<bit>). */
export function netToggles(vcd: string, fromTime: number): Map<number, number> {
  const t = countToggles(vcd, 'tb.dut', fromTime);
  const out = new Map<number, number>();
  for (const [name, n] of t.toggles) {
    const m = /^n(\d+)$/.exec(name);
    if (m) out.set(Number(m[1]), n);
  }
  return out;
}

export function runBlock(block: Block, layers: LayerStream[], opts: FlowOptions): BlockResult {
  const dir = resolve(opts.workDir, block.key);
  mkdirSync(dir, { recursive: true });
  const rows = block.stimulus(layers) as (number | bigint)[][];
  const ops = rows.length;
  if (ops <= WARMUP_OPS) throw new Error(`${block.key}: stimulus has only ${ops} operations`);
  const verilog = resolve(VERILOG_DIR, `${block.module}.v`);
  const script = yosysScript(block.module, verilog, resolve(opts.libertyFile));
  // Reuse the mapped netlist when the script, the Verilog and the library are unchanged (a 32×32 multiplier takes minutes).
  const key = createHash('sha256').update(script).update(readFileSync(verilog)).update(String(statSync(opts.libertyFile).size)).update(toolVersions().yosys).digest('hex');
  const keyFile = join(dir, 'synth.key');
  if (!(existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key && existsSync(join(dir, 'netlist.json')) && existsSync(join(dir, 'stat.txt')))) {
    writeFileSync(join(dir, 'synth.ys'), script);
    run('yosys', ['-q', '-s', 'synth.ys'], dir);
    writeFileSync(keyFile, key);
  }
  const stat = parseYosysStat(readFileSync(join(dir, 'stat.txt'), 'utf8'));
  const nl = readYosysJson(JSON.parse(readFileSync(join(dir, 'netlist.json'), 'utf8')), block.module);
  const loads = netLoads(nl, opts.liberty, opts.outputLoadFf);
  writeFileSync(join(dir, 'cells.v'), cellModels(opts.liberty, nl.cells.map((c) => c.type)));
  writeFileSync(join(dir, 'stim.hex'), `${rows.map((r) => hex(packRow(block, r), block.inputs.reduce((s, p) => s + p.bits, 0))).join('\n')}\n`);
  writeFileSync(join(dir, 'tb.v'), testbench(block, ops));
  const expected = block.reference(rows).map((o) => packOutputs(block, o));
  const simulate = (delays: boolean) => {
    writeFileSync(join(dir, 'netlist.v'), netlistVerilog(nl, delays ? instanceDelaysPs(nl, opts.liberty, loads, opts.slewNs) : undefined));
    run('iverilog', ['-o', 'sim.vvp', 'tb.v', 'netlist.v', 'cells.v'], dir);
    run('vvp', ['-n', 'sim.vvp'], dir);
    const got = readFileSync(join(dir, 'out.txt'), 'utf8').trim().split('\n');
    got.forEach((line, i) => {
      if (i < WARMUP_OPS && block.clocked) return;
      if (!/^[0-9a-f]+$/.test(line) || BigInt(`0x${line}`) !== expected[i]) {
        throw new Error(`${block.key}: netlist output ${line} at operation ${i} differs from the reference ${expected[i]!.toString(16)} (inputs ${rows[i]!.join(', ')})`);
      }
    });
    const toggles = netToggles(readFileSync(join(dir, 'dump.vcd'), 'utf8'), WARMUP_OPS * PERIOD_PS);
    const total = toggleEnergy(opts.liberty, loads, toggles, opts);
    const of = (dir: 'input' | 'output') => new Set(nl.ports.filter((p) => p.direction === dir).flatMap((p) => p.bits.filter((b): b is number => typeof b === 'number')));
    const ins = of('input');
    const inputNets = toggleEnergy(opts.liberty, loads, new Map([...toggles].filter(([b]) => ins.has(b))), opts);
    const v2 = opts.liberty.voltageV ** 2;
    const outputLoadFj = [...of('output')].reduce((sum, b) => sum + (toggles.get(b) ?? 0) * 0.5 * opts.outputLoadFf * v2, 0);
    return { ...total, inputNetsFj: inputNets.totalFj, outputLoadFj };
  };
  const e = simulate(true);
  const z = simulate(false);
  const counted = ops - WARMUP_OPS;
  const leakageNw = nl.cells.reduce((s, c) => s + opts.liberty.cells.get(c.type)!.leakageNw, 0);
  return {
    key: block.key,
    module: block.module,
    cells: stat.cellCount,
    areaUm2: stat.chipAreaUm2,
    leakageUw: leakageNw / 1000,
    ops: counted,
    energyPj: e.totalFj / counted / 1000,
    switchingPj: e.switchingFj / counted / 1000,
    internalPj: e.internalFj / counted / 1000,
    inputNetsPj: e.inputNetsFj / counted / 1000,
    outputLoadPj: e.outputLoadFj / counted / 1000,
    zeroDelayEnergyPj: z.totalFj / counted / 1000,
    togglesPerOp: e.toggles / counted,
  };
}
