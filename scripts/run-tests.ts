/**
 * `npm test`: typecheck, then every test/**\/*.test.ts under uvu, split over the cores, and a
 * closing line `N passed, N failed` that CI reads (uvu's own summary is not read by CI).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';

const root = join(import.meta.dirname, '..');
const filter = process.argv[2] ? new RegExp(process.argv[2]) : undefined;

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return testFiles(p);
    return f.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
}

interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  output: string;
}

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function uvu(files: string[]): Promise<Outcome> {
  // One uvu process per file keeps suites isolated; uvu prints Total/Passed/Skipped per run.
  const pattern = `^(${files.map((f) => relative('test', f).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`;
  const { code, output } = await run(process.execPath, ['--import', 'tsx', join(root, 'node_modules/uvu/bin.js'), 'test', pattern]);
  const num = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(output)?.[1] ?? NaN);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped') || 0;
  if (Number.isNaN(total) || Number.isNaN(passed)) return { passed: 0, failed: Math.max(1, files.length), skipped: 0, output: `${output}\n(no uvu summary: exit ${code})` };
  const failed = total - passed - skipped + (code !== 0 && total === passed + skipped ? 1 : 0);
  return { passed, failed, skipped, output };
}

const files = testFiles(join(root, 'test')).filter((f) => !filter || filter.test(f)).sort();
const workers = Math.max(1, Math.min(availableParallelism(), 4, files.length));
const queue = [...files];
const results: { file: string; outcome: Outcome }[] = [];
const typecheck = filter ? undefined : run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root]);

await Promise.all(
  Array.from({ length: workers }, async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const outcome = await uvu([f]);
      results.push({ file: f, outcome });
      const mark = outcome.failed > 0 ? 'FAIL' : 'ok  ';
      process.stdout.write(`${mark} ${f} (${outcome.passed} passed${outcome.failed ? `, ${outcome.failed} failed` : ''})\n`);
      if (outcome.failed > 0) process.stdout.write(`${outcome.output}\n`);
    }
  }),
);

let passed = results.reduce((s, r) => s + r.outcome.passed, 0);
let failed = results.reduce((s, r) => s + r.outcome.failed, 0);
const skipped = results.reduce((s, r) => s + r.outcome.skipped, 0);
if (typecheck) {
  const tc = await typecheck;
  if (tc.code === 0) {
    passed++;
    process.stdout.write('ok   typecheck (tsc --noEmit)\n');
  } else {
    failed++;
    process.stdout.write(`FAIL typecheck (tsc --noEmit)\n${tc.output}\n`);
  }
}
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
