/**
 * A mapping's passes in loop order and the PEs that work in each (what the replay, the reference
 * mode and data-dependent datapaths walk), and the mapping as reported.
 */
import type { PassShape, PeWork, RsMapping } from './mapping-types.ts';
import { cdiv, ifmapRows, validPePairs, newRowsOfStrip, activeSets } from './rs-geometry.ts';

/**
 * Visit every pass in loop order (group, images, filter blocks, strips, channel blocks, R folds)
 * with its per-pass quantities. The object passed to `visit` is reused: copy what you keep.
 */
export function forEachPass(m: RsMapping, visit: (p: PassShape) => void): void {
  const sh = m.shape;
  const hw = m.hw;
  const { n, p, q, r, t, s, e, rh, ifmapResident, filterReuse } = m.params;
  const mBlk = p * t;
  const cBlk = q * r;
  const eBlk = e * s;
  const { NB, MB, EB, CB, RF } = m.loops;
  // Per-(strip, fold) row counts do not depend on the outer loops: compute once.
  const rows = new Float64Array(EB * RF);
  const pairs = new Float64Array(EB * RF);
  const newRows = new Float64Array(EB);
  for (let eb = 0; eb < EB; eb++) {
    const e0 = eb * eBlk;
    const eLen = Math.min(eBlk, sh.P - e0);
    newRows[eb] = newRowsOfStrip(sh, e0, eLen);
    for (let rf = 0; rf < RF; rf++) {
      const r0 = rf * rh;
      const rLen = Math.min(rh, sh.R - r0);
      rows[eb * RF + rf] = ifmapRows(sh, e0, eLen, r0, rLen);
      pairs[eb * RF + rf] = validPePairs(sh, e0, eLen, r0, rLen);
    }
  }
  const stationary = CB * RF === 1;
  const ps = {} as PassShape;
  let index = 0;
  for (let g = 0; g < sh.G; g++) {
    for (let nb = 0; nb < NB; nb++) {
      const n0 = nb * n;
      const nLen = Math.min(n, sh.N - n0);
      for (let mb = 0; mb < MB; mb++) {
        const m0 = mb * mBlk;
        const mLen = Math.min(mBlk, sh.Mg - m0);
        const pePerFilters = cdiv(mLen, t);
        for (let eb = 0; eb < EB; eb++) {
          const e0 = eb * eBlk;
          const eLen = Math.min(eBlk, sh.P - e0);
          for (let cb = 0; cb < CB; cb++) {
            const c0 = cb * cBlk;
            const cLen = Math.min(cBlk, sh.Cg - c0);
            const pePerChannels = cdiv(cLen, r);
            const rAct = activeSets(cLen, r);
            for (let rf = 0; rf < RF; rf++) {
              const r0 = rf * rh;
              const rLen = Math.min(rh, sh.R - r0);
              const outTile = nLen * mLen * eLen * sh.Q;
              const stay = stationary && (eb > 0 || (MB === 1 && nb > 0));
              const filterWords = stay ? 0 : mLen * cLen * rLen * sh.S;
              const ifmapWords = nLen * cLen * rows[eb * RF + rf]! * sh.W;
              ps.index = index++;
              ps.g = g;
              ps.n0 = n0;
              ps.m0 = m0;
              ps.c0 = c0;
              ps.e0 = e0;
              ps.r0 = r0;
              ps.nLen = nLen;
              ps.mLen = mLen;
              ps.cLen = cLen;
              ps.eLen = eLen;
              ps.rLen = rLen;
              ps.filtersStay = stay;
              ps.pePerFilters = pePerFilters;
              ps.pePerChannels = pePerChannels;
              ps.macs = outTile * cLen * rLen * sh.S;
              ps.computeCycles = nLen * pePerFilters * pePerChannels * sh.S * sh.Q * hw.cyclesPerMac;
              ps.filterWords = filterWords;
              ps.ifmapWords = ifmapWords;
              ps.psumInWords = cb === 0 && rf === 0 ? 0 : outTile;
              ps.psumOutWords = outTile;
              ps.neighborPsumWords = outTile * (rLen * rAct - 1);
              ps.filterSpadWrites = filterWords * eLen;
              ps.ifmapSpadWrites = nLen * cLen * sh.W * pairs[eb * RF + rf]! * activeSets(mLen, t);
              ps.dramIfmapWords = ifmapResident ? (mb === 0 && rf === 0 ? nLen * cLen * newRows[eb]! * sh.W : 0) : ifmapWords;
              ps.dramFilterWords =
                filterReuse === 'pass'
                  ? filterWords
                  : (filterReuse === 'block' && eb === 0 && (MB > 1 || nb === 0)) || (filterReuse === 'group' && eb === 0 && nb === 0)
                    ? mLen * cLen * rLen * sh.S
                    : 0;
              ps.dramOutputWords = cb === CB - 1 && rf === RF - 1 ? outTile : 0;
              visit(ps);
            }
          }
        }
      }
    }
  }
}

