import type { Argv } from 'yargs';
import { die } from '../errors.ts';
import { stopSignal } from './sweep.ts';

export const workerCommand = {
  command: 'worker',
  describe: 'Process sweep points from a Redis queue (run one per machine, or several, next to `quantsim sweep --queue`)',
  builder: (y: Argv) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'redis://host:port of the queue' })
      .option('queue-name', { type: 'string', describe: 'BullMQ queue name (default quantsim)' })
      .option('threads', { type: 'number', default: 1, describe: 'Worker threads in this process (one per core to use)' })
      .option('idle-exit', { type: 'number', describe: 'Exit after this many seconds without work (default: run until SIGINT/SIGTERM)' })
      .option('lock-ms', { type: 'number', default: 30000, describe: "Lock on a batch under way: a worker that dies hands its batch to another after this long (BullMQ's lockDuration)" }),
  handler: async (a: { queue: string; queueName?: string; threads: number; idleExit?: number; lockMs: number }) => {
    if (!Number.isInteger(a.threads) || a.threads < 1) die(`--threads must be an integer >= 1, got ${a.threads}`);
    if (a.idleExit !== undefined && !(a.idleExit >= 0)) die(`--idle-exit must be >= 0 seconds, got ${a.idleExit}`);
    if (!(a.lockMs >= 100 && a.lockMs <= 86_400_000)) die(`--lock-ms must be in 100..86400000, got ${a.lockMs}`);
    const stop = stopSignal('worker');
    const log = (s: string) => process.stderr.write(`${s}\n`);
    // BullMQ is loaded only by the commands that use it.
    const { runQueueWorker } = await import('../queue.ts');
    const done = await runQueueWorker({
      url: a.queue,
      threads: a.threads,
      lockMs: a.lockMs,
      signal: stop.signal,
      log,
      ...(a.queueName ? { name: a.queueName } : {}),
      ...(a.idleExit !== undefined ? { idleExitS: a.idleExit } : {}),
    });
    log(`worker: ${done} points done`);
  },
};
