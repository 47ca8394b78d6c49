/**
 * Geng et al.'s two hardware claims, computed from the cost table:
 * 1. per quantization operation, shift + round + clip vs a 32-bit scale-multiply requantizer
 *    (area and energy of each part, and the ratios beside the paper's ≈15× / ≈9×);
 * 2. module grouping on a network (default ResNet-50): quantization operations when layers are
 *    fused into modules vs quantizing after every layer, and the requantizer energy saved.
 *
 *   npx tsx scripts/geng-report.ts [--network resnet50] [--costs FILE] [--no-batchnorm]
 *
 * Per-layer counting puts a BN layer after every conv (ResNet-50); --no-batchnorm for networks without.
 *
 * `gengRequantizerRatio` and `gengModuleGrouping` are exported for `npm run validate`.
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_COSTS } from '../sim/arch.ts';
import { loadCostTable, type CostTable } from '../sim/costs.ts';
import { loadNetwork, type Network } from '../sim/workload.ts';
import { textTable } from '../sim/report.ts';
import { compareRequantizers, type RequantizerComparison } from '../models/fixedpoint/requantizer-comparison.ts';
import { quantizationCounts, type QuantizationCounts } from '../models/fixedpoint/module-grouping.ts';
import type { RequantizerSpec } from '../models/fixedpoint/requantizer.ts';

export function gengRequantizerRatio(costs: CostTable = loadCostTable(DEFAULT_COSTS), spec?: RequantizerSpec): RequantizerComparison {
  return compareRequantizers(costs, spec);
}

export interface ModuleGroupingResult {
  network: string;
  batchNormAfterConv: boolean;
  counts: QuantizationCounts;
  /** perLayer ÷ perModule (operations). */
  reduction: number;
  /** Requantizer energy at each granularity, with the shift-round and the scale-multiply unit. */
  energyPj: { shiftRound: { perLayer: number; perModule: number }; scaleMultiply: { perLayer: number; perModule: number } };
}

/** Quantization operations per layer vs per module (BN after every conv, as in ResNet-50). */
export function gengModuleGrouping(network: Network, costs: CostTable = loadCostTable(DEFAULT_COSTS), batchNormAfterConv = true): ModuleGroupingResult {
  const counts = quantizationCounts(network, { batchNormAfterConv });
  const c = compareRequantizers(costs);
  const at = (pj: number) => ({ perLayer: counts.perLayer * pj, perModule: counts.perModule * pj });
  return {
    network: network.name,
    batchNormAfterConv,
    counts,
    reduction: counts.perLayer / counts.perModule,
    energyPj: { shiftRound: at(c.shiftRound.energyPj), scaleMultiply: at(c.scaleMultiply.energyPj) },
  };
}

function formatRatio(c: RequantizerComparison): string {
  const rows = (name: string, cost: RequantizerComparison['shiftRound']) =>
    cost.parts.map((p) => [name, p.role, `${p.cls} ${Object.entries(p.args).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' ')}`, p.count, p.energyPj, p.areaUm2]);
  const parts = textTable(['requantizer', 'part', 'cost entry', 'n', 'energy pJ', 'area µm²'], [...rows('shift-round', c.shiftRound), ...rows('scale-multiply', c.scaleMultiply)]);
  const totals = textTable(
    ['', 'energy pJ/op', 'area µm²'],
    [
      ['shift-round', c.shiftRound.energyPj, c.shiftRound.areaUm2],
      ['scale-multiply', c.scaleMultiply.energyPj, c.scaleMultiply.areaUm2],
      ['ratio (quantsim)', c.energyRatio, c.areaRatio],
      ['ratio (Geng et al., RTL)', c.published.energy, c.published.area],
    ],
  );
  return `Requantizer per operation (accumulator ${c.spec.accumulatorBits} b → ${c.spec.outputBits} b, scale ${c.spec.scaleBits ?? 32} b)\n\n${parts}\n\n${totals}\n`;
}

function formatGrouping(g: ModuleGroupingResult): string {
  const t = textTable(
    ['', 'per layer', 'per module', 'ratio'],
    [
      ['quantization points (tensors)', g.counts.perLayerTensors, g.counts.perModuleTensors, g.counts.perLayerTensors / g.counts.perModuleTensors],
      ['quantization operations', g.counts.perLayer, g.counts.perModule, g.reduction],
      ['energy µJ, shift-round unit', g.energyPj.shiftRound.perLayer / 1e6, g.energyPj.shiftRound.perModule / 1e6, g.reduction],
      ['energy µJ, scale-multiply unit', g.energyPj.scaleMultiply.perLayer / 1e6, g.energyPj.scaleMultiply.perModule / 1e6, g.reduction],
    ],
  );
  return `Module grouping on ${g.network} (conv → BN → ReLU and add → ReLU quantized once per module; BN after every conv: ${g.batchNormAfterConv ? 'yes' : 'no'})\n\n${t}\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const costs = loadCostTable(opt('costs') ?? DEFAULT_COSTS);
  process.stdout.write(formatRatio(gengRequantizerRatio(costs)));
  process.stdout.write(`\n${formatGrouping(gengModuleGrouping(loadNetwork(opt('network') ?? 'resnet50'), costs, !argv.includes('--no-batchnorm')))}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
