import type { Argv } from 'yargs';

export const validateCommand = {
  command: 'validate',
  describe: 'Reproduce the published figures quantsim can speak to and print them next to quantsim\'s (writes validation.json)',
  builder: (y: Argv) =>
    y
      .option('out', { type: 'string', default: 'validation.json', describe: 'Where to write the rows as JSON (atomically)' })
      .option('only', { type: 'string', array: true, describe: 'Only these checks (costs, eyeriss, …)' }),
  handler: async (a: { out: string; only?: string[] }) => (await import('../../scripts/validate.ts')).main(a.out, a.only),
};
