import { buildFaceRecognitionTrace } from './traces/real/face-recognition-trace.ts';
import { checkTraceShapes, outputMismatch } from './traces/real/check.ts';
import { traceFacts, factsRows } from './traces/real/stats.ts';
import { textTable } from './sim/report.ts';
import { loadNetwork } from './sim/workload.ts';
const t0 = performance.now();
const r = await buildFaceRecognitionTrace({ images: 1, log: (s) => console.log(s) });
console.log('built', performance.now() - t0, r.faces.length, r.maxDescriptorDiff);
const net = loadNetwork('face-recognition');
console.log('batch', checkTraceShapes(r.trace, net));
for (const lt of r.trace.layers.values()) {
  const l = net.layers.find((x) => x.name === lt.layer)!;
  const e = outputMismatch(lt, l, r.biases.get(lt.layer), 200);
  if (e > 1e-5) console.log('MISMATCH', lt.layer, e);
}
console.log('checked', performance.now() - t0);
const f = factsRows(traceFacts(r.trace));
console.log(textTable(f.header, f.rows));
