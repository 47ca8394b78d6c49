// Piscina worker entry: worker threads do not inherit the tsx loader of the main thread when
// quantsim runs from bin/quantsim.js, so register it here before importing the TypeScript.
import { register } from 'tsx/esm/api';

register();
const { evaluateBatch } = await import('./sweep-eval.ts');

export default evaluateBatch;
