/**
 * The scheme registry: the one place that names schemes. Adding a scheme = one folder under
 * models/, one line here, one arch config, one test file.
 */
import type { Scheme } from '../sim/scheme.ts';
import { eyeriss } from './eyeriss/index.ts';
import { dnateq } from './dnateq/index.ts';

export const SCHEMES: Readonly<Record<string, Scheme>> = Object.freeze({
  eyeriss,
  dnateq,
});
