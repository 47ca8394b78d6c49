import type { Argv } from 'yargs';
import { basename } from 'node:path';
import { die } from '../errors.ts';
import { displayPath } from '../paths.ts';

/** The sweep engine and the atomic writer, loaded when a sweep command runs (not for --help). */
const engine = async () => ({ ...(await import('../sweep.ts')), ...(await import('../output.ts')), ...(await import('../inputs.ts')), ...(await import('../jsonl.ts')) });

/** Abort on SIGINT/SIGTERM; the run finishes and writes the batches under way. */
export function stopSignal(what: string): { signal: AbortSignal; exitCode: () => number | undefined } {
  const ac = new AbortController();
  let code: number | undefined;
  const stop = (sig: NodeJS.Signals, n: number) => () => {
    if (code !== undefined) return;
    code = 128 + n;
    process.stderr.write(`\n${what}: ${sig}: finishing the work under way…\n`);
    ac.abort();
  };
  process.once('SIGINT', stop('SIGINT', 2));
  process.once('SIGTERM', stop('SIGTERM', 15));
  return { signal: ac.signal, exitCode: () => code };
}

const mergeCommand = {
  command: 'merge <files..>',
  describe: "Join shards' results into one file, checking for missing and duplicate keys",
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'Results files (JSONL) of the shards' })
      .option('spec', { type: 'string', describe: 'The sweep spec: check that every point is there exactly once, and order lines as the spec does' })
      .option('out', { type: 'string', demandOption: true, describe: 'Merged results file (written atomically)' })
      .option('allow-missing', { type: 'boolean', default: false, describe: 'Write the merge even when points are missing' }),
  handler: async (a: { files: string[]; spec?: string; out: string; allowMissing: boolean }) => {
    const { expandSweep, loadSweepSpec, mergeResults, writeOutputFile, noteInput } = await engine();
    for (const f of a.files) noteInput(f);
    const points = a.spec ? (() => {
      const s = loadSweepSpec(a.spec);
      return expandSweep(s.spec, s.baseDir, s.file).points;
    })() : undefined;
    const m = mergeResults(a.files, points);
    if (m.conflicts.length) die(`${m.conflicts.length} key(s) appear with different results, e.g. ${m.conflicts[0]} (shards of different specs or code versions?)`);
    if (m.unexpected.length) die(`${m.unexpected.length} key(s) are not points of ${a.spec}, e.g. ${m.unexpected[0]}`);
    if (m.missing.length && !a.allowMissing) die(`${m.missing.length} of ${points!.length} points are missing, e.g. ${m.missing.slice(0, 3).join(', ')} (rerun their shards, or --allow-missing)`);
    writeOutputFile(a.out, m.lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    process.stderr.write(
      `merged ${a.files.length} file(s): ${m.lines.length} points${points ? ` of ${points.length}` : ''}` +
        `${m.duplicates.length ? `, ${m.duplicates.length} identical duplicate line(s) dropped` : ''}` +
        `${m.missing.length ? `, ${m.missing.length} missing` : ''} → ${displayPath(a.out)}\n`,
    );
  },
};

