/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), so users bring tensors with `np.save`.
 * Spec: numpy/lib/format.py ("A Simple File Format for NumPy Arrays", NEP 1).
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, header length (uint16 LE in 1.0,
 * uint32 LE in 2.0/3.0), then a Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }` padded with spaces to a 64-byte boundary and ended by '\n', then the raw
 * data. Only little-endian, C-order arrays of the dtypes in `DType` are read; anything else is a
 * UserError naming the file.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { die, isUserError } from '../sim/errors.ts';
import { fileKind, writeFileAtomic } from '../sim/output.ts';
import { tensorSize, type DType, type Tensor } from '../sim/trace.ts';

export const DTYPES: readonly DType[] = ['float32', 'float16', 'int8', 'uint8', 'int16', 'int32'];

/** NumPy type string (`descr`) of each dtype, as NumPy writes it on a little-endian host. */
const DESCR: Record<DType, string> = { float32: '<f4', float16: '<f2', int8: '|i1', uint8: '|u1', int16: '<i2', int32: '<i4' };
const ITEM_BYTES: Record<DType, number> = { float32: 4, float16: 2, int8: 1, uint8: 1, int16: 2, int32: 4 };
/** Representable range of the integer dtypes (writes outside it are refused, not wrapped). */
const INT_RANGE: Partial<Record<DType, [number, number]>> = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [-2147483648, 2147483647] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('quantsim reads .npy data with typed arrays and needs a little-endian host');

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

/** Bytes per element of a dtype. */
export function itemBytes(dtype: DType): number {
  return ITEM_BYTES[dtype];
}

/** The stored values of an .npy file, without conversion. */
export interface NpyArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** float16 as its raw bit patterns (Uint16Array); every other dtype in its own typed array. */
  readonly values: Float32Array | Uint16Array | Int8Array | Uint8Array | Int16Array | Int32Array;
  /** Format version the file was written in (1, 2 or 3). */
  readonly version: number;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parse the header dict, a restricted Python literal: string keys, string/bool/int-tuple values. */
function parseHeaderDict(text: string, file: string | undefined): Header {
  let i = 0;
  const bad = (what: string): never => die(`malformed .npy header (${what}): ${JSON.stringify(text.trim().slice(0, 120))}`, file);
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) bad(`expected "${ch}" at offset ${i}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') return bad(`expected a string at offset ${i}`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) return bad('unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): string | boolean | number[] => {
    ws();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text[i] === "'" || text[i] === '"') return str();
    if (text[i] === '(') {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') return i++, dims;
        const m = /^\d+L?/.exec(text.slice(i));
        if (!m) return bad(`expected a dimension at offset ${i}`);
        dims.push(Number.parseInt(m[0], 10));
        i += m[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') bad(`expected "," or ")" at offset ${i}`);
      }
    }
    if (text[i] === '[') return die(`structured dtypes are not supported (descr is a list); save a plain numeric array`, file);
    return bad(`unexpected value at offset ${i}`);
  };
  const dict: Record<string, string | boolean | number[]> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    expect(':');
    dict[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') bad(`expected "," or "}" at offset ${i}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== 'string') return bad('no "descr" string');
  if (typeof fortranOrder !== 'boolean') return bad('no "fortran_order" flag');
  if (!Array.isArray(shape)) return bad('no "shape" tuple');
  return { descr, fortranOrder, shape };
}

function dtypeOfDescr(descr: string, file: string | undefined): DType {
  if (descr[0] === '>' && descr.slice(1) !== 'i1' && descr.slice(1) !== 'u1') {
    die(`big-endian data ("${descr}") is not supported; save with arr.astype(arr.dtype.newbyteorder("<"))`, file);
  }
  const code = descr.replace(/^[<>|=]/, '');
  const byCode: Record<string, DType> = { f4: 'float32', f2: 'float16', i1: 'int8', u1: 'uint8', i2: 'int16', i4: 'int32' };
  const dtype = byCode[code];
  if (!dtype) return die(`unsupported dtype "${descr}" (supported: ${DTYPES.join(', ')}); convert with arr.astype(np.float32)`, file);
  return dtype;
}

interface NpyLayout {
  dtype: DType;
  shape: number[];
  descr: string;
  major: number;
  /** Offset of the data, and the data bytes the shape needs. */
  dataStart: number;
  dataBytes: number;
}

/** Bytes before the header dict: magic, version, header length (10 in format 1.0, 12 after). */
const PREAMBLE_BYTES = 12;

/**
 * Parse magic, version and header from the first bytes of a file (all of them, or at least the
 * header); `fileBytes` is the file's size, checked against what the shape needs.
 */
