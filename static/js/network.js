// The network drawn as neurons and links. Each neuron shows its own output over the input plane
// (a small heatmap from `neurons` messages); each link's width and colour show its weight (`weights`
// messages). Hover a link or a neuron for its value; while paused, click a link (or a neuron, for its
// bias) to type a new value.
import { schedule } from './frame.js';
import { t, apply as applyI18n, onLanguageChange, formatNumber } from './i18n.js';
import { FEATURES, LIMITS } from './spec.js';
import { paintGrid, maxAbs, weightColor, weightWidth } from './colors.js';

const SVG = 'http://www.w3.org/2000/svg';
const FEATURE_GRID = 24;
const FEATURE_FN = {
  x1: (x1) => x1 / 6,
  x2: (x1, x2) => x2 / 6,
  x1_sq: (x1) => (x1 * x1) / 36,
  x2_sq: (x1, x2) => (x2 * x2) / 36,
  x1x2: (x1, x2) => (x1 * x2) / 36,
  sin_x1: (x1) => Math.sin(x1),
  sin_x2: (x1, x2) => Math.sin(x2),
};
export const FEATURE_LABELS = {
  x1: 'X<sub>1</sub>',
  x2: 'X<sub>2</sub>',
  x1_sq: 'X<sub>1</sub><sup>2</sup>',
  x2_sq: 'X<sub>2</sub><sup>2</sup>',
  x1x2: 'X<sub>1</sub>X<sub>2</sub>',
  sin_x1: 'sin(X<sub>1</sub>)',
  sin_x2: 'sin(X<sub>2</sub>)',
};

const FEATURE_TEXT = {
  x1: 'x₁', x2: 'x₂', x1_sq: 'x₁²', x2_sq: 'x₂²', x1x2: 'x₁x₂', sin_x1: 'sin(x₁)', sin_x2: 'sin(x₂)',
};

function featureGrid(name) {
  const grid = [];
  for (let r = 0; r < FEATURE_GRID; r++) {
    const x2 = -6 + (12 * r) / (FEATURE_GRID - 1);
    const row = [];
    for (let c = 0; c < FEATURE_GRID; c++) {
      const x1 = -6 + (12 * c) / (FEATURE_GRID - 1);
      row.push(FEATURE_FN[name](x1, x2));
    }
    grid.push(row);
  }
  return grid;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function el(tag, attrs = {}, html) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  if (html !== undefined) node.innerHTML = html;
  return node;
}

export class NetworkView {
  constructor(root, callbacks) {
    this.root = root;
    this.cb = callbacks;
    this.model = null;
    this.editable = true;
    this.paused = false;
    this.weights = null; // latest weights message's layers
    this.neurons = null; // latest neurons message
    this.links = new Map(); // dense id -> [row][col] -> {line, hit}
    this.neuronEls = []; // {el, canvas, column, unit, node (dense id), shown}
    this.featureGrids = Object.fromEntries(FEATURES.map((f) => [f, featureGrid(f)]));
    this.tooltip = null;
    this.editor = null;
    new ResizeObserver(() => this.build()).observe(root);
    onLanguageChange(() => this.build());
  }

  // model: networkModel(spec) (spec.js); editable: the setup may change (no active run)
  setModel(model, { editable }) {
    this.model = model;
    this.editable = editable;
    this.build();
  }

  setEditable(editable) {
    if (editable === this.editable) return;
    this.editable = editable;
    this.build();
  }

  setPaused(paused) {
    if (paused === this.paused) return;
    this.paused = paused;
    this.root.classList.toggle('paused', paused);
    // while paused, links and neurons are keyboard-reachable for editing (not before: 1,000 tab stops)
    for (const layer of this.links.values()) {
      for (const row of layer) for (const link of row) link.hit.setAttribute('tabindex', paused ? '0' : '-1');
    }
    for (const entry of this.neuronEls) entry.el.setAttribute('tabindex', paused ? '0' : '-1');
    if (!paused) this.closeEditor();
  }

