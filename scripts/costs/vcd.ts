/**
 * Toggle counts from a VCD file: per signal bit, the 0↔1 transitions at or after `fromTime`
 * (earlier changes, and any change to or from x/z, are initialisation, not switching). Only
 * the variables declared directly in `scope` (dot path, e.g. "tb.dut") are kept.
 */

export interface ToggleCounts {
  /** "name" for 1-bit signals, "name[i]" for bit i of a vector. */
  toggles: Map<string, number>;
  /** Last timestamp in the file. */
  endTime: number;
}

interface VcdVar {
  name: string;
  width: number;
  /** Smallest and largest index of "[a:b]" (0 for a scalar). */
  lo: number;
  hi: number;
  /** "[msb:lsb]" with msb ≥ lsb (the usual order): the rightmost digit is index lo. */
  msbFirst: boolean;
  ranged: boolean;
}

export function countToggles(text: string, scope: string, fromTime = 0): ToggleCounts {
  const vars = new Map<string, VcdVar[]>();
  const path: string[] = [];
  const tokens = text.split(/\s+/);
  let i = 0;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '$scope') {
      path.push(tokens[i + 2]!);
      i += 3;
    } else if (t === '$upscope') {
      path.pop();
      i += 1;
    } else if (t === '$var') {
      // $var wire 8 ! p [7:0] $end   |   $var wire 1 # clk $end
      const width = Number(tokens[i + 2]);
      const id = tokens[i + 3]!;
      const name = tokens[i + 4]!;
      let j = i + 5;
      let lo = 0;
      let hi = 0;
      let msbFirst = true;
      let ranged = false;
      if (tokens[j] !== '$end') {
        const r = /^\[(\d+)(?::(\d+))?\]$/.exec(tokens[j]!);
        if (r) {
          const a = Number(r[1]);
          const b = r[2] === undefined ? a : Number(r[2]);
          msbFirst = a >= b;
          lo = Math.min(a, b);
          hi = Math.max(a, b);
          ranged = true;
        }
        while (tokens[j] !== '$end') j++;
      }
      if (path.join('.') === scope) {
        const list = vars.get(id) ?? [];
        list.push({ name, width, lo, hi, msbFirst, ranged });
        vars.set(id, list);
      }
      i = j;
    } else if (t === '$enddefinitions') {
      i += 2;
      break;
    }
  }
  const state = new Map<string, string>();
  const toggles = new Map<string, number>();
  for (const list of vars.values()) for (const v of list) for (let b = 0; b < v.width; b++) toggles.set(bitName(v, b), 0);
  let time = 0;
  const apply = (id: string, value: string) => {
    const list = vars.get(id);
    if (!list) return;
    const width = list[0]!.width;
    // Left-extend a short vector value as VCD says: with 0, or with x/z when that is the top digit.
    const pad = value[0] === 'x' || value[0] === 'z' ? value[0] : '0';
    const full = value.length >= width ? value.slice(value.length - width) : pad.repeat(width - value.length) + value;
    const prev = state.get(id);
    state.set(id, full);
    if (prev === undefined || time < fromTime) return;
    for (let k = 0; k < width; k++) {
      const a = prev[k]!;
      const c = full[k]!;
      if (a === c || (a !== '0' && a !== '1') || (c !== '0' && c !== '1')) continue;
      // full[k] is bit (width-1-k) counted from the least significant end.
      const b = width - 1 - k;
      for (const v of list) {
        const n = bitName(v, b);
        toggles.set(n, toggles.get(n)! + 1);
      }
    }
  };
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '') continue;
    const c = t[0]!;
    if (c === '#') time = Number(t.slice(1));
    else if (c === 'b' || c === 'B' || c === 'r' || c === 'R') {
      if (c === 'b' || c === 'B') apply(tokens[i + 1]!, t.slice(1).toLowerCase());
      i++;
    } else if (c === '0' || c === '1' || c === 'x' || c === 'X' || c === 'z' || c === 'Z') apply(t.slice(1), c.toLowerCase());
  }
  return { toggles, endTime: time };
}

/** Bit `b` counted from the rightmost digit of the value. */
function bitName(v: VcdVar, b: number): string {
  if (!v.ranged) return v.width === 1 ? v.name : `${v.name}[${b}]`;
  return `${v.name}[${v.msbFirst ? v.lo + b : v.hi - b}]`;
}
