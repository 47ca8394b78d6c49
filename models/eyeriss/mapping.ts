/**
 * Row-stationary mapping of one layer onto the PE array (Chen et al., ISCA 2016 §V; JSSC 2017
 * §III-C). Pure functions: no components, no ledger, so DRQ and LightNN reuse the same mapping
 * with their own datapaths, and tests check the closed forms against an enumeration.
 *
 * Logical PE set: R filter rows × E output rows; PE (i, j) keeps filter row i stationary, receives
 * ifmap row j·stride + i·dilation (diagonal multicast) and accumulates output row j vertically.
 * Physical placement:
 *  - folding: R > array rows splits the filter rows into `rFolds` of `rh` rows (psums meet in the
 *    GLB); E > array cols splits the output rows into strips of `e` columns;
 *  - replication: the array holds r × t × s sets of rh × e PEs: r sets on different channel
 *    blocks (psums chained vertically), t sets on different filter blocks, s strips side by side.
 * Inside a PE: q channels interleaved (ifmap spad holds q·S), p filters (filter spad holds p·q·S,
 * psum spad p), n images reuse the same filters.
 * One *pass* processes n images × p·t filters × q·r channels × e·s output rows × rh filter rows.
 * Loop nest over passes, outer → inner: group, images, filter blocks, strips, channel blocks,
 * R folds. Psums of an output tile stay in the GLB across the channel blocks and R folds.
 * GLB residency (chosen per mapping, by capacity): the ifmap of one image block is either kept
 * for all filter blocks ("resident") or streamed per pass; filters are kept per group, per filter
 * block (reused across strips) or streamed per pass.
 * Choices the paper leaves open (n, p, q, r, t, s, e, residency, double buffering) are found by a
 * search over legal mappings that minimises the estimated energy × cycles (or energy, or cycles).
 */
export * from './mapping-types.ts';
export { ifmapRows, validPePairs } from './rs-geometry.ts';
export { countMapping, glbBits, dramBits } from './mapping-counts.ts';
export { searchMappings, MappingError } from './mapping-search.ts';
export { forEachPass, forEachPe, describeMapping } from './mapping-passes.ts';
