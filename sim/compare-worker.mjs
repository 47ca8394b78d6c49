// Piscina worker entry of `compare` (sim/compare-pool.ts): the compiled JS under dist/, else the
// TypeScript through tsx (worker threads do not inherit the main thread's loader).
const built = import.meta.url.includes('/dist/sim/');
if (!built) (await import('tsx/esm/api')).register();
const { runDesign } = await import(built ? './compare-worker.js' : './compare-worker.ts');

export default runDesign;
