/**
 * Layers with Timeloop-style dimensions (N C M P Q R S): N batch, C input channels, M output
 * channels, P×Q output rows×cols, R×S filter rows×cols. C and M are whole-layer channel counts;
 * with `groups` g each output channel sees C/g inputs (depthwise: g = C = M).
 */
import { die } from './errors.ts';

export type LayerKind = 'conv' | 'depthwise' | 'fc' | 'matmul' | 'add' | 'pool';

export interface Layer {
  readonly name: string;
  readonly kind: LayerKind;
  readonly N: number;
  readonly C: number;
  readonly M: number;
  readonly P: number;
  readonly Q: number;
  readonly R: number;
  readonly S: number;
  /** Input feature-map rows × cols (before padding). */
  readonly H: number;
  readonly W: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly groups: number;
  readonly bias: boolean;
  readonly relu: boolean;
  readonly inputs: readonly string[];
}

export interface Network {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly file: string;
  readonly layers: readonly Layer[];
}

/** Multiply-accumulates of one layer (0 for add and pool). */
export function macs(l: Layer): number {
  if (l.kind === 'add' || l.kind === 'pool') return 0;
  return l.N * l.M * l.P * l.Q * (l.C / l.groups) * l.R * l.S;
}

/** Weight elements (no bias). */
export function weightCount(l: Layer): number {
  if (l.kind === 'add' || l.kind === 'pool') return 0;
  return l.M * (l.C / l.groups) * l.R * l.S;
}

export function biasCount(l: Layer): number {
  return l.bias && l.kind !== 'add' && l.kind !== 'pool' && l.kind !== 'matmul' ? l.M : 0;
}

/** Input activation elements (unpadded). For add: both operands. For matmul: the left operand. */
export function inputCount(l: Layer): number {
  const one = l.N * l.C * l.H * l.W;
  return l.kind === 'add' ? 2 * one : one;
}

export function outputCount(l: Layer): number {
  return l.N * l.M * l.P * l.Q;
}

export function networkMacs(n: Network): number {
  return n.layers.reduce((s, l) => s + macs(l), 0);
}

export function parameterCount(n: Network): number {
  return n.layers.reduce((s, l) => s + (l.kind === 'matmul' ? 0 : weightCount(l) + biasCount(l)), 0);
}

type Pair = number | [number, number];
export interface LayerSpec {
  name: string;
  kind: LayerKind;
  N?: number;
  C?: number;
  M?: number;
  P?: number;
  Q?: number;
  R?: number;
  S?: number;
  H?: number;
  W?: number;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
  relu?: boolean;
  inputs?: string[];
}

export interface NetworkSpec {
  name: string;
  description?: string;
  source?: string;
  parameters?: number;
  bias?: boolean;
  layers: LayerSpec[];
}

const pair = (p: Pair | undefined, d: number): [number, number] => (p === undefined ? [d, d] : typeof p === 'number' ? [p, p] : p);

