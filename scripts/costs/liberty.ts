/**
 * The parts of a Liberty (.lib) file that gate-level energy needs: per cell its area, leakage,
 * input pin capacitances, output functions, flip-flop behaviour, internal-power tables and a
 * nominal delay; per library the voltage, units and default wire-load model. A small generic
 * group/attribute parser (Liberty is `name (args) { … }` groups and `attr : value ;` lines),
 * then a reader that keeps only those facts.
 */

export interface LibGroup {
  type: string;
  args: string[];
  attrs: Map<string, string>;
  /** Complex attributes `name (a, b, …);` such as index_1, values, fanout_length (in order). */
  complex: { name: string; values: string[] }[];
  groups: LibGroup[];
}

/** Parse Liberty text into its group tree (the top group is the `library`). */
export function parseLibertyGroups(text: string): LibGroup {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\\\r?\n/g, ' ');
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|([{}();:,])|([^\s{}();:,"]+))/y;
  const tokens: string[] = [];
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length && (m = re.exec(src))) tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  while (tokens.length && tokens[tokens.length - 1] === '') tokens.pop();
  let i = 0;
  const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1) : s);
  const root: LibGroup = { type: '', args: [], attrs: new Map(), complex: [], groups: [] };
  const stack = [root];
  while (i < tokens.length) {
    const name = tokens[i++]!;
    const top = stack[stack.length - 1]!;
    if (name === '}') {
      stack.pop();
      if (tokens[i] === ';') i++;
      continue;
    }
    if (name === ';') continue;
    if (tokens[i] === ':') {
      i++;
      const parts: string[] = [];
      while (i < tokens.length && tokens[i] !== ';' && tokens[i] !== '}') parts.push(unq(tokens[i++]!));
      if (tokens[i] === ';') i++;
      top.attrs.set(name, parts.join(' '));
      continue;
    }
    if (tokens[i] === '(') {
      i++;
      const args: string[] = [];
      while (i < tokens.length && tokens[i] !== ')') {
        const t = tokens[i++]!;
        if (t !== ',') args.push(unq(t));
      }
      i++;
      if (tokens[i] === '{') {
        i++;
        const g: LibGroup = { type: name, args, attrs: new Map(), complex: [], groups: [] };
        top.groups.push(g);
        stack.push(g);
      } else {
        if (tokens[i] === ';') i++;
        top.complex.push({ name, values: args });
      }
      continue;
    }
    throw new Error(`Liberty: unexpected token "${name}" near token ${i}`);
  }
  const lib = root.groups.find((g) => g.type === 'library');
  if (!lib) throw new Error('Liberty: no library group');
  return lib;
}

/** A 2-D (or 1-D) lookup table: values[i][j] at index1[i], index2[j]. */
export interface LutTable {
  index1: number[];
  index2: number[];
  values: number[][];
}

export interface LibPin {
  name: string;
  direction: 'input' | 'output' | 'inout' | 'internal';
  /** Input capacitance, fF (the library's capacitive_load_unit). */
  capacitanceFf: number;
  /** Boolean function of an output (Liberty syntax), if any. */
  fn?: string;
  /** Internal-power tables of this pin (energy per transition, in V·fF = fJ at nominal units). */
  power: { relatedPin?: string; rise?: LutTable; fall?: LutTable }[];
  /** cell_rise / cell_fall delay tables, ns, any related pin. */
  delay: LutTable[];
}

export interface LibCell {
  name: string;
  areaUm2: number;
  leakageNw: number;
  pins: Map<string, LibPin>;
  /** Flip-flop: state variable names, next_state and clocked_on expressions. */
  ff?: { q: string; qn: string; nextState: string; clockedOn: string; other: string[] };
}

export interface Liberty {
  name: string;
  voltageV: number;
  /** Wire capacitance per unit length and length by fanout of the default wire-load model. */
  wireLoad?: { name: string; capacitancePerLength: number; slope: number; fanoutLength: Map<number, number> };
  cells: Map<string, LibCell>;
}

const nums = (vs: string[]) => vs.join(',').split(',').map((s) => Number(s.trim())).filter((x) => !Number.isNaN(x));

function table(g: LibGroup): LutTable {
  const c = (n: string) => g.complex.find((x) => x.name === n)?.values ?? [];
  const index1 = nums(c('index_1'));
  const index2 = nums(c('index_2'));
  const rows = c('values').map((r) => nums([r]));
  return { index1, index2, values: rows };
}

