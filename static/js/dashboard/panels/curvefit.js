// 1-D curve fitting (Bishop's polynomial): the fitted curve over the data, the coefficient table
// (the single dense unit's weights: w_j multiplies x^j), and train/test RMS against the degree M
// from the visitor's other runs on the same curve_fit data.
import { t, formatNumber } from '../../i18n.js';
import { getJSON } from '../../api.js';
import { LatestChartPanel, Panel } from '../panel.js';
import { baseLayout, axis, CONFIG, TRAIN, TEST, later, plotly, uniqueKey } from '../plot.js';

export const ONE_D_DATASETS = new Set(['curve_fit', 'house_prices']);
const MODEL = '#009e73';

export class CurveFitPanel extends LatestChartPanel {
  static types = ['curve'];

  constructor(dashboard) {
    super(dashboard, { id: 'curve', title: 'dashboard.curve.title', help: 'dashboard.curve.help' });
    this.rms = document.createElement('p');
    this.rms.className = 'db-stats-line';
    this.rms.dataset.testid = 'curve-rms';
    this.plotEl = this.chart('curve-chart', 'dashboard.curve.title');
    this.plotEl.dataset.testid = 'curve-chart';
    this.body.append(this.rms, this.plotEl);
    this.reset();
  }

  render(P, m) {
    this.rms.textContent = m ? t('dashboard.curve.rms', { train: formatNumber(m.train_rms, 4), test: formatNumber(m.test_rms, 4) }) : '';
    const traces = [];
    if (m) {
      const test = (this.dashboard.ctx.data && this.dashboard.ctx.data.test) || [];
      if (test.length) {
        traces.push({ type: 'scatter', mode: 'markers', name: t('dashboard.curve.test_data'), x: test.map((p) => p[0]), y: test.map((p) => p[p.length - 1]),
          marker: { color: TEST, size: 4, opacity: 0.45 }, hovertemplate: 'x %{x:.3f}<br>t %{y:.3f}<extra></extra>' });
      }
      traces.push(
        { type: 'scatter', mode: 'lines', name: t('dashboard.curve.model'), x: m.x, y: m.y, line: { color: MODEL, width: 2.2 },
          hovertemplate: 'x %{x:.3f}<br>y %{y:.3f}<extra></extra>' },
        { type: 'scatter', mode: 'markers', name: t('dashboard.curve.train_data'), x: (m.train || []).map((p) => p[0]), y: (m.train || []).map((p) => p[1]),
          marker: { color: TRAIN, size: 8, symbol: 'circle-open', line: { width: 2 } }, hovertemplate: 'x %{x:.3f}<br>t %{y:.3f}<extra></extra>' },
      );
    }
    const layout = baseLayout({ hovermode: 'closest' });
    layout.xaxis = axis('x');
    layout.yaxis = axis('t');
    P.react(this.plotEl, traces, layout, CONFIG);
  }
}

export class CoefficientsPanel extends Panel {
  static types = ['weights'];

  // only 1-D runs: there the single dense unit's weights are the polynomial's coefficients
  static wants(msg, dashboard) {
    return ONE_D_DATASETS.has(dashboard.datasetName());
  }

  constructor(dashboard) {
    super(dashboard, { id: 'coefficients', title: 'dashboard.coefficients.title', help: 'dashboard.coefficients.help' });
    this.table = document.createElement('table');
    this.table.className = 'db-table';
    this.table.dataset.testid = 'coefficients';
    this.body.append(this.table);
    this.reset();
  }

  reset() {
    this.latest = null;
    this.render();
  }

  message(msg) {
    this.latest = msg;
    this.render();
  }

  // the network's last dense layer with one output: w_j of x^j (the input is 1, x, ..., x^M)
  rows() {
    const layers = (this.latest && this.latest.layers) || {};
    const ids = Object.keys(layers);
    if (!ids.length) return [];
    const layer = layers[ids[ids.length - 1]];
    const weights = (layer.weight && layer.weight[0]) || [];
    const rows = weights.map((w, j) => [`w${j}`, j === 0 ? '1' : j === 1 ? 'x' : `x^${j}`, w]);
    if (layer.bias && layer.bias.length) rows.push(['b', t('dashboard.coefficients.bias'), layer.bias[0]]);
    return rows;
  }

