/**
 * Traces: the tensors a data-dependent scheme reads. Layouts follow PyTorch (NumPy `np.save`
 * of a torch tensor works as-is): weights OIHW = [M, C/groups, R, S] (fc: [M, C]),
 * activations NCHW = [N, C, H, W] (fc: [N, C]), the *input* of the layer.
 * Loaders, writers and generators live in traces/; the engine only sees these types.
 */
export type DType = 'float32' | 'float16' | 'int8' | 'uint8' | 'int16' | 'int32';

export interface Tensor {
  readonly shape: readonly number[];
  /** Values as float32 whatever the stored dtype (float16 is widened on load). */
  readonly data: Float32Array;
  readonly dtype: DType;
}

export interface LayerTrace {
  readonly layer: string;
  readonly weights?: Tensor;
  /** Input activations of the layer (a batch of N inputs, possibly a small slice). */
  readonly activations?: Tensor;
  /** Output activations, when recorded (used to check quantized outputs). */
  readonly outputs?: Tensor;
}

export type TraceSource = 'synthetic' | 'real';

export interface Trace {
  readonly network: string;
  readonly source: TraceSource;
  /** How it was made: generator name and parameters, or the model and inputs it came from. */
  readonly generator: string;
  /** The generator's parameters (synthetic) or capture settings (real), kept in the manifest. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  /** The folder it was loaded from, if any. */
  readonly dir?: string;
  readonly layers: ReadonlyMap<string, LayerTrace>;
}

export function tensorSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export type TensorRole = 'weights' | 'activations' | 'outputs';

/**
 * Recipes of generated tensors: a string that decides the tensor's bytes (generator, parameters,
 * seed, layer, role), registered by the generator on the layer-trace object it made. Keys of the
 * on-disk cache take the recipe instead of hashing the bytes, so a warm run never draws a
 * synthetic tensor it does not read. A layer trace copied or rebuilt (an edited tensor) is another
 * object without a recipe and is hashed; editing a generated array in place is not detected.
 */
const recipes = new WeakMap<LayerTrace, Partial<Record<TensorRole, string>>>();

export function setTensorRecipe(layer: LayerTrace, role: TensorRole, recipe: string): void {
  recipes.set(layer, { ...recipes.get(layer), [role]: recipe });
}

export function tensorRecipe(layer: LayerTrace, role: TensorRole): string | undefined {
  return recipes.get(layer)?.[role];
}

/** A tensor of a layer trace, named without reading it (a lazily generated tensor stays undrawn). */
export interface TensorRef {
  readonly layer: LayerTrace;
  readonly role: TensorRole;
}

const derived = new WeakMap<object, Map<string, unknown>>();

/**
 * A value derived from a trace tensor (a calibration, a sensitivity mask, rounded weights),
 * computed once per tensor object and key. Trace tensors are shared by every run of a compare or a
 * sweep in one process, so data-dependent schemes pay their offline step once, as hardware would.
 * The key must name every parameter the value depends on.
 */
export function derivedFrom<T>(tensor: object, key: string, compute: () => T): T {
  let byKey = derived.get(tensor);
  if (!byKey) derived.set(tensor, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  byKey.set(key, value);
  return value;
}
