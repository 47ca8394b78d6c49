import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Argv } from 'yargs';
import { DEFAULT_COSTS } from '../paths.ts';

export const costsExportCommand = {
  command: 'export',
  describe: 'Write a cost table (JSON, or an Accelergy ERT.yaml with its ART) as Accelergy ERT/ART YAML or as quantsim JSON',
  builder: (y: Argv) =>
    y
      .option('format', { choices: ['accelergy', 'json'] as const, demandOption: true, describe: 'accelergy: ERT.yaml, ART.yaml, flattened_architecture.yaml; json: costs.json (quantsim cost table)' })
      .option('table', { type: 'string', default: DEFAULT_COSTS, defaultDescription: 'configs/costs/32nm.json', describe: 'Cost table: JSON, or an Accelergy ERT.yaml' })
      .option('out', { type: 'string', default: '.', describe: 'Directory to write into (created if missing)' })
      .option('art', { type: 'string', describe: 'With an ERT --table: its ART.yaml / ART_summary.yaml (default: the one beside it)' })
      .option('flattened-arch', { type: 'string', describe: 'With an ERT --table: its flattened_architecture.yaml (default: the one beside it)' })
      .option('mapping', { type: 'string', describe: 'With an ERT --table: the Accelergy mapping file (default configs/costs/accelergy-mapping.json)' }),
  handler: async (a: { format: 'accelergy' | 'json'; table: string; out: string; art?: string; flattenedArch?: string; mapping?: string }) => {
    const { readCostSpec } = await import('../import/accelergy.ts');
    const { exportAccelergy } = await import('../import/accelergy-export.ts');
    const { writeFileAtomic } = await import('../output.ts');
    const spec = readCostSpec(a.table, { ...(a.art ? { art: a.art } : {}), ...(a.flattenedArch ? { arch: a.flattenedArch } : {}), ...(a.mapping ? { mapping: a.mapping } : {}) });
    mkdirSync(a.out, { recursive: true });
    const files: [string, string][] =
      a.format === 'json'
        ? [['costs.json', `${JSON.stringify(spec, null, 2)}\n`]]
        : Object.entries(exportAccelergy(spec)).map(([k, text]) => [{ ert: 'ERT.yaml', art: 'ART.yaml', arch: 'flattened_architecture.yaml' }[k]!, text]);
    for (const [name, text] of files) {
      writeFileAtomic(join(a.out, name), text);
      process.stderr.write(`wrote ${join(a.out, name)}\n`);
    }
  },
};
