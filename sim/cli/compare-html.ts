/** The HTML report of `quantsim compare --html`, with each scheme's energy across datapath widths. */
import type { Arch } from '../arch.ts';
import { compareReportHtml } from '../html-report.ts';
import { simulate, type SimulateOptions } from '../simulate.ts';
import { variant } from '../config.ts';
import { isUserError } from '../errors.ts';
import type { CompareRow } from '../report.ts';
import type { Network } from '../workload.ts';
import { SCHEMES } from '../../models/registry.ts';

/** Datapath widths of the energy-vs-bitwidth curve. */
export const CURVE_BITS = [4, 8, 12, 16];

export async function compareHtml(rows: CompareRow[], baseline: string, archs: ReadonlyMap<string, Arch>, network: Network, options: SimulateOptions): Promise<string> {
  const bitsCurve: { scheme: string; bits: number; energyPj: number; operand: 'weights' | 'activations' }[] = [];
  // The curve sweeps the hardware's datapath width, so it is drawn for designs whose cost does not
  // depend on tensor values; data-dependent schemes (DNA-TEQ, DRQ) choose their own widths.
  const { trace: _trace, ...hardwareOnly } = options;
  for (const [scheme, arch] of archs) {
    if (SCHEMES[arch.config.scheme]?.needsTrace) continue;
    // One operand's width varies, the other stays as configured.
    for (const operand of ['weights', 'activations'] as const) {
      for (const bits of CURVE_BITS) {
        const config = variant(arch.config, (d) => {
          if (operand === 'weights') d.datapath.weightBits = bits;
          else d.datapath.activationBits = bits;
        });
        try {
          bitsCurve.push({ scheme, bits, operand, energyPj: simulate({ ...arch, config }, network, hardwareOnly).totals.energyPj });
        } catch (e) {
          // A scheme whose width is fixed by its design (or its data) refuses: it has no curve.
          if (!isUserError(e)) throw e;
        }
      }
    }
  }
  return compareReportHtml({ rows, baseline, configs: new Map([...archs].map(([k, a]) => [k, a.config])), bitsCurve });
}