/** The mapping as reported per layer (`details.mapping`). */
export function describeMapping(m: RsMapping): Record<string, unknown> {
  const { n, p, q, r, t, s, e, rh, ifmapResident, filterReuse, glbDepth, spadDepth } = m.params;
  return {
    set: `${rh}×${e}`,
    n,
    p,
    q,
    r,
    t,
    s,
    foldsR: m.loops.RF,
    strips: m.loops.EB * s,
    activePes: m.activePes,
    passes: m.counts.passes,
    ifmapInGlb: ifmapResident ? 'resident' : 'streamed',
    filterInGlb: filterReuse === 'group' ? 'resident (group)' : filterReuse === 'block' ? 'per filter block' : 'streamed',
    glbDoubleBuffered: glbDepth === 2,
    filterSpadDoubleBuffered: spadDepth === 2,
    glbFootprintBytes: Math.ceil(m.glbFootprintBits / 8),
  };
}

/**
 * Visit the PEs that work in pass `ps`. Sets are placed column-major on a grid of
 * ⌊rows/rh⌋ × ⌊cols/e⌋ slots, channel sets first so that their psum chains are vertical.
 * The object passed to `visit` is reused.
 */
export function forEachPe(m: RsMapping, ps: PassShape, visit: (pe: PeWork) => void): void {
  const sh = m.shape;
  const { r, t, s, e, rh } = m.params;
  const setsV = Math.floor(m.hw.rows / rh);
  const pe = {} as PeWork;
  for (let si = 0; si < s; si++) {
    const sE0 = ps.e0 + si * e;
    const sLen = Math.min(e, ps.e0 + ps.eLen - sE0);
    if (sLen <= 0) continue;
    for (let ti = 0; ti < t; ti++) {
      const m0 = ps.m0 + ti * ps.pePerFilters;
      const m1 = Math.min(m0 + ps.pePerFilters, ps.m0 + ps.mLen);
      if (m1 <= m0) continue;
      for (let ri = 0; ri < r; ri++) {
        const c0 = ps.c0 + ri * ps.pePerChannels;
        const c1 = Math.min(c0 + ps.pePerChannels, ps.c0 + ps.cLen);
        if (c1 <= c0) continue;
        const k = ri + r * (ti + t * si);
        const v = k % setsV;
        const h = Math.floor(k / setsV);
        for (let j = 0; j < sLen; j++) {
          for (let i = 0; i < ps.rLen; i++) {
            pe.row = v * rh + i;
            pe.col = h * e + j;
            pe.rSet = ri;
            pe.tSet = ti;
            pe.sSet = si;
            pe.filterRow = ps.r0 + i;
            pe.outputRow = sE0 + j;
            pe.ifmapRow = pe.outputRow * sh.strideH + pe.filterRow * sh.dilationH - sh.padH;
            pe.n0 = ps.n0;
            pe.n1 = ps.n0 + ps.nLen;
            pe.m0 = m0;
            pe.m1 = m1;
            pe.c0 = c0;
            pe.c1 = c1;
            pe.macs = ps.nLen * (m1 - m0) * (c1 - c0) * sh.S * sh.Q;
            visit(pe);
          }
        }
      }
    }
  }
}
