/**
 * LightNN's five networks (Ding et al.): storage, energy and area of LightNN-1, LightNN-2, an
 * 8-bit fixed-point and a 32-bit float design on the same Eyeriss-like array, side by side with
 * the published test errors (quantsim does not train; the errors are the paper's).
 *
 *   npx tsx scripts/lightnn-report.ts [--mode opcount|arch] [--costs FILE]
 *
 * `lightnnParameterRows` and `lightnnReport` are exported for `npm run validate`.
 */
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadArch } from '../sim/arch.ts';
import { loadNetwork, parameterCount, type Network } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { loadCostTable, type CostTable } from '../sim/costs.ts';
import { CONFIG_DIR } from '../sim/config.ts';
import { textTable } from '../sim/report.ts';
import { die } from '../sim/errors.ts';
import type { Mode } from '../sim/scheme.ts';

/** The paper's networks, parameter counts and test errors (%), shared/reference/schemes.md. */
export const LIGHTNN_PUBLISHED = [
  { key: 'mnist-1hidden', network: 'lightnn-mnist-1hidden', parameters: 79_510, errors: { conventional: 1.72, lightnn2: 1.86, lightnn1: 2.09, binaryConnect: 4.1, binaryNet: 6.79 } },
  { key: 'mnist-2conv', network: 'lightnn-mnist-2conv', parameters: 431_080, errors: { conventional: 0.86, lightnn2: 1.29, lightnn1: 2.31, binaryConnect: 4.63, binaryNet: 3.16 } },
  { key: 'mnist-3hidden', network: 'lightnn-mnist-3hidden', parameters: 36_818_954, errors: { conventional: 0.75, lightnn2: 0.83, lightnn1: 0.89, binaryConnect: 1.29, binaryNet: 0.96 } },
  { key: 'cifar10-3conv', network: 'lightnn-cifar10-3conv', parameters: 82_208, errors: { conventional: 21.16, lightnn2: 24.62, lightnn1: 26.11, binaryConnect: 43.22, binaryNet: 73.82 } },
  { key: 'cifar10-6conv', network: 'lightnn-cifar10-6conv', parameters: 39_191_690, errors: { conventional: 10.94, lightnn2: 8.84, lightnn1: 8.79, binaryConnect: 9.9, binaryNet: 11.4 } },
] as const;

/** The four designs compared: arch config, weight storage bits, the published error column. */
export const LIGHTNN_DESIGNS = [
  { label: 'LightNN-1', arch: 'lightnn1', errorOf: 'lightnn1' },
  { label: 'LightNN-2', arch: 'lightnn2', errorOf: 'lightnn2' },
  { label: 'fixed-8', arch: 'eyeriss-int8', errorOf: undefined },
  { label: 'float-32', arch: 'eyeriss-fp32', errorOf: 'conventional' },
] as const;

export interface ParameterRow {
  key: string;
  network: string;
  parameters: number;
  published: number;
  /** Weight storage in bytes per design label (every parameter, biases included, at the design's weight width). */
  storageBytes: Record<string, number>;
}

/** Parameter counts (exact, from the layers) and storage of each design, per network. */
export function lightnnParameterRows(networks: readonly Network[]): ParameterRow[] {
  return networks.map((net) => {
    const pub = LIGHTNN_PUBLISHED.find((p) => p.network === net.name);
    if (!pub) die(`"${net.name}" is not one of the LightNN networks (${LIGHTNN_PUBLISHED.map((p) => p.network).join(', ')})`);
    const parameters = parameterCount(net);
    const storageBytes: Record<string, number> = {};
    for (const d of LIGHTNN_DESIGNS) storageBytes[d.label] = (parameters * loadArch(d.arch).config.datapath.weightBits) / 8;
    return { key: pub.key, network: net.name, parameters, published: pub.parameters, storageBytes };
  });
}

export interface DesignRow {
  network: string;
  design: string;
  arch: string;
  weightBits: number;
  storageBytes: number;
  cycles: number;
  energyPj: number;
  areaUm2: number;
  /** Published test error (%) of this kind of network, when the paper gives one. */
  publishedErrorPct: number | undefined;
}

export function lightnnReport(networks: readonly Network[], options: { mode?: Mode; costs?: CostTable; seed?: number } = {}): DesignRow[] {
  const params = lightnnParameterRows(networks);
  const rows: DesignRow[] = [];
  networks.forEach((net, i) => {
    const pub = LIGHTNN_PUBLISHED.find((p) => p.network === net.name)!;
    for (const d of LIGHTNN_DESIGNS) {
      const arch = loadArch(d.arch);
      const r = simulate(arch, net, { mode: options.mode ?? 'opcount', seed: options.seed ?? 1, ...(options.costs ? { costs: options.costs } : {}) });
      rows.push({
        network: net.name,
        design: d.label,
        arch: d.arch,
        weightBits: arch.config.datapath.weightBits,
        storageBytes: params[i]!.storageBytes[d.label]!,
        cycles: r.totals.cycles,
        energyPj: r.totals.energyPj,
        areaUm2: r.totals.areaUm2,
        publishedErrorPct: d.errorOf ? pub.errors[d.errorOf] : undefined,
      });
    }
  });
  return rows;
}

export function formatLightnnReport(rows: readonly DesignRow[], params: readonly ParameterRow[]): string {
  const head = textTable(
    ['network', 'params', 'published', 'match'],
    params.map((p) => [p.network, String(p.parameters), String(p.published), p.parameters === p.published ? 'exact' : `off by ${p.parameters - p.published}`]),
  );
  const body = rows.map((r) => {
    const fixed = rows.find((x) => x.network === r.network && x.design === 'fixed-8')!;
    return [
      r.network,
      r.design,
      r.weightBits,
      r.storageBytes / 1024,
      r.cycles,
      r.energyPj / 1e6,
      r.energyPj / fixed.energyPj,
      r.areaUm2 / 1e6,
      r.areaUm2 / fixed.areaUm2,
      r.publishedErrorPct === undefined ? '—' : r.publishedErrorPct.toFixed(2),
    ];
  });
  return `${head}\n\n${textTable(['network', 'design', 'w bits', 'weights KiB', 'cycles', 'energy µJ', 'E ÷ fixed-8', 'area mm²', 'A ÷ fixed-8', 'test err % (paper)'], body)}\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode = (opt('mode') ?? 'opcount') as Mode;
  const costsFile = opt('costs');
  const available = LIGHTNN_PUBLISHED.filter((p) => existsSync(join(CONFIG_DIR, 'networks', `${p.network}.json`)));
  if (available.length === 0) die(`none of the LightNN networks is under configs/networks/ (${LIGHTNN_PUBLISHED.map((p) => p.network).join(', ')})`);
  const networks = available.map((p) => loadNetwork(p.network));
  const rows = lightnnReport(networks, { mode, ...(costsFile ? { costs: loadCostTable(costsFile) } : {}) });
  process.stdout.write(`LightNN networks — mode ${mode}; errors are the paper's (fixed-8 has none published: "—"; float-32 shows the conventional network's)\n\n`);
  process.stdout.write(formatLightnnReport(rows, lightnnParameterRows(networks)));
  const missing = LIGHTNN_PUBLISHED.length - available.length;
  if (missing > 0) process.stdout.write(`\n(${missing} network(s) missing under configs/networks/)\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
