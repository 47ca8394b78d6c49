/**
 * Timeloop problem YAML → a one-layer quantsim network.
 *
 * Accepted forms (as in timeloop-accelergy-exercises):
 * - v0.3/v0.4: `problem: { shape: {…} | "cnn-layer", instance: { C, M, N, P, Q, R, S, Hstride,
 *   Wstride, Hdilation, Wdilation, [H, W, Hpad, Wpad, G], [densities, bitwidths] } }`;
 * - v0.2: the dimensions directly under `problem:` (`problem: { shape: …, C: 256, K: 512, … }`);
 * - output channels named `M` or (older cnn-layer files) `K`;
 * - GEMM shapes (`gemm-ABZ`: instance `M, N, K`, Z[M,N] = A[M,K]·B[N,K]) become an `fc` with
 *   P = M rows, C = K and M = N output columns (B takes the place of the weights).
 * Dimensions left out are 1, as in Timeloop. `densities`, `bitwidths` and `version` are ignored;
 * any other key must be a dimension of size 1.
 *
 * Axes: Timeloop's cnn-layer projects P and R onto the input width (R·Wdilation + P·Wstride) and
 * Q, S onto the height. quantsim keeps the names P, Q, R, S, so the stride, dilation, padding and
 * input extent along P are Timeloop's W-prefixed ones (Wstride → strideH, W → H, Wpad → padH) and
 * those along Q the H-prefixed ones. Shapes, MACs and sizes are unchanged; only the H/W labels swap.
 * `G` (groups, v0.4 conv2D) multiplies C and M: Timeloop's C and M are per group.
 */
import type { Node } from 'yaml';
import { die } from '../errors.ts';
import type { LayerSpec, Network } from '../layers.ts';
import { buildImported, nameFromFile } from './common.ts';
import { isMap, isScalar, isSeq, readYamlInput } from './yaml-input.ts';

const CONV_DIMS = ['C', 'M', 'K', 'N', 'P', 'Q', 'R', 'S', 'G'] as const;
const COEFFICIENTS = ['Wstride', 'Hstride', 'Wdilation', 'Hdilation'] as const;
const EXTENTS = ['W', 'H', 'Wpad', 'Hpad'] as const;
const IGNORED = new Set(['densities', 'bitwidths', 'version', 'shape', 'instance']);

export function importTimeloop(path: string): Network {
  const { file, doc, lineOf, deref } = readYamlInput(path);
  const problem = isMap(doc.contents) ? deref(doc.contents.get('problem', true)) : undefined;
  if (!isMap(problem)) return die('expected a Timeloop problem: a mapping with a "problem:" key', file, `line ${lineOf(doc.contents as Node)}`);
  const instanceAt = problem.get('instance', true) as Node | undefined;
  const instanceNode = deref(instanceAt);
  if (instanceNode !== undefined && !isMap(instanceNode)) return die('"instance" must be a mapping of dimension sizes', file, `line ${lineOf(instanceAt)}`);
  // v0.3+: sizes under problem.instance; v0.2: directly under problem.
  const sizes = instanceNode ?? problem;
  const shape = deref(problem.get('shape', true)) as Node | undefined;
  const shapeName = isScalar(shape) ? String(shape.value) : isMap(shape) ? String(shape.get('name') ?? '') : '';

  const values = new Map<string, { value: number; line: number }>();
  for (const pair of sizes.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (IGNORED.has(key)) continue;
    const node = deref(pair.value) as Node | null | undefined;
    const line = lineOf((pair.value as Node | null) ?? (pair.key as Node));
    const at = `line ${line}: ${key}`;
    const known = (CONV_DIMS as readonly string[]).includes(key) || (COEFFICIENTS as readonly string[]).includes(key) || (EXTENTS as readonly string[]).includes(key);
    const raw = isScalar(node) ? node.value : isSeq(node) ? 'a sequence' : isMap(node) ? 'a mapping' : null;
    const min = key.endsWith('pad') ? 0 : 1;
    if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min) die(`must be an integer >= ${min}, got ${JSON.stringify(raw)}`, file, at);
    if (!known && raw !== 1) die(`unknown dimension "${key}" of size ${raw} (quantsim reads ${[...CONV_DIMS, ...COEFFICIENTS, ...EXTENTS].join(', ')})`, file, at);
    values.set(key, { value: raw as number, line });
  }
  const get = (k: string, d: number) => values.get(k)?.value ?? d;
  const lineAt = (k: string) => values.get(k)?.line ?? lineOf(sizes);

  const isGemm = /gemm|matmul/i.test(shapeName) || (!values.has('C') && values.has('K') && values.has('M'));
  let layer: LayerSpec;
  if (isGemm) {
    layer = { name: nameFromFile(path), kind: 'fc', P: get('M', 1), C: get('K', 1), M: get('N', 1) };
  } else {
    if (values.has('M') && values.has('K')) die('give the output channels as "M" or "K", not both', file, `line ${lineAt('K')}: K`);
    const G = get('G', 1);
    const C = get('C', 1) * G;
    const M = get(values.has('K') ? 'K' : 'M', 1) * G;
    const [P, Q, R, S] = [get('P', 1), get('Q', 1), get('R', 1), get('S', 1)];
    const fc = P === 1 && Q === 1 && R === 1 && S === 1 && !values.has('W') && !values.has('H');
    const depthwise = G > 1 && G === C && G === M;
    layer = {
      name: nameFromFile(path),
      kind: fc ? 'fc' : depthwise ? 'depthwise' : 'conv',
      N: get('N', 1),
      C,
      M,
      P,
      Q,
      ...(fc ? {} : { R, S, stride: [get('Wstride', 1), get('Hstride', 1)], dilation: [get('Wdilation', 1), get('Hdilation', 1)], padding: [get('Wpad', 0), get('Hpad', 0)] }),
      ...(values.has('W') ? { H: get('W', 1) } : {}),
      ...(values.has('H') ? { W: get('H', 1) } : {}),
      ...(G > 1 ? { groups: G } : {}),
    };
  }
  // makeNetwork's keys back to the Timeloop names the user wrote.
  const timeloopKey: Record<string, string> = isGemm
    ? { P: 'M', C: 'K', M: 'N' }
    : { H: 'W', W: 'H', P: 'P', Q: 'Q', R: 'R', S: 'S', C: 'C', M: values.has('K') ? 'K' : 'M', N: 'N', groups: 'G', stride: 'Wstride', dilation: 'Wdilation', padding: 'Wpad' };
  return buildImported(
    { name: nameFromFile(path), description: `Imported from Timeloop problem ${file}${shapeName ? ` (shape ${shapeName})` : ''}`, source: file, bias: false, layers: [layer] },
    file,
    (_i, key) => {
      const k = key === undefined ? undefined : timeloopKey[key];
      return k === undefined ? `line ${lineOf(sizes)}` : `line ${lineAt(k)}: ${k}`;
    },
  );
}
