// Gradient flow: one line per parameterised layer over the epochs (log scale), and the same numbers
// as a layer × epoch heatmap, where a vanishing gradient shows as a dark band at the input end.
import { t } from '../../i18n.js';
import { Panel } from '../panel.js';
import { LiveLines } from '../lines.js';
import { baseLayout, axis, CONFIG, SERIES_COLORS, SEQUENTIAL, later, plotly, uniqueKey } from '../plot.js';

const FLOOR = 1e-12; // a zero gradient (step activations) still shows, at the bottom
const HEATMAP_COLUMNS = 300;
const HEATMAP_INTERVAL_MS = 500; // a new column per epoch: twice a second is plenty

export class GradientPanel extends Panel {
  static types = ['gradients'];

  constructor(dashboard) {
    super(dashboard, { id: 'gradients', title: 'dashboard.gradients.title', help: 'dashboard.gradients.help', wide: true });
    this.stat = 'norms';
    const select = this.select('dashboard.gradients.statistic', (value) => {
      this.stat = value;
      this.rebuild();
    });
    select.dataset.testid = 'gradients-statistic';
    this.setOptions(select, [['norms', { key: 'dashboard.gradients.norm' }], ['mean_abs', { key: 'dashboard.gradients.mean_abs' }]]);
    const lines = this.chart('gradient-lines', 'dashboard.gradients.lines');
    lines.dataset.testid = 'gradient-lines';
    this.heat = this.chart('gradient-heatmap', 'dashboard.gradients.heatmap');
    this.heat.dataset.testid = 'gradient-heatmap';
    const row = document.createElement('div');
    row.className = 'db-pair';
    row.append(lines, this.heat);
    this.body.append(row);
    this.heatKey = uniqueKey('gradient-heatmap');
    this.lines = new LiveLines(lines, {
      traces: () => this.layers.map((id, i) => ({
        name: this.dashboard.nodeLabel(id), line: { color: SERIES_COLORS[i % SERIES_COLORS.length], width: 1.5 },
        hovertemplate: '%{y:.3g}',
      })),
      layout: () => this.linesLayout(),
      transform: (v) => Math.max(FLOOR, v ?? 0),
      onShape: ({ shown, total }) => this.setNote(shown < total ? t('dashboard.downsampled', { shown, total }) : ''),
    });
    this.reset();
  }

  reset() {
    this.layers = [];
    this.points = [];
    this.lines.clear(0);
    this.drawHeatmap();
  }

  message(msg) {
    const layers = msg.layers || [];
    if (layers.join('|') !== this.layers.join('|')) {
      this.layers = [...layers];
      this.points = [];
      this.lines.clear(layers.length);
    }
    const points = msg.points || [];
    this.points.push(...points);
    this.appendLines(points);
    this.drawHeatmap();
  }

  appendLines(points) {
    if (!points.length || !this.layers.length) return;
    this.lines.append(points.map((p) => p.epoch ?? p.step), this.layers.map((_, i) => points.map((p) => (p[this.stat] || [])[i])));
  }

  rebuild() {
    this.lines.clear(this.layers.length);
    this.appendLines(this.points);
    this.drawHeatmap();
  }

  linesLayout() {
    const layout = baseLayout({ hovermode: 'x unified' });
    layout.xaxis = axis(t('dashboard.epoch'));
    layout.yaxis = axis(t(this.stat === 'norms' ? 'dashboard.gradients.norm' : 'dashboard.gradients.mean_abs'), { type: 'log', exponentformat: 'power' });
    return layout;
  }

  // columns: the epochs, averaged (in log space) into at most HEATMAP_COLUMNS buckets
  heatmapData() {
    const n = this.points.length;
    const buckets = Math.min(n, HEATMAP_COLUMNS);
    const x = [];
    const z = this.layers.map(() => []);
    for (let b = 0; b < buckets; b++) {
      const start = Math.floor((b * n) / buckets);
      const end = Math.max(start + 1, Math.floor(((b + 1) * n) / buckets));
      const slice = this.points.slice(start, end);
      x.push(slice[slice.length - 1].epoch ?? slice[slice.length - 1].step);
      this.layers.forEach((_, i) => {
        const logs = slice.map((p) => Math.log10(Math.max(FLOOR, (p[this.stat] || [])[i] ?? 0)));
        z[i].push(logs.reduce((s, v) => s + v, 0) / logs.length);
      });
    }
    return { x, z };
  }

  drawHeatmap() {
    later(this.heatKey, () => {
      const P = plotly();
      if (!P || !this.heat.isConnected) return;
      const { x, z } = this.heatmapData();
      const names = this.layers.map((id) => this.dashboard.nodeLabel(id));
      const trace = {
        type: 'heatmap', x, y: names, z, colorscale: SEQUENTIAL, zsmooth: false,
        colorbar: { title: { text: 'log₁₀', side: 'right' }, thickness: 10, len: 0.9 },
        hovertemplate: `${t('dashboard.epoch')} %{x}<br>%{y}: 10<sup>%{z:.2f}</sup><extra></extra>`,
      };
      const layout = baseLayout({ hovermode: 'closest', showlegend: false });
      layout.xaxis = axis(t('dashboard.epoch'));
      layout.yaxis = axis('', { type: 'category', autorange: 'reversed' });
      layout.margin = { ...layout.margin, l: 60 };
      P.react(this.heat, x.length ? [trace] : [], layout, CONFIG);
    }, { el: this.heat, interval: HEATMAP_INTERVAL_MS });
  }

  redraw() {
    this.lines.redraw();
    this.drawHeatmap();
  }
}
