/**
 * Which CIFAR-10 "3 conv + 1 FC" shapes have exactly LightNN's published 82,208 parameters?
 * Enumerates 32×32×3 → 3 convolutions (3×3 or 5×5, 'same' or 'valid', each optionally followed by
 * a 2×2/2 max pool or a Caffe-style 3×3/2 pool) → FC to 10 classes, with channel counts from the
 * usual set, with and without biases, and prints every exact fit.
 * `npx tsx scripts/lightnn-shapes.ts` (docs/formats.md "Shipped networks and importers" reports the result and the choice).
 */
const TARGET = Number(process.argv[2] ?? 82_208);
const CHANNELS = [8, 10, 12, 16, 20, 24, 32, 40, 48, 50, 64, 96, 100, 128, 256];
const POOLS: Record<string, (h: number) => number> = { none: (h) => h, mp2: (h) => Math.floor(h / 2), mp3s2: (h) => Math.ceil((h - 3) / 2) + 1 };
const product = <T>(xs: T[], n: number): T[][] => (n === 0 ? [[]] : product(xs, n - 1).flatMap((p) => xs.map((x) => [...p, x])));

const fits: string[] = [];
for (const ks of product([3, 5], 3)) {
  for (const pads of product(['same', 'valid'], 3)) {
    for (const pools of product(Object.keys(POOLS), 3)) {
      let h = 32;
      for (let i = 0; i < 3 && h >= 1; i++) {
        h = pads[i] === 'same' ? h : h - ks[i]! + 1;
        if (h >= 1) h = POOLS[pools[i]!]!(h);
      }
      if (h < 1) continue;
      for (const cs of product(CHANNELS, 3)) {
        for (const bias of [1, 0]) {
          const cin = [3, cs[0]!, cs[1]!];
          const conv = cs.reduce((s, m, i) => s + cin[i]! * m * ks[i]! ** 2 + bias * m, 0);
          if (conv + cs[2]! * h * h * 10 + 10 * bias === TARGET) {
            fits.push(`k ${ks.join('/')}  ${pads.join('/')}  pools ${pools.join('/')}  channels ${cs.join('-')}  final ${h}×${h}  bias ${bias ? 'yes' : 'no'}`);
          }
        }
      }
    }
  }
}
process.stdout.write(`${fits.join('\n')}\n${fits.length} fits for ${TARGET}\n`);
