/**
 * Workloads: the layer and network types (sim/layers.ts, re-exported here) and `loadNetwork`,
 * which reads any network reference — a shipped name, a generated size, a quantsim JSON file or
 * another tool's format through its importer (sim/import/). The importers and generated networks
 * depend on the layer types, never on this loader.
 */
import { die } from './errors.ts';
import { loadConfig, resolveConfigRef, displayPath } from './config.ts';
import { importScaleSim } from './import/scalesim.ts';
import { importTimeloop } from './import/timeloop.ts';
import { transformerBase } from './networks/transformer.ts';
import { makeNetwork, type Network, type NetworkSpec } from './layers.ts';

export * from './layers.ts';

/** Networks generated at a size given after `@` in the name (`transformer-base@256`). */
const GENERATED: Record<string, (size: number) => NetworkSpec> = { 'transformer-base': transformerBase };

/**
 * Load a network by name (configs/networks/NAME.json; `transformer-base@N` for other sequence
 * lengths) or by file path: `.json` quantsim network, `.csv` SCALE-Sim topology, `.yaml`/`.yml`
 * Timeloop problem.
 */
export function loadNetwork(ref: string): Network {
  if (/\.csv$/i.test(ref)) return importScaleSim(ref);
  if (/\.ya?ml$/i.test(ref)) return importTimeloop(ref);
  const at = /^([\w.-]+)@(.*)$/.exec(ref);
  if (at) {
    const make = GENERATED[at[1]!] ?? die(`"${at[1]}" takes no @size (sized networks: ${Object.keys(GENERATED).join(', ')})`);
    if (!/^\d+$/.test(at[2]!)) die(`${at[1]}@N: N must be a positive integer, got "${at[2]}"`);
    return makeNetwork(make(Number(at[2])));
  }
  const file = resolveConfigRef(ref, 'networks');
  const spec = loadConfig<NetworkSpec>(file, 'network');
  return makeNetwork(spec, displayPath(file));
}