  clearLive() {
    this.weights = null;
    this.neurons = null;
    this.closeEditor();
    this.build();
  }

  setWeights(message) {
    this.weights = message.layers;
    schedule('network-weights', () => this.paintWeights());
  }

  setNeurons(message) {
    this.neurons = message;
    schedule('network-neurons', () => this.paintNeurons());
  }

  // --- structure ---------------------------------------------------------------------------------

  geometry() {
    const m = this.model;
    const width = this.root.clientWidth;
    const height = this.root.clientHeight;
    const columns = m.layers.length + 2;
    const head = 46;
    const left = 64;
    const right = 18;
    const maxUnits = Math.max(FEATURES.length, ...m.layers.map((l) => l.units), m.output ? m.output.units : 1);
    const pitch = (height - head - 4) / maxUnits;
    const span = width - left - right;
    const spacing = span / Math.max(1, columns - 1);
    const size = Math.max(12, Math.min(36, pitch * 0.8, spacing * 0.42));
    const x = (c) => left + size / 2 + (c * (span - size)) / Math.max(1, columns - 1);
    const y = (j) => head + j * pitch + pitch / 2;
    return { width, height, columns, size, x, y, head };
  }

  build() {
    const m = this.model;
    this.closeEditor();
    this.root.replaceChildren();
    this.links = new Map();
    this.neuronEls = [];
    if (!m || this.root.clientWidth === 0) return;
    const g = this.geometry();
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'net-links');
    svg.setAttribute('width', g.width);
    svg.setAttribute('height', g.height);
    svg.setAttribute('role', 'group');
    svg.setAttribute('aria-label', t('network.links'));
    this.root.append(svg);
    this.svg = svg;

    // column 0: every feature; the ticked ones feed the first layer, in the spec's order
    this.columnHead(g, 0, t('network.features'), null);
    const inputPositions = [];
    FEATURES.forEach((f, j) => {
      const on = m.features.includes(f);
      const button = el('button', {
        type: 'button', class: `neuron feature live${on ? ' on' : ''}`, id: `feature-${f}`, 'data-testid': `feature-${f}`,
        'aria-pressed': on ? 'true' : 'false', disabled: !this.editable,
        title: t(`feature.${f}`),
        style: `left:${g.x(0) - g.size / 2}px;top:${g.y(j) - g.size / 2}px;width:${g.size}px;height:${g.size}px`,
      });
      const canvas = el('canvas', { width: FEATURE_GRID, height: FEATURE_GRID, 'aria-hidden': 'true' });
      button.append(canvas);
      const label = el('span', { class: 'feature-label', 'aria-hidden': 'true', style: `top:${g.y(j) - 9}px;right:${g.width - g.x(0) + g.size / 2 + 6}px` }, FEATURE_LABELS[f]);
      button.addEventListener('click', () => this.cb.onToggleFeature && this.cb.onToggleFeature(f));
      this.root.append(label, button);
      paintGrid(canvas, this.featureGrids[f], 1);
      const index = m.features.indexOf(f);
      if (index >= 0) inputPositions[index] = { x: g.x(0), y: g.y(j) };
    });

