/**
 * Thins a minute series for display without hiding what matters: each bucket keeps its lowest
 * and its highest reading, in time order, so a one-minute spike over a threshold still shows.
 * Minutes without a reading are left out (a chart draws the gap), never drawn as 0.
 */
export function downsample(firstMinute: number, values: Float64Array, from: number, to: number, maxPoints = 2000): [number, number][] {
  const start = Math.max(0, from - firstMinute);
  const end = Math.min(values.length, to - firstMinute);
  const n = end - start;
  const out: [number, number][] = [];
  if (n <= 0) return out;
  if (n <= maxPoints) {
    for (let r = start; r < end; r++) if (values[r] === values[r]) out.push([r + firstMinute, values[r]]);
    return out;
  }
  const buckets = Math.floor(maxPoints / 2);
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const lo = start + Math.floor(b * size);
    const hi = start + Math.floor((b + 1) * size);
    let iMin = -1, iMax = -1;
    for (let r = lo; r < hi; r++) {
      const v = values[r];
      if (v !== v) continue;
      if (iMin < 0 || v < values[iMin]) iMin = r;
      if (iMax < 0 || v > values[iMax]) iMax = r;
    }
    if (iMin < 0) continue;
    const first = Math.min(iMin, iMax);
    const second = Math.max(iMin, iMax);
    out.push([first + firstMinute, values[first]]);
    if (second !== first) out.push([second + firstMinute, values[second]]);
  }
  return out;
}

/**
 * The same thinning as `downsample`, point for point, for every metric of a stream of minutes read once
 * in rising order from `firstMinute` up to (not including) `to`: what a chart needs from a run whose
 * readings are drawn on the fly, in memory that depends on `maxPoints`, not on the run's length.
 */
export function downsampleStream(metrics: number, firstMinute: number, to: number, fill: (minute: number, out: Float64Array) => void, maxPoints = 2000): [number, number][][] {
  const n = to - firstMinute;
  const out: [number, number][][] = Array.from({ length: metrics }, () => []);
  if (n <= 0) return out;
  const buf = new Float64Array(metrics);
  if (n <= maxPoints) {
    for (let r = 0; r < n; r++) {
      fill(r + firstMinute, buf);
      for (let i = 0; i < metrics; i++) if (buf[i] === buf[i]) out[i].push([r + firstMinute, buf[i]]);
    }
    return out;
  }
  const buckets = Math.floor(maxPoints / 2);
  const size = n / buckets;
  const iMin = new Float64Array(metrics);
  const iMax = new Float64Array(metrics);
  const vMin = new Float64Array(metrics);
  const vMax = new Float64Array(metrics);
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size);
    const hi = Math.floor((b + 1) * size);
    iMin.fill(-1);
    iMax.fill(-1);
    for (let r = lo; r < hi; r++) {
      fill(r + firstMinute, buf);
      for (let i = 0; i < metrics; i++) {
        const v = buf[i];
        if (v !== v) continue;
        if (iMin[i] < 0 || v < vMin[i]) {
          iMin[i] = r;
          vMin[i] = v;
        }
        if (iMax[i] < 0 || v > vMax[i]) {
          iMax[i] = r;
          vMax[i] = v;
        }
      }
    }
    for (let i = 0; i < metrics; i++) {
      if (iMin[i] < 0) continue;
      const minFirst = iMin[i] <= iMax[i];
      out[i].push(minFirst ? [iMin[i] + firstMinute, vMin[i]] : [iMax[i] + firstMinute, vMax[i]]);
      if (iMin[i] !== iMax[i]) out[i].push(minFirst ? [iMax[i] + firstMinute, vMax[i]] : [iMin[i] + firstMinute, vMin[i]]);
    }
  }
  return out;
}
