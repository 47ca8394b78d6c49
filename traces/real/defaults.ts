/**
 * Names and paths of the real traces, kept free of tfjs imports so the CLI can describe its
 * options without loading face-api (it is imported only when a trace is recorded).
 */
import { join } from 'node:path';
import { ROOT } from '../../sim/config.ts';

export const FACE_RECOGNITION_NETWORK = 'face-recognition';
/** Default output folder: a git-ignored cache, so no multi-MB tensors end up committed. */
export const DEFAULT_TRACE_DIR = join(ROOT, '.cache/traces', FACE_RECOGNITION_NETWORK);

/** Default folder of a real trace of `network` (git-ignored, like DEFAULT_TRACE_DIR). */
export const realTraceDir = (network: string) => join(ROOT, '.cache/traces', network);

/** The nsfwjs classifiers quantsim traces (traces/real/nsfwjs-models.ts), by network config name. */
export const NSFWJS_NETWORKS = ['mobilenet-v2', 'mobilenet-v2-mid', 'inception-v3'] as const;
