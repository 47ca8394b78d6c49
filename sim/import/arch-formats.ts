/**
 * `--arch` reads quantsim's JSON arch configs. Other files users bring (Timeloop/Accelergy YAML, an
 * ERT, a Timeloop problem) get one line saying what quantsim reads and where that file belongs.
 * SCALE-Sim `.cfg` files are left to their own reader.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { die } from '../errors.ts';
import { displayPath } from '../config.ts';

const READS = 'quantsim reads arch configs as JSON (configs/schema/arch.schema.json; start from configs/arch/eyeriss-int8.json and set array, globalBuffer, noc, dram, datapath)';

/** What a YAML file is, from its top-level keys. */
function yamlKind(file: string): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8').slice(0, 65536);
  } catch {
    return 'a YAML file';
  }
  const has = (key: string) => new RegExp(`^${key}\\s*:`, 'm').test(text);
  if (has('ERT') || has('ART')) return 'an Accelergy ERT/ART (give it to --costs, docs/accelergy.md)';
  if (has('problem')) return 'a Timeloop problem (give it to --network)';
  if (has('architecture')) return 'a Timeloop/Accelergy architecture YAML (not read: copy its sizes into a JSON arch config)';
  return 'a YAML file';
}

/** Refuse an `--arch` that is not JSON (nor SCALE-Sim .cfg), with what to do instead. */
export function refuseForeignArch(ref: string): void {
  const ext = extname(ref).toLowerCase();
  if (ext === '' || ext === '.json' || ext === '.cfg') return;
  const kind = ext === '.yaml' || ext === '.yml' ? yamlKind(ref) : `a ${ext} file`;
  die(`${kind} is not an arch config: ${READS}`, displayPath(ref));
}
