// Pure helpers for line data (no DOM, no Plotly): smoothing and downsampling. Node tests import them.

// Exponential moving average, as TensorBoard's smoothing slider: weight 0 = raw, 0.99 = very smooth.
// Debiased so the first points are not pulled towards zero. Causal: new points extend the old result,
// so a live chart can append smoothed points without recomputing the past (see `emaStep`).
export function ema(values, weight) {
  const out = new Array(values.length);
  let state = { last: 0, count: 0 };
  for (let i = 0; i < values.length; i++) {
    const [v, next] = emaStep(state, values[i], weight);
    out[i] = v;
    state = next;
  }
  return out;
}

export function emaStep(state, value, weight) {
  if (value === null || value === undefined || !Number.isFinite(value) || weight <= 0) {
    return [value ?? null, state];
  }
  const last = state.last * weight + (1 - weight) * value;
  const count = state.count + 1;
  const debias = 1 - weight ** count;
  return [last / debias, { last, count }];
}

// Min-max downsampling into `buckets` buckets: each bucket keeps its first, lowest and highest point
// (in x order) and the last point overall is always kept, so spikes and the latest value survive.
// Returns the indices to draw (ascending). `ys` may contain nulls (a missing test loss).
export function downsampleIndices(ys, limit) {
  const n = ys.length;
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(limit / 3));
  const size = n / buckets;
  const keep = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(n, Math.floor((b + 1) * size));
    if (start >= end) continue;
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = ys[i];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (lo < 0 || v < ys[lo]) lo = i;
      if (hi < 0 || v > ys[hi]) hi = i;
    }
    const picked = new Set([start]);
    if (lo >= 0) picked.add(lo);
    if (hi >= 0) picked.add(hi);
    keep.push(...[...picked].sort((a, b2) => a - b2));
  }
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep;
}

// Several series that share x: one set of indices for all of them (the union of each one's picks,
// thinned again if the union is too long), so hover shows every series at the same x.
export function downsampleShared(seriesYs, limit) {
  const n = seriesYs.length ? seriesYs[0].length : 0;
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  const per = Math.max(3, Math.floor(limit / Math.max(1, seriesYs.length)));
  const union = new Set();
  for (const ys of seriesYs) for (const i of downsampleIndices(ys, per)) union.add(i);
  let indices = [...union].sort((a, b) => a - b);
  if (indices.length > limit) {
    const stride = Math.ceil(indices.length / limit);
    const thinned = indices.filter((_, k) => k % stride === 0);
    if (thinned[thinned.length - 1] !== n - 1) thinned.push(n - 1);
    indices = thinned;
  }
  return indices;
}

export function pick(values, indices) {
  return indices.map((i) => values[i]);
}
