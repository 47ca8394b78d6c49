/**
 * One interface over the real networks that can be run end to end from their traces: the
 * face-recognition ResNet (descriptors, traces/real/end-to-end.ts) and nsfwjs' classifiers
 * (class distributions, traces/real/cnn-end-to-end.ts). `quantize --proxy end-to-end`, DNA-TEQ's
 * τ search and `validate` use it without knowing which network they run. Free of tfjs at import:
 * the forward passes load when a check is made.
 */
import type { Trace } from '../../sim/trace.ts';
import type { OutputProxy, TensorQuantizer } from '../../sim/scheme.ts';
import { FACE_RECOGNITION_NETWORK, NSFWJS_NETWORKS } from './defaults.ts';
import type { OutputAgreement } from './end-to-end.ts';
import type { ClassAgreement } from './cnn-end-to-end.ts';

export const END_TO_END_NETWORKS: readonly string[] = [FACE_RECOGNITION_NETWORK, ...NSFWJS_NETWORKS];

export const canRunEndToEnd = (trace: Trace) => trace.source === 'real' && END_TO_END_NETWORKS.includes(trace.network);

export type Agreement = OutputAgreement | ClassAgreement;

export interface EndToEndCheck {
  /** Inputs the network runs on (faces or photos) and what they are called. */
  readonly inputs: number;
  readonly unit: 'faces' | 'photos';
  /** The full figures of a quantizer against the float run. */
  agreement(q: TensorQuantizer): Agreement;
  /** The search's proxy: the output's relative error, RMS over the inputs. */
  readonly proxy: OutputProxy;
  /** One line for reports. */
  describe(a: Agreement): string;
}

const f4 = (v: number) => v.toFixed(4);

/** A check from a network's run (float when no quantizer) and the comparison of two runs' outputs. */
function checkOf<A extends Agreement>(run: (q?: TensorQuantizer) => Float32Array[], compare: (ref: Float32Array[], q: Float32Array[]) => A, unit: EndToEndCheck['unit'], describe: (a: A) => string): EndToEndCheck {
  const reference = run();
  const agreement = (q: TensorQuantizer) => compare(reference, run(q));
  return { inputs: reference.length, unit, agreement, proxy: (q) => agreement(q).relErrorRms, describe: (a) => describe(a as A) };
}

/** The float run once, then per quantizer (call only when canRunEndToEnd(trace)). */
export async function endToEndCheck(trace: Trace): Promise<EndToEndCheck> {
  const { initWasmBackend } = await import('./wasm.ts');
  await initWasmBackend();
  if (trace.network === FACE_RECOGNITION_NETWORK) {
    const { faceRecognitionDescriptors, descriptorAgreement } = await import('./end-to-end.ts');
    return checkOf(
      (q) => faceRecognitionDescriptors(trace, q),
      descriptorAgreement,
      'faces',
      (a) =>
        `descriptor cosine ≥ ${f4(a.cosineMin)} (mean ${f4(a.cosineMean)}), relative error ≤ ${f4(a.relErrorMax)} (RMS ${f4(a.relErrorRms)}), same-person decisions unchanged ${a.pairDecisionsAgree}/${a.pairs}, nearest face unchanged ${a.nearestAgree}/${a.faces}`,
    );
  }
  const { cnnClassScores, classAgreement } = await import('./cnn-end-to-end.ts');
  return checkOf(
    (q) => cnnClassScores(trace, q),
    classAgreement,
    'photos',
    (a) =>
      `top-1 class unchanged ${a.top1Agree}/${a.images}, KL(float ‖ quantized) mean ${a.klMean.toExponential(2)} (max ${a.klMax.toExponential(2)}) nats, probability relative error ≤ ${f4(a.relErrorMax)} (RMS ${f4(a.relErrorRms)})`,
  );
}
