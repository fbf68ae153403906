// Recurrent and attention blocks over the probe sequence, and the KV-cache size of attention blocks.
import { t } from '../../i18n.js';
import { LatestChartPanel, Panel } from '../panel.js';
import { baseLayout, axis, CONFIG, SEQUENTIAL, SERIES_COLORS, later, plotly, uniqueKey } from '../plot.js';
import { divergingScale } from '../../colors.js';

// Tokens label the axes; repeated tokens would merge on a category axis, so each gets its position.
function tokenAxis(tokens, length) {
  return Array.from({ length }, (_, i) => `${i + 1}·${tokens && tokens[i] !== undefined ? tokens[i] : ''}`);
}

function transpose(matrix) {
  return matrix.length ? matrix[0].map((_, c) => matrix.map((row) => row[c])) : [];
}

// RNN hidden states and LSTM/GRU gates: one heatmap, x = the probe's steps (tokens), y = units.
export class RecurrentPanel extends Panel {
  static types = ['recurrent'];

  constructor(dashboard) {
    super(dashboard, { id: 'recurrent', title: 'dashboard.recurrent.title', help: 'dashboard.recurrent.help' });
    this.node = null;
    this.view = 'hidden';
    this.layerSelect = this.select('dashboard.layer', (value) => { this.node = value; this.refreshViews(); this.draw(); });
    this.layerSelect.dataset.testid = 'recurrent-layer';
    this.viewSelect = this.select('dashboard.recurrent.show', (value) => { this.view = value; this.draw(); });
    this.viewSelect.dataset.testid = 'recurrent-view';
    this.plotEl = this.chart('recurrent-chart', 'dashboard.recurrent.title');
    this.plotEl.dataset.testid = 'recurrent-chart';
    this.body.append(this.plotEl);
    this.key = uniqueKey('recurrent');
    this.reset();
  }

  reset() {
    this.latest = null;
    this.draw();
  }

  layer() {
    return this.latest && (this.latest.layers || []).find((l) => l.node === this.node);
  }

  message(msg) {
    this.latest = msg;
    const layers = msg.layers || [];
    this.setOptions(this.layerSelect, layers.map((l) => [l.node, `${this.dashboard.nodeLabel(l.node)} (${l.kind})`]));
    if (!layers.some((l) => l.node === this.node) && layers.length) this.node = layers[0].node;
    this.layerSelect.value = this.node || '';
    this.refreshViews();
    this.draw();
  }

  refreshViews() {
    const layer = this.layer();
    const gates = layer ? Object.keys(layer.gates || {}) : [];
    this.setOptions(this.viewSelect, [['hidden', { key: 'dashboard.recurrent.hidden' }],
      ...gates.map((g) => [g, { key: `dashboard.recurrent.gate_${g}` }])]);
    if (this.view !== 'hidden' && !gates.includes(this.view)) this.view = 'hidden';
    this.viewSelect.value = this.view;
  }

