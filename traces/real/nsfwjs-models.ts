/**
 * The three pretrained image classifiers inside the `nsfwjs` npm package (MIT), as JS modules
 * under `node_modules/nsfwjs/dist/models/`: each a tfjs model.json (`model.min.js`) and base64
 * weight shards (`group1-shardKofN.min.js`). Read here without tfjs (our manifest reader on the
 * decoded shards), and turned into a CnnGraph. Free of tfjs imports so names and configs load fast.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { die } from '../../sim/errors.ts';
import { displayPath, ROOT } from '../../sim/paths.ts';
import { decodeWeightGroups, type WeightsFile } from './face-api-weights.ts';
import type { CnnGraph } from './cnn-graph.ts';
import { NSFWJS_NETWORKS } from './defaults.ts';
import { kerasGraph } from './cnn-keras.ts';
import { tfGraph } from './cnn-tfgraph.ts';

export const NSFWJS_DIR = join(ROOT, 'node_modules/nsfwjs');
export const NSFWJS_VERSION = (JSON.parse(readFileSync(join(NSFWJS_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export interface NsfwjsModel {
  /** quantsim's name: the `--model` value and the network config (configs/networks/NAME.json). */
  readonly network: string;
  /** nsfwjs' model name (`load(name)`). */
  readonly nsfwjsName: 'MobileNetV2' | 'MobileNetV2Mid' | 'InceptionV3';
  /** Folder under dist/models/. */
  readonly dir: string;
  /** Side of the square input nsfwjs resizes every image to (its `size` option). */
  readonly size: number;
}

export const NSFWJS_MODELS: readonly NsfwjsModel[] = [
  { network: NSFWJS_NETWORKS[0], nsfwjsName: 'MobileNetV2', dir: 'mobilenet_v2', size: 224 },
  { network: NSFWJS_NETWORKS[1], nsfwjsName: 'MobileNetV2Mid', dir: 'mobilenet_v2_mid', size: 224 },
  { network: NSFWJS_NETWORKS[2], nsfwjsName: 'InceptionV3', dir: 'inception_v3', size: 299 },
];

/** nsfwjs' five classes in output order (dist/esm/nsfw_classes.js). */
export const NSFWJS_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

export function nsfwjsModel(network: string): NsfwjsModel {
  return NSFWJS_MODELS.find((m) => m.network === network) ?? die(`--model: unknown model "${network}" (known: ${NSFWJS_MODELS.map((m) => m.network).join(', ')})`);
}

export interface LoadedModel {
  readonly model: NsfwjsModel;
  /** Display path of the model.min.js the topology came from. */
  readonly file: string;
  readonly format: 'layers-model' | 'graph-model';
  readonly weights: WeightsFile;
  readonly graph: CnnGraph;
}

const cache = new Map<string, LoadedModel>();

/** Read a model's topology and weights from the package and build its graph (once per process). */
export function loadNsfwjsModel(network: string): LoadedModel {
  const model = nsfwjsModel(network);
  const hit = cache.get(model.network);
  if (hit) return hit;
  const dir = join(NSFWJS_DIR, 'dist/models', model.dir);
  const require = createRequire(join(dir, 'model.min.js'));
  const path = join(dir, 'model.min.js');
  const file = displayPath(path);
  // The bundles are UMD modules whose export is the model.json object / the shard as base64.
  const json = require(path) as { format?: string; modelTopology?: unknown; weightsManifest?: unknown };
  const weights = decodeWeightGroups(model.dir, json.weightsManifest, `${file} (weightsManifest)`, (shard) => {
    const p = join(dir, `${shard}.min.js`);
    const b64 = require(p) as unknown;
    if (typeof b64 !== 'string') return die(`weight bundle does not export a base64 string`, displayPath(p));
    return { name: displayPath(p), bytes: Buffer.from(b64, 'base64') };
  });
  const format = json.format === 'graph-model' ? 'graph-model' : 'layers-model';
  const graph = format === 'graph-model' ? tfGraph(json.modelTopology, weights, file) : kerasGraph(json.modelTopology, weights, file);
  const loaded = { model, file, format, weights, graph } as const;
  cache.set(model.network, loaded);
  return loaded;
}
