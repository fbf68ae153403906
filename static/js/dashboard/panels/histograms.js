// Weight and gradient histograms over time: every `histograms` message is one column of a heatmap
// (x: epoch, y: value, colour: share of the layer's parameters in that bin), so a distribution that
// spreads, collapses to zero or saturates is visible at a glance. Pick the layer and weights/grads.
import { t } from '../../i18n.js';
import { Panel } from '../panel.js';
import { histogramMatrix } from '../histogram.js';
import { baseLayout, axis, CONFIG, SEQUENTIAL, later, plotly, uniqueKey } from '../plot.js';

const MAX_COLUMNS = 200;

export class HistogramPanel extends Panel {
  static types = ['histograms'];

  constructor(dashboard) {
    super(dashboard, { id: 'histograms', title: 'dashboard.histograms.title', help: 'dashboard.histograms.help' });
    this.node = null;
    this.which = 'weights';
    this.layerSelect = this.select('dashboard.layer', (value) => { this.node = value; this.draw(); });
    this.layerSelect.dataset.testid = 'histograms-layer';
    this.whichSelect = this.select('dashboard.histograms.of', (value) => { this.which = value; this.draw(); });
    this.whichSelect.dataset.testid = 'histograms-which';
    this.setOptions(this.whichSelect, [['weights', { key: 'dashboard.histograms.weights' }], ['grads', { key: 'dashboard.histograms.grads' }]]);
    this.el_ = this.chart('histogram-chart', 'dashboard.histograms.title');
    this.el_.dataset.testid = 'histogram-chart';
    this.body.append(this.el_);
    this.key = uniqueKey('histograms');
    this.reset();
  }

  reset() {
    this.columns = []; // [{epoch, layers: {node: {weights, grads}}}]
    this.nodes = [];
    this.draw();
  }

  message(msg) {
    const layers = {};
    for (const layer of msg.layers || []) layers[layer.node] = layer;
    this.columns.push({ epoch: msg.epoch ?? msg.step, layers });
    if (this.columns.length > MAX_COLUMNS * 2) {
      // keep the first column and every other one after it: the time axis stays whole, the cost bounded
      this.columns = this.columns.filter((_, i) => i % 2 === 0 || i === this.columns.length - 1);
    }
    const nodes = (msg.layers || []).map((l) => l.node);
    if (nodes.join('|') !== this.nodes.join('|')) {
      this.nodes = nodes;
      this.setOptions(this.layerSelect, nodes.map((id) => [id, this.dashboard.nodeLabel(id)]));
      if (!nodes.includes(this.node)) this.node = nodes[0];
      this.layerSelect.value = this.node;
    }
    this.draw();
  }

  draw() {
    later(this.key, () => {
      const P = plotly();
      if (!P || !this.el_.isConnected) return;
      const cols = this.columns.filter((c) => c.layers[this.node] && c.layers[this.node][this.which]);
      const matrix = histogramMatrix(cols.map((c) => c.layers[this.node][this.which]));
      const layout = baseLayout({ hovermode: 'closest', showlegend: false });
      layout.xaxis = axis(t('dashboard.epoch'));
      layout.yaxis = axis(t(this.which === 'weights' ? 'dashboard.histograms.weight_value' : 'dashboard.histograms.grad_value'));
      if (!matrix) {
        P.react(this.el_, [], layout, CONFIG);
        return;
      }
      const trace = {
        type: 'heatmap', x: cols.map((c) => c.epoch), y: matrix.centres, z: matrix.z, colorscale: SEQUENTIAL,
        zsmooth: false, colorbar: { thickness: 10, len: 0.9, tickformat: '.0%' },
        hovertemplate: `${t('dashboard.epoch')} %{x}<br>%{y:.3g}: %{z:.1%}<extra></extra>`,
      };
      P.react(this.el_, [trace], layout, CONFIG);
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}