    let sources = inputPositions.filter(Boolean);
    let sourceNames = m.features.map((f) => FEATURE_TEXT[f] || f);
    const layers = [...m.layers, ...(m.output ? [m.output] : [])];
    layers.forEach((layer, li) => {
      const column = li + 1;
      const isOutput = li === layers.length - 1 && Boolean(m.output);
      if (isOutput) this.columnHead(g, column, t('network.output'), null);
      else this.columnHead(g, column, t(layer.units === 1 ? 'network.neurons_one' : 'network.neurons', { count: layer.units }), li);
      const positions = [];
      const names = [];
      for (let u = 0; u < layer.units; u++) {
        const pos = { x: g.x(column), y: g.y(u) };
        positions.push(pos);
        const name = isOutput ? t('network.output_unit', { unit: u + 1 }) : t('network.neuron_name', { layer: li + 1, unit: u + 1 });
        names.push(name);
        const div = el('div', {
          class: `neuron${isOutput ? ' output' : ''}`, tabindex: this.paused ? '0' : '-1', role: 'img',
          'data-node': layer.dense, 'data-unit': String(u), 'data-testid': `neuron-${layer.dense}-${u}`,
          'aria-label': name,
          style: `left:${pos.x - g.size / 2}px;top:${pos.y - g.size / 2}px;width:${g.size}px;height:${g.size}px`,
        });
        const canvas = el('canvas', { width: 1, height: 1, 'aria-hidden': 'true' });
        div.append(canvas);
        this.root.append(div);
        const entry = { el: div, canvas, layer, unit: u, name };
        this.neuronEls.push(entry);
        div.addEventListener('mouseenter', () => this.hoverNeuron(entry));
        div.addEventListener('focus', () => this.hoverNeuron(entry));
        div.addEventListener('mouseleave', () => this.leaveNeuron());
        div.addEventListener('blur', () => this.leaveNeuron());
        div.addEventListener('click', () => this.editBias(entry));
        div.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            this.editBias(entry);
          }
        });
      }
      this.drawLinks(layer.dense, sources, positions, g.size, sourceNames, names);
      sources = positions;
      sourceNames = names;
    });

    this.tooltip = el('div', { class: 'net-tooltip', role: 'tooltip', hidden: true });
    this.root.append(this.tooltip);
    svg.addEventListener('mouseover', (ev) => this.hoverLink(ev));
    svg.addEventListener('mouseout', () => this.hideTooltip());
    svg.addEventListener('focusin', (ev) => this.hoverLink(ev));
    svg.addEventListener('focusout', () => this.hideTooltip());
    svg.addEventListener('click', (ev) => this.editLink(ev));
    svg.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        this.editLink(ev);
      }
    });
    applyI18n(this.root);
    this.paintWeights();
    this.paintNeurons();
  }

  columnHead(g, column, text, layerIndex) {
    const head = el('div', { class: 'layer-head', style: `left:${g.x(column)}px` });
    if (layerIndex !== null && this.editable) {
      const n = layerIndex + 1;
      const layer = this.model.layers[layerIndex];
      const plus = el('button', {
        type: 'button', class: 'mini', id: `layer-${n}-add`, 'data-testid': `layer-${n}-add`,
        'aria-label': t('network.add_neuron', { layer: n }), title: t('network.add_neuron', { layer: n }),
        disabled: layer.units >= LIMITS.units[1],
      }, '+');
      const minus = el('button', {
        type: 'button', class: 'mini', id: `layer-${n}-remove`, 'data-testid': `layer-${n}-remove`,
        'aria-label': t('network.remove_neuron', { layer: n }), title: t('network.remove_neuron', { layer: n }),
        disabled: layer.units <= LIMITS.units[0],
      }, '−');
      plus.addEventListener('click', () => this.cb.onUnits && this.cb.onUnits(layerIndex, +1));
      minus.addEventListener('click', () => this.cb.onUnits && this.cb.onUnits(layerIndex, -1));
      const buttons = el('div', { class: 'mini-buttons' });
      buttons.append(plus, minus);
      head.append(buttons);
    }
    head.append(el('div', { class: 'layer-title' }, ''));
    head.lastChild.textContent = text;
    this.root.append(head);
  }

  drawLinks(node, sources, targets, size, sourceNames, targetNames) {
    const rows = [];
    const group = document.createElementNS(SVG, 'g');
    const hits = document.createElementNS(SVG, 'g');
    group.setAttribute('class', 'link-lines');
    hits.setAttribute('class', 'link-hits');
    targets.forEach((to, row) => {
      const cols = [];
      sources.forEach((from, col) => {
        const x1 = from.x + size / 2;
        const x2 = to.x - size / 2;
        const mx = (x1 + x2) / 2;
        const d = `M${x1},${from.y} C${mx},${from.y} ${mx},${to.y} ${x2},${to.y}`;
        const line = document.createElementNS(SVG, 'path');
        line.setAttribute('d', d);
        line.setAttribute('class', 'link');
        const hit = document.createElementNS(SVG, 'path');
        hit.setAttribute('d', d);
        hit.setAttribute('class', 'link-hit');
        hit.setAttribute('tabindex', this.paused ? '0' : '-1');
        hit.dataset.node = node;
        hit.dataset.row = String(row);
        hit.dataset.col = String(col);
        hit.setAttribute('data-testid', `link-${node}-${row}-${col}`);
        const label = t('network.link_name', { from: sourceNames[col] ?? col + 1, to: targetNames[row] ?? row + 1 });
        hit.dataset.label = label;
        hit.setAttribute('aria-label', label);
        group.append(line);
        hits.append(hit);
        cols.push({ line, hit });
      });
      rows.push(cols);
    });
    this.svg.append(group, hits);
    this.links.set(node, rows);
  }

  // --- live pictures -----------------------------------------------------------------------------

  paintWeights() {
    const layers = this.weights;
    for (const [node, rows] of this.links) {
      const w = layers && layers[node] ? layers[node].weight : null;
      rows.forEach((cols, r) => cols.forEach((link, c) => {
        const value = w && w[r] ? w[r][c] : undefined;
        if (value === undefined || value === null) {
          link.line.style.stroke = '';
          link.line.style.strokeWidth = '';
          link.line.classList.add('unknown');
          delete link.hit.dataset.weight;
        } else {
          link.hit.dataset.weight = String(value);
          link.line.style.stroke = weightColor(value);
          link.line.style.strokeWidth = `${weightWidth(value).toFixed(2)}px`;
          link.line.classList.remove('unknown');
        }
      }));
    }
  }

  paintNeurons() {
    const nodes = this.neurons ? this.neurons.nodes || {} : {};
    for (const entry of this.neuronEls) {
      const grids = nodes[entry.layer.shown] || nodes[entry.layer.dense];
      const grid = grids ? grids[entry.unit] : null;
      if (grid) {
        paintGrid(entry.canvas, grid, Math.max(1, maxAbs(grid)));
        entry.el.classList.add('live');
      } else {
        entry.el.classList.remove('live');
        const ctx = entry.canvas.getContext('2d');
        ctx.clearRect(0, 0, entry.canvas.width, entry.canvas.height);
      }
    }
  }

  weightOf(node, row, col) {
    const layer = this.weights && this.weights[node];
    if (!layer) return undefined;
    if (col === 'bias') return layer.bias ? layer.bias[row] : undefined;
    return layer.weight && layer.weight[row] ? layer.weight[row][col] : undefined;
  }

  // --- hover and editing ---------------------------------------------------------------------------

  showTooltip(html, x, y) {
    if (!this.tooltip) return;
    this.tooltip.innerHTML = html;
    this.tooltip.hidden = false;
    const box = this.root.getBoundingClientRect();
    const w = this.tooltip.offsetWidth;
    const left = Math.min(Math.max(4, x - box.left + 12), box.width - w - 4);
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${Math.max(0, y - box.top - 34)}px`;
  }

  hideTooltip() {
    if (this.tooltip) this.tooltip.hidden = true;
  }

  hoverLink(event) {
    const hit = event.target.closest && event.target.closest('.link-hit');
    if (!hit) return;
    const { node, row, col } = hit.dataset;
    const value = this.weightOf(node, Number(row), Number(col));
    const rect = hit.getBoundingClientRect();
    const x = event.clientX ?? rect.left + rect.width / 2;
    const y = event.clientY ?? rect.top + rect.height / 2;
    const hint = this.paused ? `<div class="hint">${t('network.click_to_edit')}</div>` : '';
    const label = escapeHtml(hit.dataset.label || '');
    this.showTooltip(`${label}<br>${t('network.weight')}: <b>${value === undefined ? '–' : formatNumber(value, 4)}</b>${hint}`, x, y);
    for (const line of this.svg.querySelectorAll('.link.highlight')) line.classList.remove('highlight');
    const rows = this.links.get(node);
    if (rows) rows[Number(row)][Number(col)].line.classList.add('highlight');
  }

  hoverNeuron(entry) {
    const bias = this.weightOf(entry.layer.dense, entry.unit, 'bias');
    const rect = entry.el.getBoundingClientRect();
    const biasText = bias === undefined ? '' : `<br>${t('network.bias')}: <b>${formatNumber(bias, 4)}</b>`;
    const hint = this.paused && bias !== undefined ? `<div class="hint">${t('network.click_to_edit_bias')}</div>` : '';
    this.showTooltip(`${escapeHtml(entry.name)}${biasText}${hint}`, rect.right, rect.top + 30);
    const nodes = this.neurons ? this.neurons.nodes || {} : {};
    const grids = nodes[entry.layer.shown] || nodes[entry.layer.dense];
    if (this.cb.onHoverNeuron && grids && grids[entry.unit]) this.cb.onHoverNeuron(grids[entry.unit], entry.name);
  }

  leaveNeuron() {
    this.hideTooltip();
    if (this.cb.onHoverNeuron) this.cb.onHoverNeuron(null);
  }

  editLink(event) {
    const hit = event.target.closest && event.target.closest('.link-hit');
    if (!hit || !this.paused) return;
    const { node, row, col } = hit.dataset;
    const rect = hit.getBoundingClientRect();
    const x = event.clientX || rect.left + rect.width / 2;
    const y = event.clientY || rect.top + rect.height / 2;
    this.openEditor({ node, row: Number(row), col: Number(col) }, x, y, `${t('network.weight')}: ${hit.dataset.label}`);
  }

  editBias(entry) {
    if (!this.paused) return;
    const bias = this.weightOf(entry.layer.dense, entry.unit, 'bias');
    if (bias === undefined) return; // a layer without bias
    const rect = entry.el.getBoundingClientRect();
    this.openEditor({ node: entry.layer.dense, row: entry.unit, col: 'bias' }, rect.right, rect.top + rect.height / 2,
      t('network.edit_bias', { name: entry.name }));
  }

  openEditor(target, x, y, label) {
    this.closeEditor();
    this.hideTooltip();
    const current = this.weightOf(target.node, target.row, target.col);
    const form = el('form', { class: 'weight-editor', 'data-testid': 'weight-editor' });
    const id = 'weight-editor-input';
    form.append(el('label', { for: id }, ''));
    form.firstChild.textContent = label;
    const input = el('input', {
      id, type: 'number', step: 'any', min: '-100', max: '100', required: true,
      value: current === undefined ? '' : String(Number(current.toPrecision(4))),
    });
    const error = el('div', { class: 'editor-error', role: 'alert' });
    form.append(input, error);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(value) || Math.abs(value) > 100) {
        error.textContent = t('network.weight_range');
        return;
      }
      this.cb.onEditWeight && this.cb.onEditWeight({ ...target, value });
      this.closeEditor();
    });
    form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        this.closeEditor();
      }
    });
    input.addEventListener('blur', () => setTimeout(() => {
      if (this.editor === form && !form.contains(document.activeElement)) this.closeEditor();
    }, 150));
    const box = this.root.getBoundingClientRect();
    form.style.left = `${Math.min(Math.max(4, x - box.left), box.width - 170)}px`;
    form.style.top = `${Math.min(Math.max(4, y - box.top + 8), box.height - 70)}px`;
    this.root.append(form);
    this.editor = form;
    input.focus();
    input.select();
  }

  closeEditor() {
    if (this.editor) {
      const form = this.editor;
      this.editor = null;
      form.remove();
    }
  }
}
