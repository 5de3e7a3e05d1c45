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
