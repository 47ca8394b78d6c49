import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, userError } from '../../sim/cli/helpers.ts';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archFromConfig, dramTechnology, loadArch, type ArchConfig } from '../../../sim/arch.ts';
import { variant } from '../../../sim/config.ts';
import { loadNetwork } from '../../../sim/workload.ts';
import { simulate } from '../../../sim/simulate.ts';
import { loadCostTable } from '../../../sim/costs.ts';
import { DEFAULT_COSTS } from '../../../sim/arch.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const twoLayer = loadNetwork(join(root, 'test/fixtures/two-layer.json'));
const table = loadCostTable(DEFAULT_COSTS);
const eyeriss = loadArch('eyeriss-int8');
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${a} ≉ ${b}`);

const withTech = (t: string) => archFromConfig(variant(eyeriss.config, (d) => void (d.dram.technology = t as ArchConfig['dram']['technology'])));

test('dram.technology picks the cost class dram_<technology>; the DRAM part moves by the per-bit ratio', () => {
  const pjPerBit = { ddr3: 1300 / 64, lpddr4: 8, hbm2: 3.9 };
  for (const [t, e] of Object.entries(pjPerBit)) near(table.energyPj(`dram_${t}`, 'read', { bits: 1 }), e);
  const parts = Object.fromEntries(Object.keys(pjPerBit).map((t) => [t, simulate(withTech(t), twoLayer, { mode: 'opcount' })]));
  for (const t of Object.keys(pjPerBit)) assert.is(parts[t]!.dramTechnology, t);
  near(parts.ddr3!.energyByPartPj.dram! / parts.lpddr4!.energyByPartPj.dram!, 1300 / 64 / 8);
  near(parts.hbm2!.energyByPartPj.dram! / parts.lpddr4!.energyByPartPj.dram!, 3.9 / 8);
  assert.is(parts.ddr3!.energyByPartPj.glb, parts.hbm2!.energyByPartPj.glb);
});

test('like for like: every shipped arch config uses the same DRAM technology (the default)', () => {
  for (const f of readdirSync(join(root, 'configs/arch'))) assert.is(dramTechnology(loadArch(join(root, 'configs/arch', f)).config), 'lpddr4', f);
});

test('an unknown dram.technology: one line naming the file and /dram/technology, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quantsim-dram-'));
  const cfg = JSON.parse(readFileSync(join(root, 'configs/arch/eyeriss.json'), 'utf8'));
  delete cfg.$schema;
  cfg.dram.technology = 'ddr5';
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify(cfg));
  userError(cli('run', '--arch', file, '--network', 'test/fixtures/two-layer.json', '--mode', 'opcount'), /bad\.json: \/dram\/technology: must be one of "ddr3", "lpddr4", "hbm2", got "ddr5"/);
});

test.run();
