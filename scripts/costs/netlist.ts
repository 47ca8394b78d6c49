/**
 * A mapped netlist as yosys's `write_json` gives it, turned into (1) structural Verilog whose
 * nets are named `n<bit>` so the simulator's VCD maps straight back to the netlist, with a delay
 * per cell instance from the Liberty tables, (2) Verilog models of the library cells used, built
 * from their Liberty functions, and (3) the load of every net (pin and wire capacitance), which
 * the toggle-energy sum needs.
 */
import { lookup, wireCapacitanceFf, type LibCell, type Liberty } from './liberty.ts';

type Bit = number | '0' | '1' | 'x' | 'z';

export interface NetlistPort {
  name: string;
  direction: 'input' | 'output';
  bits: Bit[];
}

export interface NetlistCell {
  name: string;
  type: string;
  conns: Record<string, Bit>;
}

export interface Netlist {
  module: string;
  ports: NetlistPort[];
  cells: NetlistCell[];
}

interface YosysJson {
  modules: Record<string, { ports: Record<string, { direction: string; bits: Bit[] }>; cells: Record<string, { type: string; connections: Record<string, Bit[]> }> }>;
}

export function readYosysJson(json: YosysJson, top: string): Netlist {
  const m = json.modules[top];
  if (!m) throw new Error(`yosys JSON: no module "${top}"`);
  const ports = Object.entries(m.ports).map(([name, p]) => {
    if (p.direction !== 'input' && p.direction !== 'output') throw new Error(`port ${name}: direction ${p.direction} not supported`);
    return { name, direction: p.direction, bits: p.bits } as NetlistPort;
  });
  const cells = Object.entries(m.cells).map(([name, c]) => {
    const conns: Record<string, Bit> = {};
    for (const [pin, bits] of Object.entries(c.connections)) {
      if (bits.length !== 1) throw new Error(`cell ${name} (${c.type}) pin ${pin}: ${bits.length} bits (mapped cells have 1-bit pins)`);
      conns[pin] = bits[0]!;
    }
    return { name, type: c.type, conns };
  });
  return { module: top, ports, cells };
}

/** Everything that loads one net. */
export interface NetLoad {
  bit: number;
  /** Driving cell instance and pin (undefined for a primary input). */
  driver?: { cell: NetlistCell; pin: string };
  sinks: { cell: NetlistCell; pin: string }[];
  pinCapFf: number;
  wireCapFf: number;
  /** Load outside the block on a primary output (the `outputLoadFf` option). */
  externalCapFf: number;
}

export function totalCapFf(n: NetLoad): number {
  return n.pinCapFf + n.wireCapFf + n.externalCapFf;
}

function libCell(lib: Liberty, type: string): LibCell {
  const c = lib.cells.get(type);
  if (!c) throw new Error(`cell type ${type} is not in the Liberty library`);
  return c;
}

export function netLoads(nl: Netlist, lib: Liberty, outputLoadFf: number): Map<number, NetLoad> {
  const nets = new Map<number, NetLoad>();
  const net = (bit: number) => {
    let n = nets.get(bit);
    if (!n) nets.set(bit, (n = { bit, sinks: [], pinCapFf: 0, wireCapFf: 0, externalCapFf: 0 }));
    return n;
  };
  for (const c of nl.cells) {
    const lc = libCell(lib, c.type);
    for (const [pin, bit] of Object.entries(c.conns)) {
      if (typeof bit !== 'number') continue;
      const lp = lc.pins.get(pin);
      if (!lp) throw new Error(`cell ${c.name}: ${c.type} has no pin ${pin}`);
      const n = net(bit);
      if (lp.direction === 'output') {
        if (n.driver) throw new Error(`net ${bit} has two drivers (${n.driver.cell.name}, ${c.name})`);
        n.driver = { cell: c, pin };
      } else {
        n.sinks.push({ cell: c, pin });
        n.pinCapFf += lp.capacitanceFf;
      }
    }
  }
  for (const p of nl.ports) for (const bit of p.bits) if (typeof bit === 'number') net(bit);
  for (const p of nl.ports) if (p.direction === 'output') for (const bit of p.bits) if (typeof bit === 'number') net(bit).externalCapFf += outputLoadFf;
  for (const n of nets.values()) n.wireCapFf = wireCapacitanceFf(lib, n.sinks.length + (n.externalCapFf > 0 ? 1 : 0));
  return nets;
}

/** Mean of a cell output's delay tables at the input slew and the net's load, in ps (≥ 1). */
export function instanceDelaysPs(nl: Netlist, lib: Liberty, loads: Map<number, NetLoad>, slewNs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of nl.cells) {
    const lc = libCell(lib, c.type);
    let sum = 0;
    let n = 0;
    for (const [pin, bit] of Object.entries(c.conns)) {
      const lp = lc.pins.get(pin)!;
      if (lp.direction !== 'output' || typeof bit !== 'number') continue;
      for (const t of lp.delay) {
        sum += lookup(t, slewNs, totalCapFf(loads.get(bit)!));
        n++;
      }
    }
    out.set(c.name, Math.max(1, Math.round(n ? (sum / n) * 1000 : 1)));
  }
  return out;
}