/** Read the facts quantsim needs from a parsed library. */
export function readLiberty(text: string): Liberty {
  const lib = parseLibertyGroups(text);
  const voltageV = Number(lib.attrs.get('nom_voltage'));
  if (!(voltageV > 0)) throw new Error('Liberty: no nom_voltage');
  const cap = lib.complex.find((c) => c.name === 'capacitive_load_unit')?.values;
  if (!cap || Number(cap[0]) !== 1 || cap[1]?.toLowerCase() !== 'ff') throw new Error('Liberty: capacitive_load_unit must be (1,ff)');
  if (lib.attrs.get('leakage_power_unit') !== '1nW') throw new Error('Liberty: leakage_power_unit must be 1nW');
  const wlName = lib.attrs.get('default_wire_load');
  const wl = lib.groups.find((g) => g.type === 'wire_load' && g.args[0] === wlName);
  const cells = new Map<string, LibCell>();
  for (const g of lib.groups) {
    if (g.type !== 'cell') continue;
    const pins = new Map<string, LibPin>();
    for (const p of g.groups) {
      if (p.type !== 'pin') continue;
      const power = p.groups
        .filter((x) => x.type === 'internal_power')
        .map((x) => {
          const rise = x.groups.find((y) => y.type === 'rise_power');
          const fall = x.groups.find((y) => y.type === 'fall_power');
          return { relatedPin: x.attrs.get('related_pin'), ...(rise ? { rise: table(rise) } : {}), ...(fall ? { fall: table(fall) } : {}) };
        });
      const delay = p.groups.filter((x) => x.type === 'timing').flatMap((t) => t.groups.filter((y) => y.type === 'cell_rise' || y.type === 'cell_fall').map(table));
      const fn = p.attrs.get('function');
      pins.set(p.args[0]!, {
        name: p.args[0]!,
        direction: (p.attrs.get('direction') ?? 'input') as LibPin['direction'],
        capacitanceFf: Number(p.attrs.get('capacitance') ?? 0),
        ...(fn !== undefined ? { fn } : {}),
        power,
        delay,
      });
    }
    const ffg = g.groups.find((x) => x.type === 'ff');
    const ff = ffg && {
      q: ffg.args[0]!,
      qn: ffg.args[1]!,
      nextState: ffg.attrs.get('next_state') ?? '',
      clockedOn: ffg.attrs.get('clocked_on') ?? '',
      other: [...ffg.attrs.keys()].filter((k) => k !== 'next_state' && k !== 'clocked_on'),
    };
    cells.set(g.args[0]!, { name: g.args[0]!, areaUm2: Number(g.attrs.get('area')), leakageNw: Number(g.attrs.get('cell_leakage_power') ?? 0), pins, ...(ff ? { ff } : {}) });
  }
  return {
    name: lib.args[0] ?? '',
    voltageV,
    ...(wl
      ? {
          wireLoad: {
            name: wlName!,
            capacitancePerLength: Number(wl.attrs.get('capacitance')),
            slope: Number(wl.attrs.get('slope')),
            fanoutLength: new Map(wl.complex.filter((c) => c.name === 'fanout_length').map((c) => [Number(c.values[0]), Number(c.values[1])])),
          },
        }
      : {}),
    cells,
  };
}

/** Bilinear interpolation in a table (clamped to its edges); a 1-D table ignores `y`. */
export function lookup(t: LutTable, x: number, y: number): number {
  const seg = (idx: number[], v: number): [number, number, number] => {
    if (idx.length <= 1) return [0, 0, 0];
    let k = 0;
    while (k < idx.length - 2 && v > idx[k + 1]!) k++;
    const f = Math.min(1, Math.max(0, (v - idx[k]!) / (idx[k + 1]! - idx[k]!)));
    return [k, k + 1, f];
  };
  if (t.values.length === 1) {
    const [j0, j1, fy] = seg(t.index1, x);
    const row = t.values[0]!;
    return row[j0]! * (1 - fy) + row[j1]! * fy;
  }
  const [i0, i1, fx] = seg(t.index1, x);
  const [j0, j1, fy] = seg(t.index2, y);
  const v = (i: number, j: number) => t.values[i]![j] ?? t.values[i]![0]!;
  return (v(i0, j0) * (1 - fy) + v(i0, j1) * fy) * (1 - fx) + (v(i1, j0) * (1 - fy) + v(i1, j1) * fy) * fx;
}

/** Wire capacitance (fF) of a net with `fanout` sinks under the default wire-load model. */
export function wireCapacitanceFf(lib: Liberty, fanout: number): number {
  const w = lib.wireLoad;
  if (!w || fanout <= 0) return 0;
  const known = [...w.fanoutLength.keys()].sort((a, b) => a - b);
  let length: number;
  if (w.fanoutLength.has(fanout)) length = w.fanoutLength.get(fanout)!;
  else if (fanout > known[known.length - 1]!) {
    const last = known[known.length - 1]!;
    length = w.fanoutLength.get(last)! + (fanout - last) * w.slope;
  } else {
    // Between tabulated fanouts: linear between the neighbours.
    const lo = known.filter((k) => k < fanout).pop()!;
    const hi = known.find((k) => k > fanout)!;
    const a = w.fanoutLength.get(lo)!;
    const b = w.fanoutLength.get(hi)!;
    length = a + ((fanout - lo) / (hi - lo)) * (b - a);
  }
  return length * w.capacitancePerLength;
}
