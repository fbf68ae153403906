// The 2-D decision boundary (or regression surface) with the dataset's points, and a small heatmap
// per hidden neuron, enlargeable.
import { t } from '../../i18n.js';
import { paintGrid, maxAbs } from '../../colors.js';
import { Panel } from '../panel.js';
import { BoundaryView } from '../boundary-view.js';
import { later, uniqueKey } from '../plot.js';

export class DecisionPanel extends Panel {
  static types = ['boundary'];

  constructor(dashboard) {
    super(dashboard, { id: 'boundary', title: 'dashboard.boundary.title', help: 'dashboard.boundary.help' });
    const toggle = Object.assign(document.createElement('input'), { type: 'checkbox' });
    toggle.dataset.testid = 'boundary-show-test';
    toggle.addEventListener('change', () => {
      this.view.showTest = toggle.checked;
      this.view.paintPoints();
    });
    this.control('dashboard.boundary.show_test', toggle).closest('label').classList.add('inline');
    this.view = new BoundaryView();
    this.view.el.dataset.testid = 'boundary-chart';
    this.view.el.dataset.i18nAriaLabel = 'dashboard.boundary.title';
    this.body.append(this.view.el);
    this.key = uniqueKey('boundary');
    this.reset();
  }

  reset() {
    const data = this.dashboard.ctx.data;
    this.view.setData(data);
    this.view.setBoundary(null);
  }

  message(msg) {
    this.latest = msg;
    later(this.key, () => this.view.setBoundary(this.latest), { el: this.view.el });
  }

  redraw() {
    this.view.paintPoints();
  }
}

export class NeuronsPanel extends Panel {
  static types = ['neurons'];

  constructor(dashboard) {
    super(dashboard, { id: 'neurons', title: 'dashboard.neurons.title', help: 'dashboard.neurons.help' });
    this.grid = document.createElement('div');
    this.grid.className = 'db-neurons';
    this.grid.dataset.testid = 'neurons';
    this.body.append(this.grid);
    this.key = uniqueKey('neurons');
    this.dialog = null;
    this.enlarged = null; // [node, unit] shown in the dialog
    this.reset();
  }

  reset() {
    this.nodes = {};
    this.shape = '';
    this.grid.replaceChildren();
  }

  message(msg) {
    this.nodes = msg.nodes || {};
    const shape = Object.entries(this.nodes).map(([id, units]) => `${id}:${units.length}`).join('|');
    if (shape !== this.shape) this.build(shape);
    later(this.key, () => this.paint(), { el: this.grid });
  }

  build(shape) {
    this.shape = shape;
    this.grid.replaceChildren();
    for (const [id, units] of Object.entries(this.nodes)) {
      const row = document.createElement('div');
      row.className = 'db-neuron-row';
      const name = document.createElement('span');
      name.className = 'db-neuron-layer';
      name.textContent = this.dashboard.nodeLabel(id);
      row.append(name);
      units.forEach((_, unit) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'db-neuron';
        button.dataset.node = id;
        button.dataset.unit = String(unit);
        button.title = t('dashboard.neurons.unit', { node: this.dashboard.nodeLabel(id), unit: unit + 1 });
        button.setAttribute('aria-label', t('dashboard.neurons.enlarge', { node: this.dashboard.nodeLabel(id), unit: unit + 1 }));
        button.append(document.createElement('canvas'));
        button.addEventListener('click', () => this.enlarge(id, unit));
        row.append(button);
      });
      this.grid.append(row);
    }
  }

  paint() {
    for (const button of this.grid.querySelectorAll('button.db-neuron')) {
      const grid = (this.nodes[button.dataset.node] || [])[Number(button.dataset.unit)];
      if (grid) paintGrid(button.firstChild, grid, Math.max(maxAbs(grid), 1e-9));
    }
    if (this.enlarged && this.dialog && this.dialog.open) this.paintEnlarged();
  }

  enlarge(node, unit) {
    if (!this.dialog) {
      this.dialog = document.createElement('dialog');
      this.dialog.className = 'db-dialog';
      this.dialog.dataset.testid = 'neuron-dialog';
      const title = document.createElement('h4');
      const canvas = document.createElement('canvas');
      canvas.className = 'db-neuron-large';
      const close = document.createElement('button');
      close.type = 'button';
      close.dataset.i18n = 'dashboard.close';
      close.textContent = t('dashboard.close');
      close.addEventListener('click', () => this.dialog.close());
      this.dialog.append(title, canvas, close);
      this.dialog.addEventListener('click', (event) => { if (event.target === this.dialog) this.dialog.close(); });
      this.el.append(this.dialog);
    }
    this.enlarged = [node, unit];
    this.dialog.querySelector('h4').textContent = t('dashboard.neurons.unit', { node: this.dashboard.nodeLabel(node), unit: unit + 1 });
    this.paintEnlarged();
    this.dialog.showModal();
  }

  paintEnlarged() {
    const [node, unit] = this.enlarged;
    const grid = (this.nodes[node] || [])[unit];
    if (grid) paintGrid(this.dialog.querySelector('canvas'), grid, Math.max(maxAbs(grid), 1e-9));
  }

  redraw() {
    if (this.shape) {
      const shape = this.shape;
      this.build(shape);
      later(this.key, () => this.paint(), { el: this.grid });
    }
  }
}