  render() {
    const head = document.createElement('tr');
    for (const key of ['dashboard.coefficients.name', 'dashboard.coefficients.term', 'dashboard.coefficients.value']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset.i18n = key;
      th.textContent = t(key);
      head.append(th);
    }
    const rows = this.rows().map(([name, term, value]) => {
      const tr = document.createElement('tr');
      for (const [text, cls] of [[name, ''], [term, ''], [formatNumber(value, 4), 'num']]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    tbody.append(...rows);
    this.table.replaceChildren(thead, tbody);
  }

  redraw() {
    this.render();
  }
}

// What makes two curve_fit datasets the same data: everything but the degree.
export function sameData(a, b) {
  const strip = (d) => JSON.stringify(Object.fromEntries(Object.entries(d || {}).filter(([k]) => k !== 'degree').sort()));
  return strip(a) === strip(b);
}

export class DegreePanel extends Panel {
  static types = []; // made by the dashboard for curve_fit runs (it reads the visitor's runs itself)

  constructor(dashboard) {
    super(dashboard, { id: 'degree', title: 'dashboard.degree.title', help: 'dashboard.degree.help' });
    const refresh = document.createElement('button');
    refresh.type = 'button';
    refresh.className = 'db-button';
    refresh.dataset.i18n = 'dashboard.degree.refresh';
    refresh.addEventListener('click', () => this.load());
    this.controls.append(refresh);
    this.plotEl = this.chart('degree-chart', 'dashboard.degree.title');
    this.plotEl.dataset.testid = 'degree-chart';
    this.body.append(this.plotEl);
    this.key = uniqueKey('degree');
    this.details = new Map(); // run id -> spec (a finished run's spec never changes)
    this.points = [];
  }

  reset() {
    this.load();
  }

  message(msg) {
    if (msg.type === 'status' && msg.final) this.load();
  }

  async load() {
    const mine = this.dashboard.ctx.spec && this.dashboard.ctx.spec.dataset;
    if (!mine) return;
    let runs;
    try {
      ({ runs } = await getJSON('/api/runs'));
    } catch (err) {
      this.setNote(t('dashboard.degree.unavailable'));
      return;
    }
    const candidates = (runs || []).filter((r) => r.dataset === 'curve_fit' && r.final && r.final.test_rms !== undefined);
    await Promise.all(candidates.filter((r) => !this.details.has(r.id)).map(async (r) => {
      try {
        this.details.set(r.id, (await getJSON(`/api/runs/${r.id}`)).spec);
      } catch (err) {
        this.details.set(r.id, null);
      }
    }));
    // per degree, the newest run (the list is newest first)
    const byDegree = new Map();
    for (const r of candidates) {
      const spec = this.details.get(r.id);
      if (!spec || !sameData(spec.dataset, mine)) continue;
      const degree = spec.dataset.degree;
      if (!byDegree.has(degree)) byDegree.set(degree, r.final);
    }
    this.points = [...byDegree.entries()].sort((a, b) => a[0] - b[0]);
    this.setNote(this.points.length < 2 ? t('dashboard.degree.more_runs') : '');
    this.draw();
  }

  draw() {
    later(this.key, () => {
      const P = plotly();
      if (!P || !this.plotEl.isConnected) return;
      const x = this.points.map(([m]) => m);
      const line = (key, name, color) => ({
        type: 'scatter', mode: 'lines+markers', name, x, y: this.points.map(([, f]) => f[key]),
        line: { color, width: 1.8 }, marker: { size: 7 }, hovertemplate: 'M %{x}: %{y:.4f}<extra></extra>',
      });
      const layout = baseLayout({ hovermode: 'closest' });
      layout.xaxis = axis(t('dashboard.degree.m'), { dtick: 1 });
      layout.yaxis = axis(t('dashboard.degree.rms'), { rangemode: 'tozero' });
      P.react(this.plotEl, [line('train_rms', t('dashboard.curve.train_data'), TRAIN), line('test_rms', t('dashboard.curve.test_data'), TEST)], layout, CONFIG);
      this.plotEl.dataset.points = String(this.points.length);
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}
