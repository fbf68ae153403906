// Pure helpers for the histogram panel: each `histograms` message has its own [lo, hi] range, so
// before stacking them as columns of one heatmap, every histogram is spread onto one shared grid of
// bins. A source bin's count goes to the shared bins it overlaps, in proportion to the overlap.

export function sharedRange(histograms) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of histograms) {
    if (!h || !Number.isFinite(h.lo) || !Number.isFinite(h.hi)) continue;
    lo = Math.min(lo, h.lo);
    hi = Math.max(hi, h.hi);
  }
  if (!Number.isFinite(lo)) return null;
  if (hi <= lo) hi = lo + 1e-6;
  return [lo, hi];
}

export function rebin(h, lo, hi, bins) {
  const out = new Array(bins).fill(0);
  if (!h || !h.counts || !h.counts.length) return out;
  const n = h.counts.length;
  const width = (h.hi - h.lo) / n;
  const target = (hi - lo) / bins;
  for (let i = 0; i < n; i++) {
    const count = h.counts[i];
    if (!count) continue;
    if (width <= 0) { // a degenerate histogram: everything at one value
      out[Math.min(bins - 1, Math.max(0, Math.floor((h.lo - lo) / target)))] += count;
      continue;
    }
    const a = h.lo + i * width;
    const b = a + width;
    const first = Math.max(0, Math.floor((a - lo) / target));
    const last = Math.min(bins - 1, Math.floor((b - lo) / target - 1e-9));
    for (let j = first; j <= last; j++) {
      const overlap = Math.min(b, lo + (j + 1) * target) - Math.max(a, lo + j * target);
      if (overlap > 0) out[j] += (count * overlap) / width;
    }
  }
  return out;
}

// Columns (one per message) → a bins × columns matrix of densities (each column sums to 1), and
// the bin centres for the y axis.
export function histogramMatrix(histograms, bins = 40) {
  const range = sharedRange(histograms);
  if (!range) return null;
  const [lo, hi] = range;
  const columns = histograms.map((h) => {
    const col = rebin(h, lo, hi, bins);
    const total = col.reduce((s, v) => s + v, 0) || 1;
    return col.map((v) => v / total);
  });
  const z = Array.from({ length: bins }, (_, j) => columns.map((col) => col[j]));
  const centres = Array.from({ length: bins }, (_, j) => lo + ((j + 0.5) * (hi - lo)) / bins);
  return { z, centres, lo, hi };
}
