// A 3-axis sweep from TypeScript: `npx tsx scripts/examples/sweep-3-axes.ts`.
import { sweep, pareto } from 'quantsim';

const { results } = await sweep(
  {
    schemes: ['eyeriss-int8'],
    networks: ['alexnet'],
    mode: 'opcount',
    axes: [
      { path: '/array/rows', values: [8, 12, 16] },
      { path: '/globalBuffer/kib', range: { from: 64, to: 512, count: 4, scale: 'log', integer: true } },
      { path: '/costs/sram/energyScale', values: [0.5, 1, 2] },
    ],
  },
  { out: 'out/sweeps/example.jsonl' },
);
for (const r of pareto(results, ['energyPj', 'cycles'])) console.log(r.values, r.totals!.energyPj, r.totals!.cycles);
