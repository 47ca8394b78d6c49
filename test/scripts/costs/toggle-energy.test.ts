import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLiberty } from '../../../scripts/costs/liberty.ts';
import { instanceDelaysPs, netLoads, netlistVerilog, readYosysJson } from '../../../scripts/costs/netlist.ts';
import { toggleEnergy } from '../../../scripts/costs/toggle-energy.ts';
import { netToggles } from '../../../scripts/costs/synth-run.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'synth');
const lib = readLiberty(readFileSync(join(fixtures, 'tiny.lib'), 'utf8'));
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≉ ${b}`);

// a → INV u1 → net 3 → INV u2 → y, as yosys's write_json gives it.
const chain = readYosysJson(
  {
    modules: {
      chain: {
        ports: { a: { direction: 'input', bits: [2] }, y: { direction: 'output', bits: [4] } },
        cells: { u1: { type: 'INV_X1', connections: { A: [2], ZN: [3] } }, u2: { type: 'INV_X1', connections: { A: [3], ZN: [4] } } },
      },
    },
  },
  'chain',
);

test('hand-computed toggle energy of a two-inverter chain (4 toggles per net, 1 V)', () => {
  const loads = netLoads(chain, lib, 1);
  // Wire load: fanout 1 = 2.0 length × 0.5 fF. Net 2: u1.A 2 fF + 1 = 3 fF; net 3: same; net 4: 1 fF external + 1 wire.
  near(loads.get(2)!.pinCapFf + loads.get(2)!.wireCapFf, 3);
  near(loads.get(4)!.externalCapFf + loads.get(4)!.wireCapFf, 2);
  // The VCD fixture has n2, n3, n4 toggling 4 times each from t = 10.
  const toggles = netToggles(readFileSync(join(fixtures, 'tiny.vcd'), 'utf8'), 10);
  const e = toggleEnergy(lib, loads, toggles, { slewNs: 0.01 });
  // Switching ½CV²: 4·(1.5 + 1.5 + 1.0) = 16 fJ; internal (rise 1 + fall 3)/2 = 2 fJ per output toggle of u1, u2: 16 fJ.
  near(e.switchingFj, 16);
  near(e.internalFj, 16);
  near(e.totalFj, 32);
  assert.is(e.toggles, 12);
});

test('a flip-flop clock pin adds its own internal energy per clock toggle', () => {
  const ff = readYosysJson(
    { modules: { r: { ports: { ck: { direction: 'input', bits: [5] }, d: { direction: 'input', bits: [7] }, q: { direction: 'output', bits: [6] } }, cells: { u3: { type: 'DFF_X1', connections: { CK: [5], D: [7], Q: [6] } } } } } },
    'r',
  );
  const e = toggleEnergy(lib, netLoads(ff, lib, 1), new Map([[5, 2]]), { slewNs: 0.01 });
  // Clock net: (1 fF pin + 1 fF wire) · ½ · 2 toggles = 2 fJ; CK internal (rise 2 + fall 0)/2 · 2 = 2 fJ.
  near(e.switchingFj, 2);
  near(e.internalFj, 2);
});

test('netlist Verilog names nets n<bit> and gives each cell its Liberty delay', () => {
  const loads = netLoads(chain, lib, 1);
  const d = instanceDelaysPs(chain, lib, loads, 0.01);
  // u1 drives 3 fF at 0.01 ns slew: 0.010 + (3 − 1)/9 · 0.010 ns = 12 ps.
  assert.is(d.get('u1'), 12);
  const v = netlistVerilog(chain, d);
  assert.match(v, 'assign n2 = a;');
  assert.match(v, 'assign y = n4;');
  assert.match(v, 'INV_X1 #(.DLY(12)) c_u1 (.A(n2), .ZN(n3));');
});

test.run();
