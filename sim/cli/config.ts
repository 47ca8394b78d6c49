/** `quantsim config import FILE --out arch.json`: another tool's arch config as a quantsim arch config (JSON with `$schema`). */
import type { Argv } from 'yargs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CONFIG_DIR } from '../paths.ts';
import { die } from '../errors.ts';

/** The config as JSON, `$schema` first, pointing at the arch schema relative to where it is written. */
export function archJson(config: object, out?: string): string {
  const from = out ? dirname(resolve(out)) : process.cwd();
  const schema = relative(from, join(CONFIG_DIR, 'schema', 'arch.schema.json')).split(sep).join('/');
  return `${JSON.stringify({ $schema: schema, ...config }, null, 2)}\n`;
}

const importCommand = {
  command: 'import <file>',
  describe: 'Convert a SCALE-Sim v2 .cfg into a validated quantsim arch config (systolic array)',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'SCALE-Sim config (.cfg)' })
      .option('out', { type: 'string', describe: 'Write the JSON to this file (atomically) instead of stdout' }),
  handler: async (a: { file: string; out?: string }) => {
    if (!/\.cfg$/i.test(a.file)) die('expected a SCALE-Sim config (.cfg)', a.file);
    // The registry registers the readers of other tools' config formats (SCALE-Sim .cfg).
    const [{ loadArch }, { emit }] = await Promise.all([import('../arch.ts'), import('../output.ts'), import('../../models/registry.ts')]);
    emit(archJson(loadArch(a.file).config, a.out), a.out);
  },
};

export const configCommand = {
  command: 'config',
  describe: 'Bring other tools\' architecture configs (SCALE-Sim .cfg) into quantsim',
  builder: (y: Argv) => y.command(importCommand).demandCommand(1, 'give a subcommand: import'),
  handler: () => {},
};