/** Normalize one layer spec: derive P/Q from H/W or H/W from P/Q, check the shape adds up. */
export function makeLayer(spec: LayerSpec, file = '', where = '', defaultBias = true, prev?: string): Layer {
  const fail = (msg: string, key?: string): never => die(msg, file || undefined, key ? `${where}/${key}` : where);
  const [strideH, strideW] = pair(spec.stride, 1);
  const [padH, padW] = pair(spec.padding, 0);
  const [dilationH, dilationW] = pair(spec.dilation, 1);
  if (strideH < 1 || strideW < 1) fail('must be >= 1', 'stride');
  if (dilationH < 1 || dilationW < 1) fail('must be >= 1', 'dilation');
  const kind = spec.kind;
  const N = spec.N ?? 1;
  const R = kind === 'fc' || kind === 'matmul' || kind === 'add' ? 1 : spec.R ?? fail('missing required key "R"');
  const S = kind === 'fc' || kind === 'matmul' || kind === 'add' ? 1 : spec.S ?? spec.R!;
  const C = spec.C ?? fail('missing required key "C"');
  const M = kind === 'add' || kind === 'pool' || kind === 'depthwise' ? spec.M ?? C : spec.M ?? fail('missing required key "M"');
  const groups = kind === 'depthwise' ? spec.groups ?? C : spec.groups ?? 1;
  if (kind === 'depthwise' && (groups !== C || M % C !== 0)) fail(`depthwise needs groups = C (${C}) and M a multiple of C, got groups ${groups}, M ${M}`);
  if (C % groups !== 0) fail(`C (${C}) must be divisible by groups (${groups})`, 'groups');
  if (M % groups !== 0) fail(`M (${M}) must be divisible by groups (${groups})`, 'groups');
  if ((kind === 'add' || kind === 'pool') && M !== C) fail(`${kind} layers keep the channel count: M must equal C`);
  const effR = dilationH * (R - 1) + 1;
  const effS = dilationW * (S - 1) + 1;
  let P = spec.P;
  let Q = spec.Q;
  let H = spec.H;
  let W = spec.W;
  if (kind === 'fc') {
    P = P ?? 1;
    Q = Q ?? 1;
    H = H ?? P;
    W = W ?? Q;
  } else if (kind === 'matmul' || kind === 'add') {
    P = P ?? H ?? fail('missing "P" (or "H")');
    // An elementwise add on a feature map is square unless told otherwise; a matmul's Q is its N.
    Q = Q ?? W ?? (kind === 'add' ? P : 1);
    H = H ?? P;
    W = W ?? Q;
  } else {
    if (H !== undefined) {
      const p = Math.floor((H + 2 * padH - effR) / strideH) + 1;
      if (p < 1) fail(`filter (${effR}) larger than padded input (${H + 2 * padH})`, 'R');
      if (P !== undefined && P !== p) fail(`P = ${P} does not match H ${H}, R ${R}, stride ${strideH}, padding ${padH} (gives ${p})`, 'P');
      P = p;
    }
    if (W !== undefined || H !== undefined) {
      const w = W ?? H!;
      const q = Math.floor((w + 2 * padW - effS) / strideW) + 1;
      if (q < 1) fail(`filter (${effS}) larger than padded input (${w + 2 * padW})`, 'S');
      if (Q !== undefined && Q !== q) fail(`Q = ${Q} does not match W ${w}, S ${S}, stride ${strideW}, padding ${padW} (gives ${q})`, 'Q');
      Q = q;
      W = w;
    }
    if (P === undefined) fail('missing "P" (or input "H")');
    Q = Q ?? P!;
    H = H ?? (P! - 1) * strideH + effR - 2 * padH;
    W = W ?? (Q - 1) * strideW + effS - 2 * padW;
    if (H < 1 || W < 1) fail('derived input size is < 1; give "H"/"W"');
  }
  const sizes = { N, C, M, P: P!, Q: Q!, R, S };
  for (const [k, v] of Object.entries(sizes)) if (!Number.isInteger(v) || v < 1) fail(`must be integer >= 1, got ${v}`, k);
  return Object.freeze({
    name: spec.name,
    kind,
    ...sizes,
    H: H!,
    W: W!,
    strideH,
    strideW,
    padH,
    padW,
    dilationH,
    dilationW,
    groups,
    bias: spec.bias ?? (kind === 'add' || kind === 'pool' ? false : defaultBias),
    relu: spec.relu ?? false,
    inputs: Object.freeze(spec.inputs ?? (prev ? [prev] : [])),
  });
}

/** Validate a parsed network spec and build its layers. */
export function makeNetwork(spec: NetworkSpec, file = ''): Network {
  const names = new Set<string>();
  const layers: Layer[] = [];
  spec.layers.forEach((ls, i) => {
    const where = `/layers/${i}`;
    if (names.has(ls.name)) die(`duplicate layer name "${ls.name}"`, file || undefined, `${where}/name`);
    for (const input of ls.inputs ?? []) {
      if (!names.has(input)) die(`input "${input}" is not an earlier layer`, file || undefined, `${where}/inputs`);
    }
    names.add(ls.name);
    layers.push(makeLayer(ls, file, where, spec.bias ?? true, layers[layers.length - 1]?.name));
  });
  const net: Network = Object.freeze({
    name: spec.name,
    description: spec.description ?? '',
    source: spec.source ?? '',
    file,
    layers: Object.freeze(layers),
  });
  if (spec.parameters !== undefined) {
    const got = parameterCount(net);
    if (got !== spec.parameters) die(`layers have ${got} parameters but "parameters" says ${spec.parameters}`, file || undefined, '/parameters');
  }
  return net;
}
