/**
 * The schemes' CLI parameters by scheme name: the light counterpart of registry.ts (pure data),
 * so `quantsim run --help` can list `--tau-a` without loading any model.
 */
import type { SchemeParameter } from '../sim/scheme.ts';
import { DNATEQ_PARAMETERS } from './dnateq/parameters.ts';

export const SCHEME_PARAMETERS: Readonly<Record<string, readonly SchemeParameter[]>> = Object.freeze({
  dnateq: DNATEQ_PARAMETERS,
});
