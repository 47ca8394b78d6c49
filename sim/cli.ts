#!/usr/bin/env node
/**
 * quantsim command line: a thin layer over the library. User errors print one line and exit 2;
 * anything else is a bug and keeps its stack.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from './errors.ts';
import { runCommand } from './cli/run.ts';
import { compareCommand } from './cli/compare.ts';
import { costsCommand } from './cli/costs.ts';
import { quantizeCommand } from './cli/quantize.ts';
import { sweepCommand } from './cli/sweep.ts';
import { workerCommand } from './cli/worker.ts';
import { paretoCommand } from './cli/pareto.ts';
import { reportCommand } from './cli/report.ts';
import { validateCommand } from './cli/validate.ts';
import { traceCommand } from './cli/trace.ts';
import { networkCommand } from './cli/network.ts';
import { sensitivityCommand } from './cli/sensitivity.ts';
import { configCommand } from './cli/config.ts';

const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

function fail(e: unknown): never {
  if (isUserError(e) && !debug) {
    process.stderr.write(`quantsim: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(isUserError(e) ? 2 : 1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

/**
 * yargs renders a command's whole help text before running it (≈ 35 ms, for a failure that would
 * print the help). quantsim's failures print one line and never the help (`.fail` below), and
 * `--help` renders it afresh, so the rendering is skipped.
 */
function skipHelpCache(cli: Argv): Argv {
  const usage = (cli as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } }).getInternalMethods().getUsageInstance();
  usage.cacheHelpMessage = () => {};
  return cli;
}

try {
  await skipHelpCache(yargs(argv))
    .scriptName('quantsim')
    .usage('$0 <command> [options]\n\nCycle-approximate simulator of quantized DNN accelerators.')
    .command(runCommand)
    .command(compareCommand)
    .command(costsCommand)
    .command(quantizeCommand)
    .command(sweepCommand)
    .command(workerCommand)
    .command(paretoCommand)
    .command(reportCommand)
    .command(validateCommand)
    .command(traceCommand)
    .command(networkCommand)
    .command(sensitivityCommand)
    .command(configCommand)
    .option('debug', { type: 'boolean', describe: 'Show stack traces for user errors too' })
    .demandCommand(1, 'give a command (see --help)')
    .strict()
    .recommendCommands()
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`quantsim: ${msg}\n`);
      process.exit(2);
    })
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .parseAsync();
} catch (e) {
  fail(e);
}
