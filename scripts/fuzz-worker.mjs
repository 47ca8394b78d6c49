// Worker of scripts/fuzz.ts fuzzGuarded: runs the planned kinds and reports each case before it
// runs, so the main thread can name a case that hangs. Worker threads do not inherit the tsx
// loader, so register it before importing the TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { fuzz } = await import('./fuzz.ts');
for (const [kind, runs] of workerData.plan) {
  const outcome = await fuzz(kind, runs, workerData.seed, (input) => parentPort.postMessage({ kind, input }));
  parentPort.postMessage({ kind, outcome });
}
