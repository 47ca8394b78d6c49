import type { Argv } from 'yargs';
import { DEFAULT_COSTS } from '../paths.ts';
import { emit } from '../output.ts';
import { textTable } from '../report.ts';
import { tableWidth, wideOption } from './common.ts';

export const costsCommand = {
  command: 'costs',
  describe: 'Print a cost table resolved to its technology node, with the source of every figure',
  builder: (y: Argv) =>
    y
      .option('table', { type: 'string', default: DEFAULT_COSTS, defaultDescription: 'configs/costs/32nm.json', describe: 'Cost table JSON' })
      .option('no-node-scaling', { type: 'boolean', default: false, describe: 'Show figures at the node they were published for' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'table or json' })
      .option('wide', wideOption),
  handler: async (a: { table: string; noNodeScaling: boolean; format: 'table' | 'json'; wide?: boolean }) => {
    const { loadCostTable } = await import('../costs.ts');
    const t = loadCostTable(a.table, a.noNodeScaling ? { nodeScaling: false } : {});
    const rows = t.rows();
    if (a.format === 'json') {
      emit(`${JSON.stringify({ name: t.name, technology: t.technology, file: t.file, sha256: t.sha256, nodeScaling: t.nodeScalingTable(), rows }, null, 2)}\n`);
      return;
    }
    const body = rows.map((r) => [
      r.class,
      r.action,
      Object.entries(r.args).map(([k, v]) => `${k}=${v}`).join(' '),
      Number(r.value.toPrecision(4)),
      r.unit,
      r.node,
      r.method,
      r.source,
    ]);
    const scaled = a.noNodeScaling ? 'not node-scaled' : `scaled to ${t.technology}`;
    emit(`${t.name} (${t.file}), ${scaled}\n\n${textTable(['class', 'action', 'args', 'value', 'unit', 'from', 'method', 'source'], body, tableWidth(a.wide))}\n`);
  },
};