function parseLayout(bytes: Uint8Array, fileBytes: number, file: string | undefined): NpyLayout {
  if (fileBytes < 10 || bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) die('not a NumPy .npy file (bad magic; expected "\\x93NUMPY")', file);
  const major = bytes[6]!;
  if (major < 1 || major > 3) die(`unsupported .npy format version ${major}.${bytes[7]} (supported: 1.0, 2.0, 3.0)`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) die('truncated .npy header', file);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > fileBytes || dataStart > bytes.length) die(`truncated .npy header: declares ${headerLen} bytes, file has ${fileBytes - 8 - lenBytes}`, file);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, dataStart));
  const h = parseHeaderDict(text, file);
  const dtype = dtypeOfDescr(h.descr, file);
  if (h.fortranOrder && h.shape.filter((d) => d > 1).length > 1) {
    die('Fortran-order (column-major) arrays are not supported; save np.ascontiguousarray(arr)', file);
  }
  const dataBytes = tensorSize(h.shape) * ITEM_BYTES[dtype];
  const have = fileBytes - dataStart;
  if (have < dataBytes) die(`truncated .npy data: shape (${h.shape.join(', ')}) of ${h.descr} needs ${dataBytes} bytes, file has ${have}`, file);
  if (have > dataBytes) die(`.npy header/shape mismatch: shape (${h.shape.join(', ')}) of ${h.descr} needs ${dataBytes} bytes, file has ${have}`, file);
  return { dtype, shape: h.shape, descr: h.descr, major, dataStart, dataBytes };
}

function valuesOf(dtype: DType, raw: ArrayBuffer): NpyArray['values'] {
  return dtype === 'float32' ? new Float32Array(raw)
    : dtype === 'float16' ? new Uint16Array(raw)
    : dtype === 'int8' ? new Int8Array(raw)
    : dtype === 'uint8' ? new Uint8Array(raw)
    : dtype === 'int16' ? new Int16Array(raw)
    : new Int32Array(raw);
}

/** Decode an .npy file's bytes into its stored values (no conversion). `file` only names errors. */
export function decodeNpy(bytes: Uint8Array, file?: string): NpyArray {
  const l = parseLayout(bytes, bytes.length, file);
  // Copy into a fresh, aligned buffer: the file's bytes may sit at any offset (and a Node
  // Buffer's slice() is a view into a shared pool, not a copy).
  const raw = new ArrayBuffer(l.dataBytes);
  new Uint8Array(raw).set(bytes.subarray(l.dataStart, l.dataStart + l.dataBytes));
  return { dtype: l.dtype, shape: Object.freeze([...l.shape]), values: valuesOf(l.dtype, raw), version: l.major };
}

/** Decode an .npy file into a Tensor: values widened to float32 (float16 exactly, int32 beyond 2^24 rounded). */
export function parseNpy(bytes: Uint8Array, file?: string): Tensor {
  return toTensor(decodeNpy(bytes, file));
}

function toTensor(a: NpyArray): Tensor {
  const data = a.values instanceof Float32Array ? a.values : a.dtype === 'float16' ? float16ToFloat32(a.values as Uint16Array) : Float32Array.from(a.values);
  return { shape: a.shape, data, dtype: a.dtype };
}

export interface ReadNpyOptions {
  /** The file must resolve (symlinks followed) to a path inside this folder (a trace folder). */
  within?: string;
}

/**
 * Read an .npy file into a Tensor (see `parseNpy`), bounded: only a regular file is read (a
 * symlink to /dev/zero or a FIFO is refused at once), and its size must be what the header's
 * shape needs before the data is read.
 */
export function readNpy(file: string, options: ReadNpyOptions = {}): Tensor {
  const fail = (e: unknown): never => die(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  if (options.within !== undefined) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (e) {
      return fail(e);
    }
    const root = realpathSync(options.within);
    if (real !== root && !real.startsWith(root + sep)) die(`resolves outside the trace folder (to ${real}); tensors must be files inside it`, file);
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fail(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) die(`is ${fileKind(st)}, not an .npy file`, file);
    const size = st.size;
    const read = (buf: Uint8Array, at: number) => {
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, at + off);
        if (n === 0) die(`file shrank while being read (${at + off} of ${size} bytes)`, file);
        off += n;
      }
    };
    const head = new Uint8Array(Math.min(size, PREAMBLE_BYTES));
    read(head, 0);
    const major = head[6];
    const lenBytes = major === 1 ? 2 : 4;
    const headerLen = head.length < 8 + lenBytes ? 0 : major === 1 ? head[8]! | (head[9]! << 8) : new DataView(head.buffer).getUint32(8, true);
    // Header first, checked against the file size, so nothing larger than the shape needs is read.
    const headerBytes = new Uint8Array(Math.min(size, 8 + lenBytes + headerLen));
    read(headerBytes, 0);
    const l = parseLayout(headerBytes, size, file);
    const raw = new ArrayBuffer(l.dataBytes);
    read(new Uint8Array(raw), l.dataStart);
    const a: NpyArray = { dtype: l.dtype, shape: Object.freeze([...l.shape]), values: valuesOf(l.dtype, raw), version: l.major };
    return toTensor(a);
  } catch (e) {
    if (isUserError(e)) throw e;
    return fail(e);
  } finally {
    closeSync(fd);
  }
}

