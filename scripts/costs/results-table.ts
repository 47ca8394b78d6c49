/** The results table of docs/synthesis.md, from a run record and the table's 45→32nm factors. */
import { BLOCKS } from './blocks.ts';
import type { RunRecord } from './table-entries.ts';

const f = (x: number, d = 3) => Number(x.toPrecision(d)).toString();

export function markdownResults(rec: RunRecord, node: { energy: number; area: number }): string {
  const rows = rec.results.map((r) => {
    const b = BLOCKS.find((x) => x.key === r.key)!;
    const h = b.horowitz;
    const cross = h ? `${h.what}: ×${f(r.energyPj / h.energyPj)} / ×${f(r.areaUm2 / h.areaUm2)}` : '';
    const entry = `${b.entry.cls}.${b.entry.action} ${Object.entries(b.entry.args).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    return `| ${r.key} | ${entry} | ${r.cells} | ${f(r.areaUm2, 4)} | ${f(r.areaUm2 * node.area, 4)} | ${f(r.energyPj)} | ${f(r.zeroDelayEnergyPj)} | ${f(r.inputNetsPj)} | ${f(r.energyPj * node.energy)} | ${f(r.leakageUw)} | ${cross} |`;
  });
  return [
    '| block | cost entry | cells | area µm² 45nm | area µm² 32nm | energy pJ/op 45nm | of it glitch-free (zero-delay) | of it input nets | energy pJ/op 32nm | leakage µW 45nm | vs Horowitz (energy / area) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
