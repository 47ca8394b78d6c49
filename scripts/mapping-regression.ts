/**
 * Mapping regression: every conv-like layer's row-stationary mapping (describeMapping) and arch
 * cycles for some designs × networks, as JSON; with --against FILE, the layers whose mapping or
 * cycles differ from an earlier dump. Used to check that a change leaves the mappings of
 * fixed-precision designs alone except where it changes their cycle estimate (issue #14: with
 * `--set /noc/psumBitsPerCycle=64`, the old shared link, every mapping must be unchanged).
 *
 *   npx tsx scripts/mapping-regression.ts [--archs eyeriss,eyeriss-int8,eyeriss-fp16]
 *     [--networks alexnet,resnet50,mobilenet-v1,vgg16] [--set /json/pointer=value …]
 *     [--out FILE] [--against FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadArch, archFromConfig } from '../sim/arch.ts';
import { withValuesAt } from '../sim/config.ts';
import { loadNetwork } from '../sim/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { generateSyntheticTrace } from '../traces/synthetic.ts';
import { die } from '../sim/errors.ts';

const argv = yargs(hideBin(process.argv))
  .option('archs', { type: 'string', default: 'eyeriss,eyeriss-int8,eyeriss-fp16' })
  .option('networks', { type: 'string', default: 'alexnet,resnet50,mobilenet-v1,vgg16' })
  .option('set', { type: 'array', string: true, default: [] as string[], describe: 'JSON pointer=value applied to every arch' })
  .option('out', { type: 'string' })
  .option('against', { type: 'string', describe: 'an earlier dump to compare with' })
  .strict()
  .parseSync();

type Dump = Record<string, { name: string; cycles: number; mapping?: unknown }[]>;
const sets = argv.set.map((s) => {
  const at = s.indexOf('=');
  if (at < 1) die(`--set ${s}: expected /json/pointer=value`);
  return [s.slice(0, at), JSON.parse(s.slice(at + 1)) as unknown] as const;
});
const dump: Dump = {};
for (const name of argv.archs.split(',')) {
  const arch = loadArch(name);
  const cfg = archFromConfig(withValuesAt(arch.config, sets), arch.file, arch.costsFile);
  for (const n of argv.networks.split(',')) {
    const net = loadNetwork(n);
    // Data-dependent designs need a trace: the seeded synthetic one (same for before and after).
    const r = simulate(cfg, net, { mode: 'arch', trace: generateSyntheticTrace(net, { seed: 1, batch: 1 }) });
    dump[`${name}/${n}`] = r.layers.map((l) => ({ name: l.name, cycles: l.cycles, mapping: (l.details as { mapping?: unknown } | undefined)?.mapping }));
  }
}
if (argv.out) writeFileSync(argv.out, JSON.stringify(dump, null, 1));
if (argv.against) {
  const before = JSON.parse(readFileSync(argv.against, 'utf8')) as Dump;
  let changed = 0;
  for (const [key, layers] of Object.entries(dump)) {
    const old = before[key];
    if (!old) continue;
    for (let i = 0; i < layers.length; i++) {
      const a = old[i];
      const b = layers[i]!;
      if (a && (JSON.stringify(a.mapping) !== JSON.stringify(b.mapping) || a.cycles !== b.cycles)) {
        changed++;
        console.log(`${key} ${b.name}: cycles ${a.cycles} -> ${b.cycles}${JSON.stringify(a.mapping) !== JSON.stringify(b.mapping) ? ' (mapping changed)' : ''}`);
      }
    }
  }
  console.log(`${changed} layer(s) differ`);
} else if (!argv.out) console.log(JSON.stringify(dump, null, 1));
