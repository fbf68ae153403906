// A live line chart: keeps every point it was given, draws them smoothed (EMA) and, past `limit`
// points per trace, downsampled (min-max buckets, so spikes stay). While the chart is small and
// nothing but new points changed, Plotly.extendTraces appends; otherwise one Plotly.react redraws.
// Either way at most once per animation frame.
import { CONFIG, LINE_INTERVAL_MS, later, plotly, uniqueKey } from './plot.js';
import { emaStep, ema, downsampleShared, pick } from './series.js';

export const DRAW_LIMIT = 1200; // ~2 points per pixel of a wide chart: min-max buckets lose nothing visible
const BIG_INTERVAL_MS = 1000;

export class LiveLines {
  // traces(): Plotly trace templates (name, line, yaxis...) without x/y; layout(): the layout;
  // onShape({shown, total}): told how many points are drawn of how many
  constructor(el, { traces, layout, onShape = () => {}, limit = DRAW_LIMIT, transform = (v) => v }) {
    this.el = el;
    this.templates = traces;
    this.layout = layout;
    this.onShape = onShape;
    this.limit = limit;
    this.transform = transform; // applied to y before drawing (log floors)
    this.key = uniqueKey('lines');
    this.smoothing = 0;
    this.clear(0);
  }

  clear(traceCount) {
    this.x = [];
    this.raw = Array.from({ length: traceCount }, () => []);
    this.smooth = Array.from({ length: traceCount }, () => []);
    this.states = Array.from({ length: traceCount }, () => ({ last: 0, count: 0 }));
    this.drawn = 0;
    this.full = true;
    this.schedule();
  }

  get traceCount() {
    return this.raw.length;
  }

  get length() {
    return this.x.length;
  }

  // xs: [x...]; ys: per trace [y...] (same length as xs)
  append(xs, ys) {
    if (!xs.length) return;
    for (const x of xs) this.x.push(x);
    ys.forEach((values, i) => {
      for (const v of values) {
        const y = v === undefined ? null : this.transform(v);
        this.raw[i].push(y);
        const [s, next] = emaStep(this.states[i], y, this.smoothing);
        this.smooth[i].push(s);
        this.states[i] = next;
      }
    });
    this.schedule();
  }

  setSmoothing(weight) {
    this.smoothing = weight;
    this.smooth = this.raw.map((values) => ema(values, weight));
    this.states = this.raw.map((values) => {
      let state = { last: 0, count: 0 };
      for (const v of values) state = emaStep(state, v, weight)[1];
      return state;
    });
    this.redraw();
  }

  // a user's change (log scale, smoothing) or a new language: draw at the next frame, not when due
  redraw() {
    this.full = true;
    this.schedule(0);
  }

  // a downsampled chart is redrawn whole (Plotly.react) and its newest points move it by a pixel or
  // so: it redraws less often
  schedule(wait) {
    const interval = wait ?? (this.x.length > this.limit ? BIG_INTERVAL_MS : LINE_INTERVAL_MS);
    later(this.key, () => this.draw(), { interval, el: this.el });
  }

  traces(indices) {
    return this.templates().map((template, i) => ({
      type: 'scatter',
      mode: this.x.length < 3 ? 'lines+markers' : 'lines',
      ...template,
      x: indices ? pick(this.x, indices) : [...this.x],
      y: indices ? pick(this.smooth[i], indices) : [...this.smooth[i]],
    }));
  }

  draw() {
    const P = plotly();
    if (!P || !this.el.isConnected) return;
    const n = this.x.length;
    const big = n > this.limit;
    if (this.full || big || this.drawn < 3) {
      const indices = big ? downsampleShared(this.smooth, this.limit) : null;
      P.react(this.el, this.traces(indices), this.layout(), CONFIG);
      this.full = false;
      this.drawn = n;
      this.onShape({ shown: indices ? indices.length : n, total: n });
      return;
    }
    if (this.drawn >= n) return;
    const from = this.drawn;
    const update = { x: this.raw.map(() => this.x.slice(from)), y: this.smooth.map((s) => s.slice(from)) };
    P.extendTraces(this.el, update, this.raw.map((_, i) => i));
    this.drawn = n;
    this.onShape({ shown: n, total: n });
  }
}
