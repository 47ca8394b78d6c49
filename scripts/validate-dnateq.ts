/**
 * DNA-TEQ validation numbers next to the paper's (run: npx tsx scripts/validate-dnateq.ts).
 * `dnateqValidationRows()` is what `npm run validate` calls; this file prints them.
 * AlexNet's pretrained weights are not available offline: its trace is the seeded synthetic one
 * (traces/synthetic.ts), so the comparison is of method, not of the paper's tensors.
 */
import { pathToFileURL } from 'node:url';
import { loadNetwork } from '../sim/workload.ts';
import { textTable } from '../sim/report.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';
import { PUBLISHED_ALEXNET, opEnergyByBits, validateNetwork, type NetworkValidation } from '../models/dnateq/validation.ts';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DIR } from '../sim/config.ts';

export interface ValidationRow {
  check: string;
  published: number | null;
  quantsim: number;
  note: string;
}

/** Every network under configs/networks/ on its seeded synthetic trace (seed 1). */
export function dnateqNetworkResults(names?: string[]): NetworkValidation[] {
  const all = names ?? readdirSync(join(CONFIG_DIR, 'networks')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  return all.map((n) => {
    const net = loadNetwork(n);
    return validateNetwork(net, generateSyntheticTrace(net, { seed: 1 }));
  });
}

export function dnateqValidationRows(results: NetworkValidation[] = dnateqNetworkResults(['alexnet'])): ValidationRow[] {
  const rows: ValidationRow[] = [];
  for (const r of results) {
    const pub = r.network === 'alexnet' ? PUBLISHED_ALEXNET : undefined;
    const note = `${r.traceSource} trace (${r.traceGenerator}), τ_a ${r.tauA}`;
    rows.push({ check: `DNA-TEQ ${r.network} average bitwidth`, published: pub?.averageBits ?? null, quantsim: r.averageBits, note });
    rows.push({ check: `DNA-TEQ ${r.network} compression vs INT8`, published: pub?.compressionVsInt8 ?? null, quantsim: r.compressionVsInt8, note: `stored ${r.storedBitsPerElement.toFixed(2)} b/element incl. sign bits` });
    rows.push({ check: `DNA-TEQ ${r.network} energy saving vs INT8`, published: pub?.energySavingVsInt8 ?? null, quantsim: r.energySavingVsInt8, note: `op-count, DRAM included; on-chip only ${(100 * r.onChipEnergySavingVsInt8).toFixed(1)}%` });
  }
  for (const o of opEnergyByBits()) {
    rows.push({ check: `DNA-TEQ ${o.bits}-bit op energy / INT8 MAC`, published: null, quantsim: o.ratioToInt8, note: `${o.totalPj.toFixed(3)} pJ vs ${o.int8MacPj.toFixed(3)} pJ (K 1152, reuse 64, all entries non-zero, 4 terms)` });
    rows.push({ check: `DNA-TEQ ${o.bits}-bit op energy / INT8 PE op`, published: null, quantsim: o.ratioToInt8Pe, note: `vs ${o.int8PeOpPj.toFixed(3)} pJ: MAC + Eyeriss scratchpad reads and psum write` });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  const results = dnateqNetworkResults(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
  const rows = dnateqValidationRows(results);
  const pct = (x: number | null, isFraction: boolean) => (x === null ? '—' : isFraction ? `${(100 * x).toFixed(1)}%` : x.toFixed(2));
  process.stdout.write(
    `${textTable(
      ['check', 'published', 'quantsim', 'note'],
      rows.map((r) => {
        const frac = /compression|saving/.test(r.check);
        return [r.check, pct(r.published, frac), pct(r.quantsim, frac), r.note];
      }),
    )}\n\nper-layer bits: ${results.map((r) => `${r.network}: ${Object.entries(r.bitsPerLayer).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('; ')}\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
  );
}
