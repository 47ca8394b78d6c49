/**
 * Architecture configs: the validated, frozen JSON of configs/arch/*.json.
 * Scheme-specific sections (dnateq, drq, lightnn, …) are typed by their own models.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { freeze } from 'immer';
import { loadConfig, resolveConfigRef, displayPath } from './config.ts';
import { die } from './errors.ts';
import { refuseForeignArch } from './import/arch-formats.ts';

export interface DatapathSpec {
  arithmetic?: 'int' | 'fp16' | 'fp32';
  weightBits: number;
  activationBits: number;
  accumulatorBits?: number;
  psumBits?: number;
  /** Zero input activations gate the MAC and the weight read (no cycles saved): docs/eyeriss.md. */
  skipZeroActivations?: boolean;
}

/** Width of partial sums: `psumBits`, else the accumulator's, else 32. */
export function psumBitsOf(d: DatapathSpec): number {
  return d.psumBits ?? d.accumulatorBits ?? 32;
}

export interface ArchConfig {
  readonly name: string;
  readonly scheme: string;
  readonly description?: string;
  readonly costs?: string;
  readonly clockMHz: number;
  readonly datapath: DatapathSpec;
  readonly array: { rows: number; cols: number };
  readonly pe?: { ifmapSpadEntries?: number; filterSpadEntries?: number; psumSpadEntries?: number; macsPerCycle?: number };
  readonly globalBuffer: { kib: number; banks?: number; wordBits?: number; bytesPerCycle?: number };
  readonly noc?: { bitsPerCycle?: number; psumBitsPerCycle?: number; hopMm?: number; neighborMm?: number };
  readonly dram: { bytesPerCycle: number; latencyCycles?: number; technology?: DramTechnology };
  readonly [section: string]: unknown;
}

export interface Arch {
  readonly config: ArchConfig;
  /** The file it came from, as users see it. */
  readonly file: string;
  /** The cost table it names (absolute path), or the default. */
  readonly costsFile: string;
}

import { DEFAULT_COSTS } from './paths.ts';

export { DEFAULT_COSTS };

export type DramTechnology = 'ddr3' | 'lpddr4' | 'hbm2';
/** The mobile DRAM an Eyeriss-class edge accelerator is built beside (docs/costs.md). */
export const DEFAULT_DRAM_TECHNOLOGY: DramTechnology = 'lpddr4';

/** The DRAM technology a config uses (its energy per bit is cost class `dram_<technology>`). */
export function dramTechnology(config: ArchConfig): DramTechnology {
  return config.dram.technology ?? DEFAULT_DRAM_TECHNOLOGY;
}

/** Readers of other tools' config formats, by file extension (`cfg`: SCALE-Sim), registered by models/registry.ts. */
const IMPORTERS = new Map<string, (file: string) => ArchConfig>();

export function registerArchImporter(extension: string, read: (file: string) => ArchConfig): void {
  IMPORTERS.set(extension.toLowerCase(), read);
}

/** Load an arch config by name (`eyeriss-int8`) or path (JSON, or a format with a registered importer), validated and frozen. */
export function loadArch(ref: string): Arch {
  const ext = /\.([A-Za-z]+)$/.exec(ref)?.[1]?.toLowerCase();
  const importer = ext && ext !== 'json' ? IMPORTERS.get(ext) : undefined;
  if (importer) return { config: freeze(importer(ref), true), file: displayPath(ref), costsFile: DEFAULT_COSTS };
  refuseForeignArch(ref);
  const file = resolveConfigRef(ref, 'arch');
  const config = loadConfig<ArchConfig>(file, 'arch');
  checkArch(config, displayPath(file));
  const costsFile = config.costs ? resolve(dirname(resolve(file)), config.costs) : DEFAULT_COSTS;
  if (config.costs && !existsSync(costsFile)) die(`names cost table ${displayPath(costsFile)}, which does not exist`, displayPath(file), '/costs');
  return { config, file: displayPath(file), costsFile };
}

/** Checks the schema cannot express (relations between fields); one line naming file and JSON path. */
export function checkArch(config: ArchConfig, file: string | undefined): void {
  const link = config.noc?.psumBitsPerCycle;
  const psum = psumBitsOf(config.datapath);
  if (link !== undefined && link < psum) die(`psum link of ${link} bits per cycle is narrower than one ${psum}-bit psum`, file, '/noc/psumBitsPerCycle');
}

/** Wrap an in-memory config (library users, sweeps) as an Arch. */
export function archFromConfig(config: ArchConfig, file = '<memory>', costsFile = DEFAULT_COSTS): Arch {
  return { config, file, costsFile };
}
