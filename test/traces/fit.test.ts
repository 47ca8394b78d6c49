import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { absHistogram, cdf, erf, fitDistributions, histogramRss, pdf, DISTRIBUTIONS, type Distribution } from '../../traces/fit.ts';

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≉ ${b} (±${tol})`);

function sample(distribution: Distribution, n: number, seed: string): Float32Array {
  const rng = seedrandom(seed);
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const u = rng();
    const sign = rng() < 0.5 ? -1 : 1; // fits look at |x|: the sign must not matter
    let a: number;
    if (distribution === 'exponential') a = -Math.log(1 - u) / 2;
    else if (distribution === 'uniform') a = 1 + 3 * u;
    else if (distribution === 'normal') a = 6 + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * rng());
    else a = 6 + (u < 0.5 ? Math.log(2 * u) : -Math.log(2 - 2 * u));
    out[k] = sign * a;
  }
  return out;
}

test('hand-computed: histogram of |x| without zeros, RSS of the exponential and uniform fits', () => {
  const v = [0.5, -0.5, 1.5, 2, 0];
  const r = fitDistributions(v, { bins: 2 });
  assert.is(r.histogram.count, 4);
  assert.is(r.histogram.zeros, 1);
  assert.is(r.histogram.maxAbs, 2);
  assert.equal(Array.from(r.histogram.probability), [0.5, 0.5]);
  const lambda = 1 / (4.5 / 4);
  const exp = r.fits.find((f) => f.distribution === 'exponential')!;
  near(exp.params.lambda!, lambda, 1e-12);
  near(exp.rss, (0.5 - (1 - Math.exp(-lambda))) ** 2 + (0.5 - (Math.exp(-lambda) - Math.exp(-2 * lambda))) ** 2, 1e-12);
  const uni = r.fits.find((f) => f.distribution === 'uniform')!;
  assert.equal(uni.params, { a: 0.5, b: 2 });
  near(uni.rss, (0.5 - 1 / 3) ** 2 + (0.5 - 2 / 3) ** 2, 1e-12);
  const normal = r.fits.find((f) => f.distribution === 'normal')!;
  near(normal.params.mu!, 1.125, 1e-12);
  near(normal.params.sigma!, Math.sqrt((0.625 ** 2 * 2 + 0.375 ** 2 + 0.875 ** 2) / 4), 1e-12);
});

test('each distribution is recognized from its own samples, with maximum-likelihood parameters', () => {
  for (const d of DISTRIBUTIONS) {
    const r = fitDistributions(sample(d, 20000, `fit-${d}`));
    assert.is(r.best, d, `${d}: ${r.fits.map((f) => `${f.distribution} ${f.rss.toExponential(2)}`).join(', ')}`);
  }
  near(fitDistributions(sample('exponential', 20000, 'e')).fits[0]!.params.lambda!, 2, 0.05, 'lambda');
  const lap = fitDistributions(sample('laplace', 20000, 'l')).fits.find((f) => f.distribution === 'laplace')!;
  near(lap.params.mu!, 6, 0.05, 'laplace mu');
  near(lap.params.b!, 1, 0.05, 'laplace b');
});

test('RSS is scale-free: multiplying a tensor by a constant does not change it', () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (scale) => {
      const x = sample('exponential', 2000, 'scale');
      const a = fitDistributions(x);
      const b = fitDistributions(x.map((v) => v * scale));
      for (let i = 0; i < a.fits.length; i++) near(a.fits[i]!.rss, b.fits[i]!.rss, 1e-6 + 1e-3 * a.fits[i]!.rss, a.fits[i]!.distribution);
    }),
    { seed: 7, numRuns: 20 },
  );
});

test('pdf integrates to the cdf; histogram probabilities sum to 1', () => {
  const fits = fitDistributions(sample('laplace', 5000, 'p')).fits;
  for (const f of fits) {
    const lo = f.distribution === 'uniform' ? f.params.a! + 0.01 : 0.3;
    const hi = lo + 1.7;
    let s = 0;
    const steps = 2000;
    for (let k = 0; k < steps; k++) s += pdf(f, lo + ((k + 0.5) * (hi - lo)) / steps) * ((hi - lo) / steps);
    near(s, cdf(f, hi) - cdf(f, lo), 1e-5, f.distribution);
  }
  const h = absHistogram(sample('normal', 3000, 'h'), 17);
  near(h.probability.reduce((a, b) => a + b, 0), 1, 1e-12);
  assert.is(h.bins, 17);
});

test('erf matches tabulated values to 1.5e-7', () => {
  near(erf(0), 0, 1e-9);
  near(erf(0.5), 0.5204998778, 1.5e-7);
  near(erf(1), 0.8427007929, 1.5e-7);
  near(erf(-2), -0.995322265, 1.5e-7);
});

test('all zeros, NaN and Inf are left out; no values gives no fit', () => {
  const r = fitDistributions([0, 0, NaN, Infinity]);
  assert.is(r.best, undefined);
  assert.equal(r.fits, []);
  assert.is(r.histogram.zeros, 2);
  assert.is(r.histogram.count, 0);
  near(histogramRss(absHistogram([0.5, 1.5, 3], 3), { distribution: 'uniform', params: { a: 0, b: 3 } }), 0, 1e-15);
  near(histogramRss(absHistogram([1, 2, 3], 3), { distribution: 'uniform', params: { a: 0, b: 3 } }), 2 / 9, 1e-15); // bins [0,1) [1,2) [2,3]: 0, 1/3, 2/3
  assert.throws(() => fitDistributions([1], { bins: 0 }), /bins must be an integer >= 1/);
});

test('distributions option restricts and orders the candidates', () => {
  const r = fitDistributions(sample('normal', 1000, 'o'), { distributions: ['uniform', 'exponential'] });
  assert.equal(r.fits.map((f) => f.distribution), ['uniform', 'exponential']);
});

test.run();
