/**
 * Dynamic energy of a netlist from its toggle counts, the way a gate-level power tool sums it:
 * for every net, toggles × (½·C·V² of the net's load — sink pins, wire-load model and any
 * external load — plus the driving cell's internal energy per output transition at that load)
 * plus, for sink pins with their own internal-power tables (flip-flop clock and data pins),
 * toggles × that pin's energy. Liberty internal-power tables are in cap-unit × V² = fJ.
 */
import { lookup, type LibPin, type Liberty } from './liberty.ts';
import { totalCapFf, type NetLoad } from './netlist.ts';

export interface EnergyOptions {
  /** Input transition time used to read the internal-power tables, ns. */
  slewNs: number;
}

export interface ToggleEnergy {
  switchingFj: number;
  internalFj: number;
  totalFj: number;
  toggles: number;
}

/** Mean internal energy per transition of a pin: over its power groups, (rise + fall)/2, fJ. */
export function pinInternalFj(pin: LibPin, slewNs: number, loadFf: number): number {
  const per = pin.power.map((g) => {
    const r = g.rise ? lookup(g.rise, slewNs, loadFf) : undefined;
    const f = g.fall ? lookup(g.fall, slewNs, loadFf) : undefined;
    return r !== undefined && f !== undefined ? (r + f) / 2 : (r ?? f ?? 0);
  });
  return per.length ? per.reduce((s, x) => s + x, 0) / per.length : 0;
}

/** Sum over nets. `toggles` is keyed by net bit; nets absent from it did not switch. */
export function toggleEnergy(lib: Liberty, loads: ReadonlyMap<number, NetLoad>, toggles: ReadonlyMap<number, number>, opts: EnergyOptions): ToggleEnergy {
  const v2 = lib.voltageV * lib.voltageV;
  let switchingFj = 0;
  let internalFj = 0;
  let count = 0;
  for (const [bit, n] of toggles) {
    if (n === 0) continue;
    const net = loads.get(bit);
    if (!net) throw new Error(`toggles for net ${bit}, which is not in the netlist`);
    const c = totalCapFf(net);
    count += n;
    switchingFj += n * 0.5 * c * v2;
    if (net.driver) internalFj += n * pinInternalFj(lib.cells.get(net.driver.cell.type)!.pins.get(net.driver.pin)!, opts.slewNs, c);
    for (const s of net.sinks) {
      const p = lib.cells.get(s.cell.type)!.pins.get(s.pin)!;
      if (p.power.length) internalFj += n * pinInternalFj(p, opts.slewNs, 0);
    }
  }
  return { switchingFj, internalFj, totalFj: switchingFj + internalFj, toggles: count };
}
