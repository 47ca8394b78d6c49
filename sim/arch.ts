/**
 * Architecture configs: the validated, frozen JSON of configs/arch/*.json.
 * Scheme-specific sections (dnateq, drq, lightnn, …) are typed by their own models.
 */
import { existsSync } from 'node:fs';
import { die } from './errors.ts';
import { dirname, resolve, join } from 'node:path';
import { loadConfig, resolveConfigRef, displayPath, CONFIG_DIR } from './config.ts';

export interface DatapathSpec {
  arithmetic?: 'int' | 'fp16' | 'fp32';
  weightBits: number;
  activationBits: number;
  accumulatorBits?: number;
  psumBits?: number;
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
  readonly noc?: { bitsPerCycle?: number; hopMm?: number };
  readonly dram: { bytesPerCycle: number; latencyCycles?: number };
  readonly [section: string]: unknown;
}

export interface Arch {
  readonly config: ArchConfig;
  /** The file it came from, as users see it. */
  readonly file: string;
  /** The cost table it names (absolute path), or the default. */
  readonly costsFile: string;
}

export const DEFAULT_COSTS = join(CONFIG_DIR, 'costs', '32nm.json');

/** Load an arch config by name (`eyeriss-int8`) or path, validated and frozen. */
export function loadArch(ref: string): Arch {
  const file = resolveConfigRef(ref, 'arch');
  const config = loadConfig<ArchConfig>(file, 'arch');
  const costsFile = config.costs ? resolve(dirname(resolve(file)), config.costs) : DEFAULT_COSTS;
  if (config.costs && !existsSync(costsFile)) die(`names cost table ${displayPath(costsFile)}, which does not exist`, displayPath(file), '/costs');
  return { config, file: displayPath(file), costsFile };
}

/** Wrap an in-memory config (library users, sweeps) as an Arch. */
export function archFromConfig(config: ArchConfig, file = '<memory>', costsFile = DEFAULT_COSTS): Arch {
  return { config, file, costsFile };
}