export const sweepCommand = {
  command: 'sweep',
  describe: 'Run a design-space sweep (all cores, a shard, or a Redis queue); resumes from its results file',
  builder: (y: Argv) =>
    y
      .command(mergeCommand)
      .option('spec', { type: 'string', describe: 'Sweep spec JSON (configs/schema/sweep.schema.json)' })
      .option('out', { type: 'string', describe: 'Results JSONL, appended to and resumed from (default out/sweeps/<spec>[.shard-i-of-N].jsonl)' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: all cores; 0 = in the main thread)' })
      .option('shard', { type: 'string', describe: 'Run only slice i of N (1-based, e.g. 3/8): every N-th point, deterministic' })
      .option('queue', { type: 'string', describe: 'redis://host:port: enqueue the points for `quantsim worker` processes instead of running them here' })
      .option('queue-name', { type: 'string', describe: 'BullMQ queue name (default quantsim)' })
      .option('batch', { type: 'number', describe: "Inputs per layer N of every point (sets each design's /batch, over the spec's \"batch\"; a /batch axis overrides it)" })
      .option('points-per-task', { type: 'number', describe: 'Points per task sent to a worker thread or queue job (default adaptive, 1..32; queue: 16)' })
      .option('progress', { type: 'boolean', default: true, describe: 'Progress on stderr (--no-progress to hide)' })
      .option('list', { type: 'boolean', default: false, describe: 'Print the points (key and values) as JSONL and exit' })
      .option('allow-inert-axes', { type: 'boolean', default: false, describe: 'Run even when an axis changes nothing for a design (by default that is an error naming the axis and the design)' }),
  handler: async (a: { spec?: string; out?: string; workers?: number; shard?: string; queue?: string; queueName?: string; batch?: number; pointsPerTask?: number; progress: boolean; list: boolean; allowInertAxes?: boolean }) => {
    if (!a.spec) die('give --spec FILE (or a subcommand: merge)');
    const { expandSweep, loadSweepSpec, parseShard, sweep } = await engine();
    const loaded = loadSweepSpec(a.spec);
    const shard = a.shard === undefined ? undefined : parseShard(a.shard);
    if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) die(`--workers must be an integer >= 0, got ${a.workers}`);
    const { batchOption } = await import('./common.ts');
    const batch = batchOption(a.batch);
    if (a.pointsPerTask !== undefined && (!Number.isInteger(a.pointsPerTask) || a.pointsPerTask < 1)) die(`--points-per-task must be an integer >= 1, got ${a.pointsPerTask}`);
    if (batch !== undefined) loaded.spec = { ...loaded.spec, batch };
    if (a.list) {
      const { points } = expandSweep(loaded.spec, loaded.baseDir, loaded.file);
      for (const p of points) process.stdout.write(`${JSON.stringify({ key: p.key, arch: p.config.name, network: basename(p.networkFile, '.json'), values: p.values })}\n`);
      return;
    }
    const name = loaded.spec.name ?? basename(a.spec, '.json');
    const out = a.out ?? `out/sweeps/${name}${shard ? `.shard-${shard.index}-of-${shard.count}` : ''}.jsonl`;
    const { resultsTarget } = await engine();
    resultsTarget(out);
    const stop = stopSignal('sweep');
    if (a.queue) {
      // Before any progress: a bad URL or an unreachable Redis is one line within seconds.
      const { checkRedis } = await import('../queue.ts');
      if (!(await checkRedis(a.queue, stop.signal))) process.exit(stop.exitCode() ?? 1);
    }
    const s = await sweep(a.spec, {
      ...(batch !== undefined ? { batch } : {}),
      out,
      ...(a.workers !== undefined ? { workers: a.workers } : {}),
      ...(shard ? { shard } : {}),
      ...(a.pointsPerTask ? { batchSize: a.pointsPerTask } : {}),
      ...(a.queue ? { queue: { url: a.queue, ...(a.queueName ? { name: a.queueName } : {}) } } : {}),
      progress: a.progress,
      signal: stop.signal,
      allowInertAxes: a.allowInertAxes ?? false,
    });
    const what = `${s.points} point${s.points === 1 ? '' : 's'}${shard ? ` (shard ${shard.index}/${shard.count})` : ''}: ${s.resumed} already done, ${s.computed} computed${s.errors ? `, ${s.errors} infeasible (lines with "error")` : ''}${s.duplicates ? `, ${s.duplicates} duplicate draws dropped` : ''}`;
    if (s.interrupted) {
      process.stderr.write(`sweep interrupted: ${s.results.length} of ${what} → ${displayPath(out)}; rerun the same command to resume\n`);
      process.exit(stop.exitCode() ?? 1);
    }
    process.stderr.write(`sweep done: ${what} → ${displayPath(out)}\n`);
    const { constantMetrics } = await import('../sweep-sanity.ts');
    const same = constantMetrics(s.results);
    if (same.length && s.results.length > 1) process.stderr.write(`note: ${same.join(', ')} ${same.length === 1 ? 'is' : 'are'} identical at all ${s.results.length} points\n`);
  },
};
