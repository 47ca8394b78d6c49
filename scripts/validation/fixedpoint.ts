/** Geng et al. requantizer ratios and LightNN parameter counts / storage, as validation rows. */
import { loadNetwork } from '../../sim/workload.ts';
import { gengRequantizerRatio } from '../geng-report.ts';
import { LIGHTNN_PUBLISHED, lightnnParameterRows } from '../lightnn-report.ts';
import { compare, type ValidationRow } from './row.ts';

export function gengRows(): ValidationRow[] {
  const r = gengRequantizerRatio();
  const source = 'Geng et al., dataflow-based joint quantization (RTL result)';
  const note = `from cost-table entries: shift-round ${r.shiftRound.energyPj.toFixed(3)} pJ / ${r.shiftRound.areaUm2.toFixed(0)} um², scale-multiply ${r.scaleMultiply.energyPj.toFixed(3)} pJ / ${r.scaleMultiply.areaUm2.toFixed(0)} um²; every part is synthesized (Nangate 45nm: shifter, round-and-clip, the 32×32 scale multiplier), so both sides come from one flow; the 32×32 multiplier's glitches weigh most (see the synthesis rows: whole-block ratios under both baseline readings, with and without glitches)`;
  return [
    compare('geng', 'requantizer area ratio (scale-multiply / shift-round)', r.published.area, r.areaRatio, { rel: 0.2 }, source, note),
    compare('geng', 'requantizer energy ratio (scale-multiply / shift-round)', r.published.energy, r.energyRatio, { rel: 0.2 }, source, note),
  ];
}

export function lightnnRows(): ValidationRow[] {
  const rows: ValidationRow[] = [];
  const source = 'Ding et al., LightNN (network table)';
  for (const p of lightnnParameterRows(LIGHTNN_PUBLISHED.map((x) => loadNetwork(x.network)))) {
    rows.push(compare('lightnn', `${p.key} parameters`, p.published, p.parameters, { exact: true }, source, p.key === 'cifar10-3conv' ? 'the count does not pin the shapes: 135 layer shapes fit exactly; see docs/formats.md' : undefined));
    // Storage: LightNN-1 stores 4-bit weights, LightNN-2 8-bit (schemes.md).
    rows.push(compare('lightnn', `${p.key} LightNN-1 weight storage (bytes)`, (p.published * 4) / 8, p.storageBytes['LightNN-1']!, { exact: true }, source));
    rows.push(compare('lightnn', `${p.key} LightNN-2 weight storage (bytes)`, (p.published * 8) / 8, p.storageBytes['LightNN-2']!, { exact: true }, source));
  }
  return rows;
}
