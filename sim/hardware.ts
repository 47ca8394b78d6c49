/**
 * The hardware summary at the top of every report: what was simulated, as the design built it
 * (every block that describes itself: buffers with sizes, words and banks, links with widths,
 * DRAM bandwidth and energy per bit, array shape), plus clock, operand widths and batch.
 */
import type { ArchConfig } from './arch.ts';
import type { Component } from './component.ts';

export interface HardwareBlock {
  path: string;
  instances: number;
  [field: string]: number | string | boolean;
}

export interface HardwareSummary {
  clockMHz: number;
  datapath: ArchConfig['datapath'];
  batch: number;
  blocks: HardwareBlock[];
}

export function hardwareSummary(root: Component, arch: ArchConfig, batch = 1): HardwareSummary {
  const blocks: HardwareBlock[] = [];
  const visit = (c: Component) => {
    const spec = c.hardwareSpec();
    if (spec) blocks.push({ path: c.path, instances: c.instances, ...spec });
    c.children.forEach(visit);
  };
  visit(root);
  return { clockMHz: arch.clockMHz, datapath: arch.datapath, batch, blocks };
}

/** The summary as a few lines of text: one per block, `path ×instances: field value, …`. */
export function formatHardware(h: HardwareSummary): string {
  const d = h.datapath;
  const widths = `W${d.weightBits}/A${d.activationBits}${d.accumulatorBits ? ` acc ${d.accumulatorBits}` : ''}${d.psumBits ? ` psum ${d.psumBits}` : ''}${d.arithmetic ? ` ${d.arithmetic}` : ''}`;
  const lines = [`hardware: ${h.clockMHz} MHz · datapath ${widths} · batch ${h.batch}`];
  for (const b of h.blocks) {
    const { path, instances, ...fields } = b;
    lines.push(`  ${path}${instances > 1 ? ` ×${instances}` : ''}: ${Object.entries(fields).map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toPrecision(6)) : v}`).join(', ')}`);
    // Banks are a config field, not derived from the size: say so when the split is uneven.
    const bank = fields.bankBytes;
    if (typeof bank === 'number' && typeof fields.banks === 'number' && fields.banks > 1 && !(Number.isInteger(bank) && (bank & (bank - 1)) === 0)) {
      lines.push(`  note: ${path} keeps its configured ${fields.banks} banks whatever its size, so a bank is ${Number(bank.toPrecision(6))} bytes (set the banks field to change it)`);
    }
  }
  return lines.join('\n');
}

const field = (h: HardwareSummary, has: string, key: string): number | string | boolean | undefined => h.blocks.find((b) => has in b)?.[key];

/** One row per compared design: the parts every architect checks first, '—' where a design has none. */
export function hardwareTableRows(designs: readonly { name: string; hardware: HardwareSummary }[]): { header: string[]; rows: string[][] } {
  const show = (v: number | string | boolean | undefined) => (v === undefined ? '—' : String(v));
  const header = ['design', 'clock MHz', 'W/A bits', 'PEs', 'GLB KiB', 'banks', 'NoC bits/cyc', 'DRAM B/cyc', 'DRAM pJ/bit', 'batch'];
  const rows = designs.map(({ name, hardware: h }) => [
    name,
    String(h.clockMHz),
    `${h.datapath.weightBits}/${h.datapath.activationBits}`,
    show(field(h, 'pes', 'pes')),
    show(field(h, 'kib', 'kib')),
    show(field(h, 'kib', 'banks')),
    show(field(h, 'hopMm', 'bitsPerCycle')),
    show(field(h, 'readPjPerBit', 'bytesPerCycle')),
    show(field(h, 'readPjPerBit', 'readPjPerBit')),
    String(h.batch),
  ]);
  return { header, rows };
}
