/**
 * Which fields of a config a design reads: a deep copy of the config behind proxies that record
 * the JSON pointer of every property read. A sweep axis whose path the design never reads while
 * it is built and simulated cannot change its result (sweep sanity, sim/sweep-sanity.ts).
 * Enumerating an object (spread, Object.keys, JSON.stringify) reads every field under it.
 */
export function trackReads<T extends object>(config: T): { config: T; reads: Set<string> } {
  const reads = new Set<string>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return v;
        const p = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        reads.add(p);
        return wrap(v, p);
      },
    });
  };
  return { config: wrap(structuredClone(config), '') as T, reads };
}

/** Whether a design that read `reads` can see a change at `path`: it read the path itself or a field under it. */
export function pathRead(reads: ReadonlySet<string>, path: string): boolean {
  for (const r of reads) if (r === path || r.startsWith(`${path}/`)) return true;
  return false;
}
