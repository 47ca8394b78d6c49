/**
 * The cross-design precision invariant, measured: for the shipped Eyeriss-derived designs on the
 * same array and buffers where one is narrower in every operand and psum width, the layers of
 * the shipped networks that are slower on the narrower design — with the precision floor
 * (default) and without it (`eyeriss.precisionFloor: false`, the mapping search alone).
 *
 * `--vectors`: instead of the shipped configs, plain integer datapaths on the `eyeriss` array at
 * weight/activation widths 16/16, 16/8, 8/16, 8/8, 4/8, 4/4 (32-bit psums).
 *
 *   npx tsx scripts/precision-monotonicity.ts [--networks alexnet,vgg16] [--no-floor] [--vectors]
 */
import { narrowerPairs, shippedFixedWidthDesigns, shippedNetworks, violations, widthVectorDesigns, withoutFloor, WIDTH_VECTORS } from './validation/precision-monotonicity.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--networks');
const networks = at >= 0 ? args[at + 1]!.split(',') : shippedNetworks();
const floor = !args.includes('--no-floor');
const designs = (args.includes('--vectors') ? widthVectorDesigns(WIDTH_VECTORS) : shippedFixedWidthDesigns()).map((d) => (floor ? d : withoutFloor(d)));
const pairs = narrowerPairs(designs);
console.log(`designs: ${designs.map((d) => `${d.name} ${d.widths.weightBits}/${d.widths.activationBits}/${d.widths.psumBits}`).join(', ')}`);
console.log(`pairs (narrow < wide): ${pairs.map(([a, b]) => `${a.name} < ${b.name}`).join(', ')}`);
const t0 = performance.now();
const r = violations(pairs, networks);
console.log(`precision floor ${floor ? 'on' : 'off'}: ${r.slower.length} of ${r.checked} layer pairs slower at the narrower widths (${networks.length} networks, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
for (const v of r.slower) console.log(`  ${v.network} ${v.layer}: ${v.narrow} ${v.narrowCycles} > ${v.wide} ${v.wideCycles} (+${((v.narrowCycles / v.wideCycles - 1) * 100).toFixed(2)}%)`);
