// Line charts: train/test loss (and accuracy for classification), and the gradient flow.
// Points arriving from the stream are buffered and drawn by one job per animation frame (frame.js);
// Plotly.extendTraces appends them, Plotly.react redraws from scratch after a snapshot.
import { schedule } from './frame.js';
import { t, onLanguageChange } from './i18n.js';

const CONFIG = { displayModeBar: false, responsive: true };
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif', size: 11, color: '#444' };
const GRID = '#e5e7eb';
const TRAIN = '#0072b2';
const TEST = '#d55e00';
const LAYER_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#6b6b6b', '#f0c000', '#000000'];
const LOG_FLOOR = 1e-12; // a zero gradient norm (step activations) still shows, at the bottom

function baseLayout() {
  return {
    font: FONT,
    margin: { l: 44, r: 12, t: 6, b: 28 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#fff',
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 10 }, bgcolor: 'rgba(0,0,0,0)' },
    hovermode: 'x unified',
    uirevision: 'fixed',
  };
}

class LineChart {
  constructor(el, key) {
    this.el = el;
    this.key = key;
    this.series = []; // [{x: [], y: [], custom?: []}] one per trace
    this.pending = null; // same shape as series, not drawn yet
    this.full = true; // the next draw is a Plotly.react
    onLanguageChange(() => this.redraw());
  }

  // points → per-trace {x, y} to append; implemented by subclasses
  rows() {
    return [];
  }

  redraw() {
    this.full = true;
    this.pending = null;
    schedule(this.key, () => this.draw());
  }

  append(perTrace) {
    perTrace.forEach((add, i) => {
      const s = this.series[i];
      s.x.push(...add.x);
      s.y.push(...add.y);
      if (s.custom && add.custom) s.custom.push(...add.custom);
    });
    if (!this.full) {
      if (!this.pending) this.pending = perTrace.map(() => ({ x: [], y: [], custom: [] }));
      perTrace.forEach((add, i) => {
        const p = this.pending[i];
        p.x.push(...add.x);
        p.y.push(...add.y);
        if (add.custom) p.custom.push(...add.custom);
      });
    }
    schedule(this.key, () => this.draw());
  }

  draw() {
    if (!window.Plotly) return;
    if (this.full) {
      this.full = false;
      this.pending = null;
      Plotly.react(this.el, this.traces(), this.emptyLayout(this.layout()), CONFIG);
      return;
    }
    const pending = this.pending;
    this.pending = null;
    if (!pending || !pending.some((p) => p.x.length)) return;
    if (this.series[0].x.length - pending[0].x.length < 3) {
      // the first points: redraw with real axes (and markers while a line cannot show yet)
      Plotly.react(this.el, this.traces(), this.layout(), CONFIG);
      return;
    }
    const indices = pending.map((_, i) => i);
    const update = { x: pending.map((p) => p.x), y: pending.map((p) => p.y) };
    if (this.series.some((s) => s.custom)) update.customdata = pending.map((p) => p.custom);
    Plotly.extendTraces(this.el, update, indices);
  }

  // an empty chart says so instead of showing made-up axes
  emptyLayout(layout) {
    if (this.series.some((s) => s.x.length)) return layout;
    for (const key of Object.keys(layout)) {
      if (/^[xy]axis/.test(key)) layout[key] = { ...layout[key], showticklabels: false, showgrid: false, title: { text: '' } };
    }
    layout.annotations = [{ text: t('chart.empty'), xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, showarrow: false,
      font: { size: 11, color: '#8a9099' } }];
    layout.showlegend = false;
    return layout;
  }

  get pointCount() {
    return this.series.length ? this.series[0].x.length : 0;
  }
}

export class LossChart extends LineChart {
  constructor(el) {
    super(el, 'loss-chart');
    this.classification = true;
    this.reset('classification');
  }

  reset(problem) {
    this.classification = problem !== 'regression';
    this.series = Array.from({ length: this.classification ? 4 : 2 }, () => ({ x: [], y: [] }));
    this.redraw();
  }

  setHistory(problem, points) {
    this.reset(problem);
    this.append(this.rows(points));
    this.redraw();
  }

  push(points) {
    if (points && points.length) this.append(this.rows(points));
  }

  rows(points) {
    const keys = this.classification ? ['train_loss', 'test_loss', 'train_accuracy', 'test_accuracy'] : ['train_loss', 'test_loss'];
    return keys.map((k) => ({ x: points.map((p) => p.epoch), y: points.map((p) => (p[k] === undefined ? null : p[k])) }));
  }

