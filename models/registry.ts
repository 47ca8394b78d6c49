/**
 * The scheme registry: the one place that names schemes. Adding a scheme = one folder under
 * models/, one line here, one arch config, one test file.
 */
import type { Scheme } from '../sim/scheme.ts';
import { registerArchImporter } from '../sim/arch.ts';
import { importScaleSimConfig } from './systolic/scalesim-cfg.ts';
import { eyeriss } from './eyeriss/index.ts';
import { dnateq } from './dnateq/index.ts';
import { lightnn } from './lightnn/index.ts';
import { geng, settle } from './fixedpoint/index.ts';
import { drq } from './drq/index.ts';
import { olaccel } from './olaccel/index.ts';
import { systolic } from './systolic/index.ts';
import { systolicDrq, systolicGeng, systolicLightnn, systolicSettle } from './systolic/schemes.ts';

export const SCHEMES: Readonly<Record<string, Scheme>> = Object.freeze({
  eyeriss,
  dnateq,
  lightnn,
  geng,
  settle,
  drq,
  olaccel,
  systolic,
  'systolic-lightnn': systolicLightnn,
  'systolic-geng': systolicGeng,
  'systolic-settle': systolicSettle,
  'systolic-drq': systolicDrq,
});

/** Other tools' arch configs that `--arch FILE` reads: SCALE-Sim v2 .cfg files describe a systolic array. */
registerArchImporter('cfg', importScaleSimConfig);
