/**
 * Writes the shipped network JSONs of configs/networks/ that are regular enough to generate
 * (VGG-16, ResNet-50, MobileNet-v1, Transformer-base, the LightNN networks), one layer per line.
 * The JSON files are the source of truth; this script documents how they were made and can
 * rebuild them: `npx tsx scripts/make-networks.ts` (then `git diff configs/networks`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LayerSpec, NetworkSpec } from '../sim/workload.ts';
import { transformerBase } from '../sim/networks/transformer.ts';
import { CONFIG_DIR } from '../sim/config.ts';

/** One key per line at the top, one layer per line inside "layers" (like alexnet.json). */
export function formatNetwork(spec: NetworkSpec): string {
  const { layers, ...head } = spec;
  const top = Object.entries({ $schema: '../schema/network.schema.json', ...head }).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const layerLine = (l: LayerSpec) => `    { ${Object.entries(l).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v).replace(/,/g, ', ')}`).join(', ')} }`;
  return `{\n${top.join(',\n')},\n  "layers": [\n${layers.map(layerLine).join(',\n')}\n  ]\n}\n`;
}

function vgg16(): NetworkSpec {
  const layers: LayerSpec[] = [];
  let C = 3;
  let H = 224;
  [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]].forEach((block, b) => {
    block.forEach((M, i) => {
      layers.push({ name: `conv${b + 1}_${i + 1}`, kind: 'conv', C, M, H, R: 3, padding: 1, relu: true });
      C = M;
    });
    layers.push({ name: `pool${b + 1}`, kind: 'pool', C, H, R: 2, stride: 2 });
    H /= 2;
  });
  layers.push({ name: 'fc6', kind: 'fc', C: 512 * 7 * 7, M: 4096, relu: true });
  layers.push({ name: 'fc7', kind: 'fc', C: 4096, M: 4096, relu: true });
  layers.push({ name: 'fc8', kind: 'fc', C: 4096, M: 1000 });
  return {
    name: 'vgg16',
    description: 'VGG-16 (configuration D): 13 3×3 convolutions (padding 1) in 5 blocks with 2×2/2 max pooling, FC 25088→4096→4096→1000; 224×224 input. Parameters = weights + biases, as torchvision counts them (no BatchNorm in this variant).',
    source: 'Simonyan & Zisserman, ICLR 2015, Table 1 column D; parameter total as torchvision.models.vgg16 (138,357,544)',
    parameters: 138_357_544,
    layers,
  };
}

function resnet50(): NetworkSpec {
  const layers: LayerSpec[] = [];
  layers.push({ name: 'conv1', kind: 'conv', C: 3, M: 64, H: 224, R: 7, stride: 2, padding: 3, relu: true });
  layers.push({ name: 'maxpool', kind: 'pool', C: 64, H: 112, R: 3, stride: 2, padding: 1 });
  let C = 64;
  let H = 56;
  let x = 'maxpool';
  [[3, 64], [4, 128], [6, 256], [3, 512]].forEach(([blocks, width], s) => {
    for (let b = 0; b < blocks!; b++) {
      const p = `layer${s + 1}.${b}`;
      const stride = b === 0 && s > 0 ? 2 : 1;
      const M = width! * 4;
      layers.push({ name: `${p}.conv1`, kind: 'conv', C, M: width, H, R: 1, relu: true, inputs: [x] });
      // torchvision v1.5: the stride sits on the 3×3 conv, not on the first 1×1.
      layers.push({ name: `${p}.conv2`, kind: 'conv', C: width, M: width, H, R: 3, stride, padding: 1, relu: true });
      const Hout = H / stride;
      layers.push({ name: `${p}.conv3`, kind: 'conv', C: width, M, H: Hout, R: 1 });
      let shortcut = x;
      if (b === 0) {
        layers.push({ name: `${p}.downsample`, kind: 'conv', C, M, H, R: 1, stride, inputs: [x] });
        shortcut = `${p}.downsample`;
      }
      layers.push({ name: `${p}.add`, kind: 'add', C: M, P: Hout, Q: Hout, relu: true, inputs: [`${p}.conv3`, shortcut] });
      x = `${p}.add`;
      C = M;
      H = Hout;
    }
  });
  layers.push({ name: 'avgpool', kind: 'pool', C: 2048, H: 7, R: 7 });
  layers.push({ name: 'fc', kind: 'fc', C: 2048, M: 1000, bias: true });
  return {
    name: 'resnet50',
    description:
      'ResNet-50 v1.5 (torchvision): 7×7/2 stem, 3×3/2 max pool, 16 bottleneck blocks (3, 4, 6, 3) with the stride on the 3×3 conv, 4 projection shortcuts ' +
      '(layerN.0.downsample), 16 residual additions as add layers (inputs: conv3 and the shortcut; ReLU after the add), global average pool, FC 2048→1000. ' +
      '53 convolutions without bias + FC. Parameters checked = conv weights + FC weights and bias = 25,503,912; torchvision\'s 25,557,032 adds the ' +
      'BatchNorm γ and β of every conv output channel (2 × 26,560 = 53,120; running mean/var are buffers, not parameters).',
    source: 'He et al., CVPR 2016, Table 1 (50-layer); v1.5 stride placement and parameter total as torchvision.models.resnet50',
    parameters: 25_503_912,
    bias: false,
    layers,
  };
}

function mobilenetV1(): NetworkSpec {
  const layers: LayerSpec[] = [];
  layers.push({ name: 'conv1', kind: 'conv', C: 3, M: 32, H: 224, R: 3, stride: 2, padding: 1, relu: true });
  let C = 32;
  let H = 112;
  const plan: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  plan.forEach(([M, stride], i) => {
    layers.push({ name: `dw${i + 1}`, kind: 'depthwise', C, H, R: 3, stride, padding: 1, relu: true });
    H = Math.floor((H + 2 - 3) / stride) + 1;
    layers.push({ name: `pw${i + 1}`, kind: 'conv', C, M, H, R: 1, relu: true });
    C = M;
  });
  layers.push({ name: 'avgpool', kind: 'pool', C: 1024, H: 7, R: 7 });
  layers.push({ name: 'fc', kind: 'fc', C: 1024, M: 1000, bias: true });
  return {
    name: 'mobilenet-v1',
    description:
      'MobileNet-v1, width 1.0, 224×224: 3×3/2 conv, 13 depthwise-separable pairs (3×3 depthwise + 1×1 pointwise; the last depthwise has stride 1 at 7×7 as in ' +
      'the Keras/TF reference, the paper\'s table says s2), global average pool, FC 1024→1000. Convolutions have no bias (BatchNorm follows). ' +
      'Parameters checked = conv weights (864 + 44,640 depthwise + 3,139,584 pointwise) + FC weights and bias (1,025,000) = 4,210,088. Keras reports ' +
      '4,231,976 trainable = this + BatchNorm γ, β over 10,944 channels (21,888), and 4,253,864 total with the moving mean/variance (another 21,888).',
    source: 'Howard et al., arXiv:1704.04861, Table 1 (569 M mult-adds, 4.2 M parameters); parameter totals as keras.applications.MobileNet',
    parameters: 4_210_088,
    bias: false,
    layers,
  };
}

const fcNet = (sizes: number[]) =>
  sizes.slice(1).map((M, i): LayerSpec => ({ name: `fc${i + 1}`, kind: 'fc', C: sizes[i]!, M, relu: i < sizes.length - 2 }));

function lightnn(): NetworkSpec[] {
  const mnist1: NetworkSpec = {
    name: 'lightnn-mnist-1hidden',
    description: 'LightNN MNIST 1-hidden: 784→100→10 with biases: (784·100 + 100) + (100·10 + 10) = 78,500 + 1,010 = 79,510, the published count exactly.',
    source: 'Ding, Liu, Blanton, Marculescu, LightNN (GLSVLSI 2017): network list and parameter count; shapes derived from the count',
    parameters: 79_510,
    layers: fcNet([784, 100, 10]),
  };
  const mnist3: NetworkSpec = {
    name: 'lightnn-mnist-3hidden',
    description: 'LightNN MNIST 3-hidden: 784→4096→4096→4096→10 with biases: 3,215,360 + 2 × 16,781,312 + 40,970 = 36,818,954, the published count exactly (the BinaryConnect/BinaryNet MNIST MLP).',
    source: 'Ding et al., LightNN (GLSVLSI 2017); layer widths as in Courbariaux et al., BinaryNet (2016) MNIST MLP',
    parameters: 36_818_954,
    layers: fcNet([784, 4096, 4096, 4096, 10]),
  };
  const mnist2conv: NetworkSpec = {
    name: 'lightnn-mnist-2conv',
    description:
      'LightNN MNIST 2-conv: the Caffe LeNet shapes — conv 5×5 1→20 (28→24), 2×2/2 max pool, conv 5×5 20→50 (12→8), 2×2/2 max pool, FC 800→500, FC 500→10, ' +
      'all with biases: 520 + 25,050 + 400,500 + 5,010 = 431,080, the published count exactly. ReLU after every hidden layer (LightNN uses ReLU activations).',
    source: 'Ding et al., LightNN (GLSVLSI 2017) count; shapes of Caffe examples/mnist/lenet.prototxt (Jia et al., 2014)',
    parameters: 431_080,
    layers: [
      { name: 'conv1', kind: 'conv', C: 1, M: 20, H: 28, R: 5, relu: true },
      { name: 'pool1', kind: 'pool', C: 20, H: 24, R: 2, stride: 2 },
      { name: 'conv2', kind: 'conv', C: 20, M: 50, H: 12, R: 5, relu: true },
      { name: 'pool2', kind: 'pool', C: 50, H: 8, R: 2, stride: 2 },
      { name: 'fc1', kind: 'fc', C: 800, M: 500, relu: true },
      { name: 'fc2', kind: 'fc', C: 500, M: 10 },
    ],
  };
  const c6: LayerSpec[] = [];
  let C = 3;
  let H = 32;
  [[128, 128], [256, 256], [512, 512]].forEach((block, b) => {
    block.forEach((M, i) => {
      c6.push({ name: `conv${2 * b + i + 1}`, kind: 'conv', C, M, H, R: 3, padding: 1, relu: true });
      C = M;
    });
    if (b < 2) {
      c6.push({ name: `pool${b + 1}`, kind: 'pool', C, H, R: 2, stride: 2 });
      H /= 2;
    }
  });
  c6.push({ name: 'fc1', kind: 'fc', C: 512 * 8 * 8, M: 1024, relu: true }, { name: 'fc2', kind: 'fc', C: 1024, M: 1024, relu: true }, { name: 'fc3', kind: 'fc', C: 1024, M: 10 });
  const cifar6: NetworkSpec = {
    name: 'lightnn-cifar10-6conv',
    description:
      'LightNN CIFAR-10 6-conv: the BinaryConnect VGG-like trunk 2×128C3 – MP2 – 2×256C3 – MP2 – 2×512C3 (3×3, padding 1) then FC 32768→1024→1024→10, all ' +
      'with biases: conv 4,576,384 + FC 33,555,456 + 1,049,600 + 10,250 = 39,191,690, the published count exactly. The count fixes the flattened size at ' +
      '32,768 = 512×8×8, i.e. two 2×2 pools (BinaryConnect\'s third pool before the FC layers would give 14,022,016).',
    source: 'Ding et al., LightNN (GLSVLSI 2017) count; trunk of Courbariaux et al., BinaryConnect (NeurIPS 2015) CIFAR-10 network',
    parameters: 39_191_690,
    layers: c6,
  };
  const cifar3: NetworkSpec = {
    name: 'lightnn-cifar10-3conv',
    description:
      'LightNN CIFAR-10 3-conv: conv 5×5 3→96 (32→28), 2×2/2 max pool, conv 3×3 96→64 (14→12), 2×2/2 max pool, conv 3×3 64→32 (6→4), 2×2/2 max pool, ' +
      'FC 128→10, no biases: 7,200 + 55,296 + 18,432 + 1,280 = 82,208, the published count exactly. The count does not pin the shapes: ' +
      'scripts/lightnn-shapes.ts (3×3/5×5 kernels, same/valid padding, 2×2 or 3×3/2 pools, usual channel counts, FC to 10) finds 135 exact fits in 12 ' +
      'shape families, none with biases (the other four LightNN counts include biases; none with biases fits here even with any channel count that is a ' +
      'multiple of 4). This one is chosen because every conv is followed by a pool, as in the conventional 3-conv CIFAR-10 nets. MACs differ between fits.',
    source: 'Ding et al., LightNN (GLSVLSI 2017) count; shapes derived from the count (not published)',
    parameters: 82_208,
    bias: false,
    layers: [
      { name: 'conv1', kind: 'conv', C: 3, M: 96, H: 32, R: 5, relu: true },
      { name: 'pool1', kind: 'pool', C: 96, H: 28, R: 2, stride: 2 },
      { name: 'conv2', kind: 'conv', C: 96, M: 64, H: 14, R: 3, relu: true },
      { name: 'pool2', kind: 'pool', C: 64, H: 12, R: 2, stride: 2 },
      { name: 'conv3', kind: 'conv', C: 64, M: 32, H: 6, R: 3, relu: true },
      { name: 'pool3', kind: 'pool', C: 32, H: 4, R: 2, stride: 2 },
      { name: 'fc1', kind: 'fc', C: 128, M: 10 },
    ],
  };
  return [mnist1, mnist2conv, mnist3, cifar3, cifar6];
}

// Run as a script only (traces/real imports formatNetwork).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const specs = [vgg16(), resnet50(), mobilenetV1(), transformerBase(), ...lightnn()];
  for (const s of specs) writeFileSync(join(CONFIG_DIR, 'networks', `${s.name}.json`), formatNetwork(s));
  process.stdout.write(`wrote ${specs.map((s) => s.name).join(', ')}\n`);
}
