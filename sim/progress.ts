/** Progress of long runs: a bar with rate and ETA on a TTY, a plain line every few seconds otherwise. */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Progress over `total` units of work, written to `stream` (stderr by default). */
export function progress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr, everyMs = 5000): Progress {
  const start = Date.now();
  const rate = (done: number) => done / Math.max((Date.now() - start) / 1000, 1e-3);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% {value}/{total} · {rate}/s · ETA {eta}`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', eta: '?' });
    return {
      update: (done) => {
        const r = rate(done);
        bar.update(done, { rate: r.toFixed(1), eta: duration((total - done) / r) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = start;
  let lastDone = 0;
  let printed = -1;
  const line = (done: number) => {
    printed = done;
    const r = rate(done);
    stream.write(`${label}: ${done}/${total} (${total ? Math.floor((100 * done) / total) : 100}%), ${r.toFixed(1)}/s, ETA ${duration((total - done) / r)}\n`);
  };
  return {
    update: (done) => {
      lastDone = done;
      if (Date.now() - last >= everyMs) {
        last = Date.now();
        line(done);
      }
    },
    stop: () => {
      if (printed !== lastDone) line(lastDone);
    },
  };
}
