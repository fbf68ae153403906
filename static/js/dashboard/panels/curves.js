// Loss and metric curves, train against test, per epoch: a log-scale toggle, a smoothing slider,
// hover values, and the latest numbers above the chart.
import { t, formatNumber } from '../../i18n.js';
import { Panel } from '../panel.js';
import { LiveLines } from '../lines.js';
import { baseLayout, axis, TRAIN, TEST } from '../plot.js';

const LOSS_KEYS = ['train_loss', 'test_loss'];
const ACCURACY_KEYS = ['train_accuracy', 'test_accuracy'];

export class CurvesPanel extends Panel {
  static types = ['metrics'];

  constructor(dashboard) {
    super(dashboard, { id: 'curves', title: 'dashboard.curves.title', help: 'dashboard.curves.help', wide: true });
    this.classification = false;
    this.log = false;
    this.serverThinned = false;

    const logBox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    logBox.dataset.testid = 'curves-log';
    logBox.addEventListener('change', () => {
      this.log = logBox.checked;
      this.lines.redraw();
    });
    this.control('dashboard.curves.log_scale', logBox).closest('label').classList.add('inline');

    const slider = Object.assign(document.createElement('input'), { type: 'range', min: '0', max: '0.99', step: '0.01', value: '0' });
    slider.dataset.testid = 'curves-smoothing';
    const shown = document.createElement('output');
    shown.textContent = '0';
    slider.addEventListener('input', () => {
      shown.textContent = slider.value;
      this.lines.setSmoothing(Number(slider.value));
    });
    this.control('dashboard.curves.smoothing', slider).closest('label').append(shown);

    this.stats = document.createElement('dl');
    this.stats.className = 'db-stats';
    this.stats.dataset.testid = 'curves-stats';
    const el = this.chart('curves-chart', 'dashboard.curves.title');
    el.dataset.testid = 'curves-chart';
    this.body.append(this.stats, el);
    this.lines = new LiveLines(el, {
      traces: () => this.traceTemplates(),
      layout: () => this.layout(),
      onShape: (shape) => this.describe(shape),
    });
    this.reset();
  }

  reset() {
    this.classification = false;
    this.serverThinned = false;
    this.lines.clear(2);
    this.latest = null;
    this.renderStats();
  }

  keys() {
    return this.classification ? [...LOSS_KEYS, ...ACCURACY_KEYS] : LOSS_KEYS;
  }

  message(msg) {
    const points = msg.points || [];
    if (msg.downsampled) this.serverThinned = true;
    if (!points.length) return;
    if (!this.classification && points.some((p) => p.train_accuracy !== undefined && p.train_accuracy !== null)) {
      // accuracy appears: start over with four traces (only ever happens on the first points)
      this.classification = true;
      const old = { x: this.lines.x, raw: this.lines.raw };
      this.lines.clear(4);
      this.lines.append(old.x, [...old.raw, old.x.map(() => null), old.x.map(() => null)]);
    }
    const keys = this.keys();
    this.lines.append(points.map((p) => p.epoch ?? p.step), keys.map((k) => points.map((p) => p[k] ?? null)));
    this.latest = points[points.length - 1];
    this.renderStats();
  }

  renderStats() {
    const p = this.latest;
    const items = [
      ['dashboard.curves.train_loss', p && formatNumber(p.train_loss, 4), TRAIN],
      ['dashboard.curves.test_loss', p && formatNumber(p.test_loss, 4), TEST],
    ];
    if (this.classification) {
      const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
      items.push(['dashboard.curves.train_accuracy', p && pct(p.train_accuracy), TRAIN, 'dotted'],
        ['dashboard.curves.test_accuracy', p && pct(p.test_accuracy), TEST, 'dotted']);
    }
    this.stats.replaceChildren(...items.map(([key, value, color, dash]) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.dataset.i18n = key;
      dt.textContent = t(key);
      dt.style.setProperty('--key', color);
      if (dash) dt.classList.add(dash); // drawn dotted in the chart too
      const dd = document.createElement('dd');
      dd.dataset.stat = key.split('.').pop();
      dd.textContent = value || '–';
      div.append(dt, dd);
      return div;
    }));
  }

  traceTemplates() {
    const line = (key, color, dash, yaxis) => ({
      name: t(`dashboard.curves.${key}`), line: { color, width: 1.8, dash }, yaxis,
      hovertemplate: yaxis === 'y2' ? '%{y:.1%}' : '%{y:.4g}',
    });
    const traces = [line('train_loss', TRAIN, 'solid', 'y'), line('test_loss', TEST, 'solid', 'y')];
    if (this.classification) traces.push(line('train_accuracy', TRAIN, 'dot', 'y2'), line('test_accuracy', TEST, 'dot', 'y2'));
    return traces;
  }

  layout() {
    const layout = baseLayout({ showlegend: false }); // the numbers above the chart are its legend
    layout.xaxis = axis(t('dashboard.epoch'));
    layout.yaxis = axis(t('dashboard.curves.loss'), this.log ? { type: 'log', exponentformat: 'power' } : { rangemode: 'tozero' });
    if (this.classification) {
      layout.yaxis2 = { ...axis(t('dashboard.curves.accuracy')), overlaying: 'y', side: 'right', range: [0, 1.02], tickformat: '.0%', showgrid: false };
      layout.margin = { ...layout.margin, r: 48 };
    }
    return layout;
  }

  describe({ shown, total }) {
    const notes = [];
    if (shown < total) notes.push(t('dashboard.downsampled', { shown, total }));
    if (this.serverThinned) notes.push(t('dashboard.history_thinned'));
    this.setNote(notes.join(' '));
    this.el.dataset.downsampled = String(shown < total || this.serverThinned);
  }

  redraw() {
    this.lines.redraw();
    this.renderStats();
  }
}
