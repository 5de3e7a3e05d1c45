/** The seeded noise behind every synthetic trace: reproducible, and normal where it says normal. */
import { strict as assert } from 'node:assert';
import { normalQuantile, Rng } from '../../../src/core/sim/prng';

describe('seeded noise', () => {
  it('the same seed gives the same draws; neighbouring seeds do not', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 50 }, (_, k) => (k % 3 ? r.normal() : r.next()));
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it('a block fill gives exactly the draws of as many normal() and next() calls in that order', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const block = new Float64Array(100 * 5);
    a.fill(block, 60, 4, 1);
    a.fill(block.subarray(300), 40, 4, 1);
    const one = Array.from({ length: 100 }, () => [b.normal(), b.normal(), b.normal(), b.normal(), b.next()]).flat();
    assert.deepEqual([...block], one);
  });

  it('normalQuantile matches the standard normal table', () => {
    const known: [number, number][] = [[0.5, 0], [0.8413447460685429, 1], [0.9772498680518208, 2], [0.0013498980316301, -3], [1e-9, -5.997807015007686]];
    for (const [p, z] of known) assert.ok(Math.abs(normalQuantile(p) - z) < 1e-7, `Φ⁻¹(${p}) = ${normalQuantile(p)}, expected ${z}`);
  });

  it('normals have mean 0, variance 1, and the normal share beyond 1, 2, 3 and 4 σ', () => {
    const r = new Rng(1);
    const n = 1_000_000;
    let sum = 0, sq = 0;
    const beyond = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) {
      const z = r.normal();
      sum += z;
      sq += z * z;
      const a = Math.abs(z);
      for (let s = 1; s <= 4; s++) if (a > s) beyond[s - 1]++;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(sq / n - mean * mean - 1) < 0.01, `variance ${sq / n - mean * mean}`);
    // Two-sided tail shares of N(0, 1), each within 5 standard errors of a binomial count.
    const expected = [0.3173105078629141, 0.0455002638963584, 0.0026997960632601, 0.0000633424836662];
    expected.forEach((p, s) => {
      const tolerance = 5 * Math.sqrt((p * (1 - p)) / n);
      assert.ok(Math.abs(beyond[s] / n - p) < tolerance, `beyond ${s + 1} σ: ${beyond[s] / n}, expected ${p} ± ${tolerance}`);
    });
  });
});
