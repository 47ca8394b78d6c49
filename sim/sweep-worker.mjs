// Piscina worker entry. From the build (dist/sim/) it imports the compiled JS; from the sources,
// worker threads do not inherit the tsx loader of the main thread, so it registers tsx first.
const built = import.meta.url.includes('/dist/sim/');
if (!built) (await import('tsx/esm/api')).register();
const { evaluateBatch } = await import(built ? './sweep-eval.js' : './sweep-eval.ts');

export default evaluateBatch;