const vbit = (b: Bit) => (typeof b === 'number' ? `n${b}` : b === '1' ? "1'b1" : "1'b0");

/** Structural Verilog of the netlist (module and port names kept, nets `n<bit>`). */
export function netlistVerilog(nl: Netlist, delaysPs?: Map<string, number>): string {
  const bits = new Set<number>();
  for (const p of nl.ports) for (const b of p.bits) if (typeof b === 'number') bits.add(b);
  for (const c of nl.cells) for (const b of Object.values(c.conns)) if (typeof b === 'number') bits.add(b);
  const lines = [`module ${nl.module} (${nl.ports.map((p) => p.name).join(', ')});`];
  for (const p of nl.ports) lines.push(`  ${p.direction} ${p.bits.length > 1 ? `[${p.bits.length - 1}:0] ` : ''}${p.name};`);
  for (const b of [...bits].sort((x, y) => x - y)) lines.push(`  wire n${b};`);
  const sel = (p: NetlistPort, k: number) => (p.bits.length > 1 ? `${p.name}[${k}]` : p.name);
  for (const p of nl.ports) {
    p.bits.forEach((b, k) => {
      if (p.direction === 'input' && typeof b === 'number') lines.push(`  assign n${b} = ${sel(p, k)};`);
      if (p.direction === 'output') lines.push(`  assign ${sel(p, k)} = ${vbit(b)};`);
    });
  }
  for (const c of nl.cells) {
    const d = delaysPs?.get(c.name) ?? 0;
    const conns = Object.entries(c.conns).map(([pin, b]) => `.${pin}(${vbit(b)})`).join(', ');
    lines.push(`  ${c.type} #(.DLY(${d})) c_${c.name.replace(/[^A-Za-z0-9_]/g, '_')} (${conns});`);
  }
  lines.push('endmodule', '');
  return lines.join('\n');
}

/** A Liberty function in Verilog syntax; throws on forms this reader does not translate. */
export function libertyFunctionToVerilog(fn: string, names: ReadonlySet<string>): string {
  if (/'/.test(fn)) throw new Error(`Liberty function "${fn}": postfix ' not supported`);
  const tokens = fn.match(/[A-Za-z_][A-Za-z0-9_]*|[01]|[!*&+|^()]|\S/g) ?? [];
  let prevOperand = false;
  const out = tokens.map((t) => {
    const operand = /^[A-Za-z_0-9]/.test(t);
    if (operand && !/^[01]$/.test(t) && !names.has(t)) throw new Error(`Liberty function "${fn}": unknown name ${t}`);
    if ((operand || t === '(' || t === '!') && prevOperand) throw new Error(`Liberty function "${fn}": implicit AND not supported`);
    prevOperand = operand || t === ')';
    if (t === '!') return '~';
    if (t === '*') return '&';
    if (t === '+') return '|';
    if (t === '0' || t === '1') return `1'b${t}`;
    if (!operand && !'&|^()'.includes(t)) throw new Error(`Liberty function "${fn}": unexpected "${t}"`);
    return t;
  });
  return out.join(' ');
}

/** Verilog models of the given cells: each output `assign #DLY` its function; flip-flops update
 * their state #DLY after the clock edge. */
export function cellModels(lib: Liberty, types: Iterable<string>): string {
  const out: string[] = ['`timescale 1ps/1ps'];
  for (const type of [...new Set(types)].sort()) {
    const c = libCell(lib, type);
    const pins = [...c.pins.values()];
    const names = new Set(pins.map((p) => p.name));
    const decl = pins.map((p) => `${p.direction === 'output' ? 'output' : 'input'} ${p.name}`).join(', ');
    const body: string[] = [];
    if (c.ff) {
      if (c.ff.other.length) throw new Error(`${type}: flip-flop attributes ${c.ff.other.join(', ')} not supported`);
      const clk = /^\s*(!)?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(c.ff.clockedOn);
      if (!clk || !names.has(clk[2]!)) throw new Error(`${type}: clocked_on "${c.ff.clockedOn}" not supported`);
      body.push(`  reg ${c.ff.q};`, `  wire ${c.ff.qn} = ~${c.ff.q};`);
      body.push(`  always @(${clk[1] ? 'negedge' : 'posedge'} ${clk[2]}) ${c.ff.q} <= #DLY ${libertyFunctionToVerilog(c.ff.nextState, names)};`);
      const state = new Set([...names, c.ff.q, c.ff.qn]);
      for (const p of pins) if (p.direction === 'output' && p.fn) body.push(`  assign ${p.name} = ${libertyFunctionToVerilog(p.fn, state)};`);
    } else {
      for (const p of pins) {
        if (p.direction !== 'output') continue;
        if (!p.fn) throw new Error(`${type}: output ${p.name} has no function`);
        body.push(`  assign #DLY ${p.name} = ${libertyFunctionToVerilog(p.fn, names)};`);
      }
    }
    out.push(`module ${type} #(parameter DLY = 0) (${decl});`, ...body, 'endmodule');
  }
  return `${out.join('\n')}\n`;
}