/** Header bytes (magic through padding) for an array; version 1.0 unless the header needs 2.0. */
function encodeHeader(dtype: DType, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // NumPy pads so that magic + version + length + header is a multiple of 64, ending in '\n'.
  const pad = (prefix: number) => (64 - ((prefix + dict.length + 1) % 64)) % 64;
  const v1Len = dict.length + pad(10) + 1;
  const major = v1Len < 65536 ? 1 : 2;
  const prefix = major === 1 ? 10 : 12;
  const headerLen = dict.length + pad(prefix) + 1;
  const out = new Uint8Array(prefix + headerLen);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let k = 0; k < dict.length; k++) out[prefix + k] = dict.charCodeAt(k);
  out.fill(0x20, prefix + dict.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

/**
 * Encode float32 values as an .npy file of `dtype`. float16 rounds to nearest, ties to even
 * (as NumPy's astype); integer dtypes need integral values within range, else a UserError.
 */
export function encodeNpy(shape: readonly number[], data: Float32Array, dtype: DType, file?: string): Uint8Array {
  if (!isDType(dtype)) die(`unsupported dtype "${dtype}" (supported: ${DTYPES.join(', ')})`, file);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) die(`bad shape [${shape.join(', ')}]: dimensions must be integers >= 0`, file);
  if (tensorSize(shape) !== data.length) die(`shape [${shape.join(', ')}] has ${tensorSize(shape)} elements but the data has ${data.length}`, file);
  const header = encodeHeader(dtype, shape);
  const out = new Uint8Array(header.length + data.length * ITEM_BYTES[dtype]);
  out.set(header, 0);
  const body = out.buffer;
  const at = header.length; // a multiple of 64, so every typed view below is aligned
  if (dtype === 'float32') new Float32Array(body, at, data.length).set(data);
  else if (dtype === 'float16') float32ToFloat16(data, new Uint16Array(body, at, data.length));
  else {
    const [lo, hi] = INT_RANGE[dtype]!;
    for (let k = 0; k < data.length; k++) {
      const v = data[k]!;
      if (!Number.isInteger(v) || v < lo || v > hi) die(`value ${v} at index ${k} is not an integer in ${lo}..${hi}; cannot store as ${dtype}`, file);
    }
    const target =
      dtype === 'int8' ? new Int8Array(body, at, data.length)
      : dtype === 'uint8' ? new Uint8Array(body, at, data.length)
      : dtype === 'int16' ? new Int16Array(body, at, data.length)
      : new Int32Array(body, at, data.length);
    target.set(data);
  }
  return out;
}

/** Write a Tensor (or any shape + float32 data) as an .npy file of `dtype`, atomically. */
export function writeNpy(file: string, tensor: { shape: readonly number[]; data: Float32Array }, dtype: DType = 'float32'): void {
  writeFileAtomic(file, encodeNpy(tensor.shape, tensor.data, dtype, file));
}

let halfTable: Float32Array | undefined;

/** IEEE 754 binary16 bit patterns → float32 (exact), through a 65,536-entry table. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const sign = h & 0x8000 ? -1 : 1;
      const exp = (h >> 10) & 0x1f;
      const mant = h & 0x3ff;
      halfTable[h] = exp === 0 ? sign * mant * 2 ** -24 : exp === 31 ? (mant ? NaN : sign * Infinity) : sign * (1 + mant / 1024) * 2 ** (exp - 15);
    }
  }
  const out = new Float32Array(bits.length);
  for (let k = 0; k < bits.length; k++) out[k] = halfTable[bits[k]!]!;
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** One float32 → binary16 bit pattern, round to nearest even; overflow → ±Inf, NaN stays NaN. */
export function float32ToHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: value / 2^-24, i.e. the full significand shifted right by 14 - e.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    let h = full >>> shift;
    const rem = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to 0x7c00 = Inf: the right result.
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** float32 values → binary16 bit patterns (round to nearest even), into `out` if given. */
export function float32ToFloat16(data: Float32Array, out = new Uint16Array(data.length)): Uint16Array {
  for (let k = 0; k < data.length; k++) out[k] = float32ToHalfBits(data[k]!);
  return out;
}