  draw() {
    later(this.key, () => {
      const P = plotly();
      if (!P || !this.plotEl.isConnected) return;
      const layer = this.layer();
      const layout = baseLayout({ hovermode: 'closest', showlegend: false });
      layout.xaxis = axis(t('dashboard.tokens'), { type: 'category', tickangle: 0 });
      layout.yaxis = axis(t('dashboard.recurrent.unit'));
      const values = layer ? (this.view === 'hidden' ? layer.hidden : (layer.gates || {})[this.view]) : null;
      if (!values || !values.length) {
        P.react(this.plotEl, [], layout, CONFIG);
        return;
      }
      const gate = this.view !== 'hidden'; // gates lie in [0, 1], hidden states in [-1, 1]
      const trace = {
        type: 'heatmap', x: tokenAxis(this.latest.tokens, values.length), z: transpose(values), zsmooth: false,
        colorscale: gate ? SEQUENTIAL : divergingScale(), zmin: gate ? 0 : -1, zmax: 1,
        colorbar: { thickness: 10, len: 0.9 },
        hovertemplate: `%{x}<br>${t('dashboard.recurrent.unit')} %{y}: %{z:.3f}<extra></extra>`,
      };
      P.react(this.plotEl, [trace], layout, CONFIG);
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}

// Attention weights of one layer and head: rows are queries, columns keys, tokens on both axes.
export class AttentionPanel extends Panel {
  static types = ['attention'];

  constructor(dashboard) {
    super(dashboard, { id: 'attention', title: 'dashboard.attention.title', help: 'dashboard.attention.help' });
    this.node = null;
    this.head = 0;
    this.layerSelect = this.select('dashboard.layer', (value) => { this.node = value; this.refreshHeads(); this.draw(); });
    this.layerSelect.dataset.testid = 'attention-layer';
    this.headSelect = this.select('dashboard.attention.head', (value) => { this.head = Number(value); this.draw(); });
    this.headSelect.dataset.testid = 'attention-head';
    this.plotEl = this.chart('attention-chart', 'dashboard.attention.title');
    this.plotEl.dataset.testid = 'attention-chart';
    this.body.append(this.plotEl);
    this.key = uniqueKey('attention');
    this.reset();
  }

  reset() {
    this.latest = null;
    this.draw();
  }

  layer() {
    return this.latest && (this.latest.layers || []).find((l) => l.node === this.node);
  }

  message(msg) {
    this.latest = msg;
    const layers = msg.layers || [];
    this.setOptions(this.layerSelect, layers.map((l) => [l.node, `${this.dashboard.nodeLabel(l.node)} (${l.type})`]));
    if (!layers.some((l) => l.node === this.node) && layers.length) this.node = layers[0].node;
    this.layerSelect.value = this.node || '';
    this.refreshHeads();
    this.draw();
  }

  refreshHeads() {
    const layer = this.layer();
    const heads = layer ? (layer.heads || []).length : 0;
    this.setOptions(this.headSelect, Array.from({ length: heads }, (_, h) => [h, { key: 'dashboard.attention.head_n', params: { n: h + 1 } }]));
    this.headSelect.closest('label').hidden = heads < 1;
    if (this.head >= heads) this.head = 0;
    this.headSelect.value = String(this.head);
  }

  draw() {
    later(this.key, () => {
      const P = plotly();
      if (!P || !this.plotEl.isConnected) return;
      const layer = this.layer();
      const weights = layer && (layer.heads || [])[this.head];
      const layout = baseLayout({ hovermode: 'closest', showlegend: false });
      layout.xaxis = axis(t('dashboard.attention.keys'), { type: 'category', tickangle: -45 });
      layout.yaxis = axis(t('dashboard.attention.queries'), { type: 'category', autorange: 'reversed' });
      if (!weights || !weights.length) {
        P.react(this.plotEl, [], layout, CONFIG);
        return;
      }
      const labels = tokenAxis(this.latest.tokens, weights.length);
      const trace = {
        type: 'heatmap', x: labels, y: labels, z: weights, zmin: 0, zmax: 1, colorscale: SEQUENTIAL, zsmooth: false,
        colorbar: { thickness: 10, len: 0.9 },
        hovertemplate: `${t('dashboard.attention.query')} %{y} → ${t('dashboard.attention.key')} %{x}: %{z:.3f}<extra></extra>`,
      };
      P.react(this.plotEl, [trace], layout, CONFIG);
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}

// Bytes each attention block caches per generated token (float32), as bars.
export class KvCachePanel extends LatestChartPanel {
  static types = ['kv_cache'];

  constructor(dashboard) {
    super(dashboard, { id: 'kv_cache', title: 'dashboard.kv_cache.title', help: 'dashboard.kv_cache.help' });
    this.plotEl = this.chart('kv-chart', 'dashboard.kv_cache.title');
    this.plotEl.dataset.testid = 'kv-chart';
    this.body.append(this.plotEl);
    this.reset();
  }

  render(P, latest) {
    const blocks = (latest && latest.blocks) || [];
    const layout = baseLayout({ hovermode: 'closest', showlegend: false });
    layout.xaxis = axis(t('dashboard.kv_cache.block'), { type: 'category' });
    layout.yaxis = axis(t('dashboard.kv_cache.bytes'), { rangemode: 'tozero' });
    const trace = {
      type: 'bar', x: blocks.map((b) => `${this.dashboard.nodeLabel(b.node)} (${b.type})`), y: blocks.map((b) => b.bytes_per_token),
      marker: { color: blocks.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) },
      text: blocks.map((b) => String(b.bytes_per_token)), textposition: 'auto',
      hovertemplate: `%{x}: %{y} ${t('dashboard.kv_cache.bytes_short')}<extra></extra>`,
    };
    P.react(this.plotEl, blocks.length ? [trace] : [], layout, CONFIG);
  }
}
