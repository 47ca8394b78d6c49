/** DNA-TEQ's CLI parameters (pure data, so the CLI can declare the flags without loading the model). */
import type { SchemeParameter } from '../../sim/scheme.ts';

export const DNATEQ_PARAMETERS: readonly SchemeParameter[] = [
  { flag: 'tau-a', describe: 'Pin τ_a (DNA-TEQ activation RMAE threshold) instead of the τ sweep; labelled "given" in the report (the paper: 0.04 on AlexNet)', pointer: '/dnateq/search/tauA', exclusiveRange: [0, 1] },
];