  traces() {
    const few = this.pointCount < 3; // a line needs two points: show markers until then
    const line = (i, name, color, dash, yaxis) => ({
      type: 'scatter',
      mode: few ? 'lines+markers' : 'lines',
      name,
      x: [...this.series[i].x],
      y: [...this.series[i].y],
      line: { color, width: 1.8, dash },
      yaxis,
      hovertemplate: '%{y:.4f}',
    });
    const traces = [line(0, t('chart.train_loss'), TRAIN, 'solid', 'y'), line(1, t('chart.test_loss'), TEST, 'solid', 'y')];
    if (this.classification) {
      traces.push(line(2, t('chart.train_accuracy'), TRAIN, 'dot', 'y2'), line(3, t('chart.test_accuracy'), TEST, 'dot', 'y2'));
    }
    return traces;
  }

  layout() {
    const layout = baseLayout();
    layout.showlegend = false; // the stats above the chart carry the legend
    layout.margin = { ...layout.margin, t: 4 };
    layout.xaxis = { title: { text: t('chart.epoch'), standoff: 2 }, gridcolor: GRID, zeroline: false, rangemode: 'tozero' };
    layout.yaxis = { title: { text: t('chart.loss') }, gridcolor: GRID, zeroline: false, rangemode: 'tozero' };
    if (this.classification) {
      layout.yaxis2 = { title: { text: t('chart.accuracy') }, overlaying: 'y', side: 'right', range: [0, 1.02], dtick: 0.25, tickformat: '.0%', showgrid: false, zeroline: false };
      layout.margin = { ...layout.margin, r: 40 };
    }
    return layout;
  }
}

export class GradientChart extends LineChart {
  constructor(el, layerName) {
    super(el, 'gradient-chart');
    this.layerName = layerName; // node id → a name people read ("Layer 1", "Output")
    this.layers = [];
    this.reset();
  }

  reset() {
    this.layers = [];
    this.series = [];
    this.decades = null; // [lowest, highest] power of ten the data reaches: the y ticks
    this.redraw();
  }

  // Decade ticks, thinned to at most ~5 labels so they never overlap (a dead layer can sit at 1e-12).
  updateDecades(values) {
    let [lo, hi] = this.decades || [Infinity, -Infinity];
    for (const v of values) {
      const e = Math.log10(v);
      if (Math.floor(e) < lo) lo = Math.floor(e);
      if (Math.ceil(e) > hi) hi = Math.ceil(e);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
    if (hi === lo) hi = lo + 1;
    if (!this.decades || lo !== this.decades[0] || hi !== this.decades[1]) {
      this.decades = [lo, hi];
      this.redraw();
    }
  }

  setHistory(gradients) {
    this.reset();
    if (gradients && gradients.layers && gradients.layers.length) this.push(gradients.layers, gradients.points || []);
    this.redraw();
  }

  push(layers, points) {
    if (!layers || !layers.length) return;
    if (layers.join('|') !== this.layers.join('|')) {
      this.layers = [...layers];
      this.series = layers.map(() => ({ x: [], y: [], custom: [] }));
      this.redraw();
    }
    if (!points || !points.length) return;
    const rows = this.layers.map((_, i) => ({
      x: points.map((p) => p.epoch),
      y: points.map((p) => Math.max(LOG_FLOOR, p.norms[i] ?? 0)),
      custom: points.map((p) => p.norms[i]),
    }));
    this.append(rows);
    this.updateDecades(rows.flatMap((r) => r.y));
  }

  traces() {
    return this.layers.map((id, i) => ({
      type: 'scatter',
      mode: 'lines',
      name: this.layerName(id),
      x: [...this.series[i].x],
      y: [...this.series[i].y],
      customdata: [...this.series[i].custom],
      line: { color: LAYER_COLORS[i % LAYER_COLORS.length], width: 1.6 },
      hovertemplate: '%{customdata:.3g}',
    }));
  }

  layout() {
    const layout = baseLayout();
    layout.xaxis = { title: { text: t('chart.epoch'), standoff: 2 }, gridcolor: GRID, zeroline: false };
    layout.margin = { ...layout.margin, l: 52 };
    layout.yaxis = { title: { text: t('chart.gradient_norm'), standoff: 4 }, type: 'log', gridcolor: GRID, exponentformat: 'power' };
    if (this.decades) {
      const [lo, hi] = this.decades;
      const step = Math.max(1, Math.ceil((hi - lo) / 4));
      const tickvals = [];
      for (let e = hi; e >= lo; e -= step) tickvals.push(10 ** e);
      layout.yaxis.tickvals = tickvals;
      layout.yaxis.ticktext = tickvals.map((v) => {
        const e = Math.round(Math.log10(v));
        return e === 0 ? '1' : e === 1 ? '10' : `10<sup>${String(e).replace('-', '−')}</sup>`;
      });
      layout.yaxis.range = [lo, hi];
    }
    return layout;
  }
}
