/** tfjs' WASM backend (what every real trace is recorded and re-run with), selected once per process. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let backend: Promise<void> | undefined;

export function initWasmBackend(): Promise<void> {
  backend ??= (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return backend;
}
