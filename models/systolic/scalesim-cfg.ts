/**
 * SCALE-Sim v2 config files (.cfg; scalesim/scale_config.py) → a validated quantsim arch config
 * for the systolic array: `systolic-int8` (8-bit words, as SCALE-Sim's 1-byte words) with the
 * config's array, SRAMs, dataflow and bandwidth. `--arch FILE.cfg` and `quantsim config import`
 * read them through this.
 *
 * Keys (case-insensitive, as configparser): [general] run_name; [architecture_presets]
 * ArrayHeight, ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, Dataflow (required),
 * Bandwidth (words per cycle; a list gives one per buffer and SCALE-Sim uses the first),
 * IfmapOffset, FilterOffset, OfmapOffset, MemoryBanks (addresses and banking of SCALE-Sim's trace
 * output: accepted, no effect on quantsim's model); [run_presets] InterfaceBandwidth (CALC: no
 * memory stalls, SCALE-Sim's compute cycles; USER: stalls against Bandwidth); [network_presets]
 * TopologyCsvLoc (ignored: give the topology with --network). Anything else is an error.
 */
import { basename, extname } from 'node:path';
import type { ArchConfig } from '../../sim/arch.ts';
import { loadArch } from '../../sim/arch.ts';
import { displayPath, validateAgainst } from '../../sim/config.ts';
import { die, isUserError } from '../../sim/errors.ts';
import { readInput } from '../../sim/import/common.ts';
import { parseIni, type IniSection } from '../../sim/import/ini.ts';
import { DATAFLOWS, type Dataflow } from './gemm-view.ts';
import { sramTooSmall, systolicParams } from './params.ts';

/** The shipped config a SCALE-Sim config refines: 8-bit operands like SCALE-Sim's 1-byte words. */
export const SCALESIM_BASE_ARCH = 'systolic-int8';
const WORD_BYTES = 1;

const ARCH = 'architecture_presets';
const KNOWN: Record<string, readonly string[]> = {
  general: ['run_name'],
  [ARCH]: ['ArrayHeight', 'ArrayWidth', 'IfmapSramSzkB', 'FilterSramSzkB', 'OfmapSramSzkB', 'IfmapOffset', 'FilterOffset', 'OfmapOffset', 'Dataflow', 'Bandwidth', 'MemoryBanks'],
  run_presets: ['InterfaceBandwidth'],
  network_presets: ['TopologyCsvLoc'],
};

/** Where each arch-config value came from, for errors the schema or the model report. */
const KEY_OF_PATH: Record<string, string> = {
  '/array/rows': 'ArrayHeight',
  '/array/cols': 'ArrayWidth',
  '/systolic/ifmapSramKib': 'IfmapSramSzkB',
  '/systolic/filterSramKib': 'FilterSramSzkB',
  '/systolic/ofmapSramKib': 'OfmapSramSzkB',
  '/systolic/dataflow': 'Dataflow',
  '/dram/bytesPerCycle': 'Bandwidth',
};

export function importScaleSimConfig(path: string): ArchConfig {
  const file = displayPath(path);
  const sections = parseIni(readInput(path), file);
  for (const s of sections.values()) {
    const known = KNOWN[s.name.toLowerCase()];
    if (!known) die(`unknown section [${s.name}] (known: ${Object.keys(KNOWN).map((k) => `[${k}]`).join(', ')})`, file, `line ${s.line}`);
    for (const e of s.entries.values()) {
      if (!known.some((k) => k.toLowerCase() === e.key.toLowerCase())) die(`unknown key "${e.key}" in [${s.name}] (known: ${known.join(', ')})`, file, `line ${e.line}`);
    }
  }
  const arch = sections.get(ARCH) ?? die(`missing section [${ARCH}]`, file);
  const where = (key: string) => `[${arch.name}] ${key}`;
  const raw = (s: IniSection, key: string) => s.entries.get(key.toLowerCase())?.value;
  const required = (key: string) => raw(arch, key) ?? die('missing', file, where(key));
  // SCALE-Sim reads sizes with Python's int(): whole numbers only.
  const int = (key: string, value = required(key)) => (/^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : die(`must be a whole number >= 1, got ${JSON.stringify(value)}`, file, where(key)));
  const dataflow = required('Dataflow');
  if (!DATAFLOWS.includes(dataflow as Dataflow)) die(`must be one of ${DATAFLOWS.join(', ')}, got ${JSON.stringify(dataflow)}`, file, where('Dataflow'));
  const runPresets = sections.get('run_presets');
  const mode = (runPresets && raw(runPresets, 'InterfaceBandwidth')) ?? 'CALC';
  if (mode !== 'CALC' && mode !== 'USER') die(`must be CALC or USER, got ${JSON.stringify(mode)}`, file, `[${runPresets!.name}] InterfaceBandwidth`);
  const bwText = raw(arch, 'Bandwidth');
  if (mode === 'USER' && bwText === undefined) die('missing (InterfaceBandwidth USER needs it)', file, where('Bandwidth'));
  const bandwidth = bwText === undefined ? undefined : int('Bandwidth', bwText.split(',')[0]!.trim());
  const general = sections.get('general');
  const base = loadArch(SCALESIM_BASE_ARCH).config;
  const { $schema: _schema, ...rest } = base as ArchConfig & { $schema?: string };
  const config: ArchConfig = {
    ...rest,
    name: (general && raw(general, 'run_name')) || basename(path, extname(path)),
    description: `Imported from SCALE-Sim config ${basename(path)}: ${SCALESIM_BASE_ARCH} with its array, SRAMs, dataflow and bandwidth (${mode === 'CALC' ? 'InterfaceBandwidth CALC: no memory stalls' : 'InterfaceBandwidth USER: stalls against the bandwidth'}).`,
    array: { rows: int('ArrayHeight'), cols: int('ArrayWidth') },
    systolic: {
      dataflow,
      ifmapSramKib: int('IfmapSramSzkB'),
      filterSramKib: int('FilterSramSzkB'),
      ofmapSramKib: int('OfmapSramSzkB'),
      memoryStalls: mode === 'USER',
    },
    dram: { ...base.dram, ...(bandwidth !== undefined ? { bytesPerCycle: bandwidth * WORD_BYTES } : {}) },
  };
  try {
    validateAgainst('arch', config, file);
  } catch (e) {
    if (isUserError(e) && e.jsonPath && KEY_OF_PATH[e.jsonPath]) die(e.message.slice(e.message.lastIndexOf(': ') + 2), file, where(KEY_OF_PATH[e.jsonPath]!));
    throw e;
  }
  const small = sramTooSmall(config, systolicParams(config, file));
  if (small) die(small.message, file, where(KEY_OF_PATH[`/systolic/${small.sram}SramKib`]!));
  return config;
}
