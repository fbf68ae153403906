// The editor's controller: one graph (graph.js) as the source of truth, changed only through change(),
// which records undo history, redraws what needs it, saves the spec for the quick mode and schedules
// validation. The canvas, palette and side panel report what the student did; this file decides.
import { t } from '../i18n.js';
import { fromQuery as quickFromQuery, fromSpec as quickFromSpec, toQuery as quickToQuery, toSpec as quickToSpec } from '../spec.js';
import { Canvas } from './canvas.js';
import * as G from './graph.js';
import { autoLayout } from './layout.js';
import { ShapeMemory, splitFix, Validator } from './validation.js';

export const STORAGE_KEY = 'neural-playground.editor.spec';

export class Editor {
  constructor({ canvasEl, catalogue, datasets, panel, ui }) {
    this.catalogue = catalogue;
    this.datasets = new Map(datasets.map((d) => [d.name, d]));
    this.panel = panel;
    this.ui = ui; // {undo, redo, duplicate, remove, total, validity, graphErrors, empty, quickMode, notify}
    this.graph = G.emptyGraph();
    this.history = new G.History();
    this.selected = null;
    this.status = new Map(); // node id -> {shapeText} | {error, fix}
    this.recording = false; // one undo step per burst of synchronous changes (a delete = its wires + its node)
    this.lastResult = null;
    this.canvas = new Canvas(canvasEl, catalogue, {
      connect: (e) => this.onConnect(e.from, e.to),
      disconnect: (e) => this.change(() => G.removeEdge(this.graph, e.from, e.to)),
      remove: (e) => this.change(() => {
        G.removeNode(this.graph, e.id);
        if (this.selected === e.id) this.selected = null;
      }),
      move: (e) => {
        const node = G.findNode(this.graph, e.id);
        if (node && (node.x !== e.x || node.y !== e.y)) this.change(() => Object.assign(node, { x: e.x, y: e.y }), { validate: false });
      },
      select: (e) => this.select(e.id),
    });
    this.shapes = new ShapeMemory();
    this.validator = new Validator((result) => this.showValidation(result));
  }

  // --- changing the graph ----------------------------------------------------------------------------

  // merge: a key for edits that make one undo step when they follow each other quickly (typing "16"
  // into one field is one change, not two).
  change(mutate, { render = false, validate = true, merge = null } = {}) {
    const now = performance.now();
    const merged = merge !== null && merge === this.lastMerge && now - this.lastMergeAt < 1500;
    this.lastMerge = merge;
    this.lastMergeAt = now;
    if (!this.recording && !merged) {
      this.history.record(this.graph);
      this.recording = true;
      queueMicrotask(() => { this.recording = false; });
    }
    mutate();
    if (render) this.render();
    this.afterChange(validate);
  }

  afterChange(validate = true) {
    this.ui.undo.disabled = !this.history.canUndo;
    this.ui.redo.disabled = !this.history.canRedo;
    const hasSelection = Boolean(this.selected && G.findNode(this.graph, this.selected));
    this.ui.duplicate.disabled = !hasSelection;
    this.ui.remove.disabled = !hasSelection;
    this.ui.empty.hidden = this.graph.nodes.length > 0;
    this.showPanel();
    this.save();
    this.updateQuickLink();
    if (validate) this.validator.schedule(this.spec());
  }

  render() {
    this.canvas.render(this.graph);
    if (this.selected && G.findNode(this.graph, this.selected)) this.canvas.select(this.selected);
    else this.selected = null;
  }

  spec() {
    return G.toSpec(this.graph);
  }

  // A whole new graph (template, library, import, fork): one undoable step, laid out when it has no
  // positions, fitted to the screen.
  load(spec, { record = true } = {}) {
    const graph = G.fromSpec(spec);
    for (const node of graph.nodes) node.params = this.catalogue.normalise(node.type, node.params); // defaults shown
    const apply = () => {
      this.graph = graph;
      this.selected = null;
      this.status.clear();
      this.canvas.status.clear();
    };
    if (record) this.change(apply, { render: false });
    else apply();
    if (G.needsLayout(this.graph)) autoLayout(this.graph, new Map(), this.viewSize());
    this.render();
    this.afterChange();
    requestAnimationFrame(() => this.fit());
  }

  addBlock(type, clientPoint) {
    const overrides = {};
    const dataset = this.datasets.get(this.graph.dataset.name);
    if (type === 'input' && dataset && dataset.kind) overrides.kind = dataset.kind; // the input the dataset gives
    const at = clientPoint ? this.canvas.clientToCanvas(clientPoint.x, clientPoint.y) : this.canvas.centre(this.graph);
    let node;
    this.change(() => {
      node = G.addNode(this.graph, type, this.catalogue.defaults(type, overrides), at.x, at.y);
      this.canvas.addNode(node);
      this.selected = node.id;
    });
    this.canvas.select(node.id);
    this.afterChange(false);
    return node;
  }

  // drawn: Drawflow has already drawn the wire (the student dragged it); else it is drawn here (the
  // side panel's keyboard way of connecting).
  onConnect(from, to, drawn = true) {
    const target = G.findNode(this.graph, to);
    if (!target || !from || from === to) return;
    if (this.catalogue.inputs(target.type) === 0) { // the input takes no wires: undo Drawflow's
      if (drawn) this.canvas.disconnect(from, to);
      this.ui.notify(t('editor.input_takes_no_wire'), true);
      return;
    }
    if (!drawn) this.canvas.connect(from, to);
    this.change(() => {
      if (!this.catalogue.manyInputs(target.type)) { // one input: the new wire replaces the old one
        for (const old of G.sourcesOf(this.graph, to)) {
          if (old === from) continue;
          G.removeEdge(this.graph, old, to);
          this.canvas.disconnect(old, to);
        }
      }
      G.addEdge(this.graph, from, to);
    });
  }

  disconnect(from, to) {
    this.canvas.disconnect(from, to);
    this.change(() => G.removeEdge(this.graph, from, to));
    this.showPanel(true);
  }

  setParam(id, name, value) {
    const node = G.findNode(this.graph, id);
    if (!node) return;
    const before = Object.keys(node.params).join();
    this.change(() => {
      node.params = this.catalogue.normalise(node.type, { ...node.params, [name]: value });
      this.canvas.refreshNode(node);
    }, { merge: `param:${id}:${name}` });
    // params that appear or vanish (a `when`) need the form redrawn; otherwise keep the focus where it is
    if (Object.keys(node.params).join() !== before) this.showPanel(true);
  }

  setDataset(name) {
    const dataset = this.datasets.get(name);
    this.change(() => {
      this.graph.dataset = { name };
      if (dataset && dataset.kind) {
        for (const node of this.graph.nodes.filter((n) => n.type === 'input')) {
          node.params = this.catalogue.normalise('input', { ...node.params, kind: dataset.kind });
          this.canvas.refreshNode(node);
        }
      }
    });
    this.showPanel(true);
  }

  setDatasetParam(name, value) {
    this.change(() => { this.graph.dataset = { ...this.graph.dataset, [name]: value }; }, { merge: `dataset:${name}` });
  }

  setTraining(name, value) {
    this.change(() => { this.graph.training = { ...this.graph.training, [name]: value }; }, { merge: `training:${name}` });
  }

  duplicate(id = this.selected) {
    if (!id || !G.findNode(this.graph, id)) return;
    let copy;
    this.change(() => {
      copy = G.duplicateNode(this.graph, id);
      this.canvas.addNode(copy);
      this.selected = copy.id;
    });
    this.canvas.select(copy.id);
    this.afterChange(false);
  }

  remove(id = this.selected) {
    if (id) this.canvas.removeNode(id); // Drawflow reports the removal like a Delete key press
  }

  undo() {
    this.lastMerge = null; // what is typed next is a step of its own
    const previous = this.history.undo(this.graph);
    if (!previous) return;
    this.graph = previous;
    this.render();
    this.afterChange();
  }

  redo() {
    this.lastMerge = null;
    const next = this.history.redo(this.graph);
    if (!next) return;
    this.graph = next;
    this.render();
    this.afterChange();
  }

  viewSize() {
    return { width: this.canvas.el.clientWidth || 800, height: this.canvas.el.clientHeight || 600 };
  }

  // Tidy up: dagre's layers, with each block's real size; one undo step.
  layout() {
    const sizes = new Map(this.graph.nodes.map((n) => {
      const el = this.canvas.nodeEl(n.id);
      return [n.id, el ? { width: el.offsetWidth, height: el.offsetHeight } : undefined];
    }).filter(([, s]) => s));
    this.change(() => autoLayout(this.graph, sizes, this.viewSize()), { render: true, validate: false });
    this.fit();
  }

  fit() {
    this.canvas.fit(this.graph);
  }

  select(id) {
    this.selected = id;
    this.afterChange(false);
  }

  // --- what the student sees besides the canvas ------------------------------------------------------

  showPanel(force = false) {
    const key = `${this.selected}|${this.graph.dataset.name}`;
    // redraw the form only when the subject changed (typing must not lose the focus), or when asked
    if (!force && key === this.panelKey && this.panel.nodeRoot.contains(document.activeElement)) return;
    if (!force && key === this.panelKey && this.panel.setupRoot.contains(document.activeElement)) return;
    this.panelKey = key;
    this.panel.show(this.graph, this.selected, this.status);
  }

  showValidation(result) {
    this.lastResult = result;
    this.status.clear();
    const known = new Set(this.graph.nodes.map((n) => n.id));
    const loose = [];
    if (result.ok) {
      this.shapes.remember({ ...result.spec.network, dataset: result.spec.dataset }, result.nodes);
      this.adoptInputShape(result);
    }
    const nodes = result.ok ? result.nodes : { ...this.shapes.recall(this.graph), ...result.nodes };
    for (const node of this.graph.nodes) {
      const info = nodes[node.id];
      if (info) {
        const shape = info.shape.join('×');
        this.status.set(node.id, { shapeText: t('editor.shape', { shape, params: info.params.toLocaleString() }), shape: info.shape });
      }
    }
    for (const e of result.errors) {
      if (e.node && known.has(e.node)) {
        const split = splitFix(e.message);
        const error = split.error.replace(/^\w+ node '[^']*' /, ''); // "dense node 'h1' expects…": the block says which
        const { fix } = split;
        const was = this.status.get(e.node);
        // several errors on one node: show them all
        this.status.set(e.node, was && was.error ? { ...was, error: `${was.error}; ${error}` } : { error, fix });
      } else {
        loose.push(e.message);
      }
    }
    for (const node of this.graph.nodes) this.canvas.showStatus(node.id, this.status.get(node.id) || {});
    this.ui.total.value = result.ok ? result.total.toLocaleString() : '–';
    this.ui.total.textContent = this.ui.total.value;
    const state = result.offline ? 'offline' : result.ok ? 'valid' : 'invalid';
    this.ui.validity.dataset.state = state;
    this.ui.validity.textContent = t(`editor.validity.${state}`, { count: result.errors.length });
    this.ui.graphErrors.replaceChildren(...loose.map((message) => {
      const li = document.createElement('li');
      li.textContent = message;
      return li;
    }));
    this.showPanel(true);
  }

  // The dataset decides the input's shape (the server fills the input's params from it): show those
  // values, not the editor's defaults. Not an undo step: it is the dataset's doing, not the student's.
  adoptInputShape(result) {
    if (!result.normalised || JSON.stringify(result.spec) !== JSON.stringify(this.spec())) return; // edited since
    for (const served of result.normalised.network.nodes) {
      const node = G.findNode(this.graph, served.id);
      if (!node || node.type !== 'input' || JSON.stringify(node.params) === JSON.stringify(served.params)) continue;
      node.params = { ...served.params };
      this.canvas.refreshNode(node);
      this.save();
    }
  }

  // The quick mode shows chains of dense + one activation on the 2-D sets: link there when it can.
  updateQuickLink() {
    const spec = this.spec();
    const link = this.ui.quickMode;
    try {
      const features = spec.dataset.features || ['x1', 'x2'];
      const { setup, warnings } = quickFromSpec({ ...spec, dataset: { ...spec.dataset, features } });
      const quickable = !warnings.length && setup.dataset === spec.dataset.name
        && spec.network.nodes.every((n) => ['input', 'dense', 'activation'].includes(n.type));
      link.href = quickable ? `/?${quickToQuery(setup)}` : '/';
      link.title = quickable ? t('editor.quick_mode_help') : t('editor.quick_mode_cannot');
    } catch (err) {
      link.href = '/';
      link.title = t('editor.quick_mode_cannot');
    }
  }

  save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.spec()));
    } catch (err) {
      // storage off or full: the editor still works, it just does not remember
    }
  }

  // --- where the first graph comes from ----------------------------------------------------------------

  static initialSpec({ fork, search, fallback }) {
    if (fork) return fork.spec;
    const query = new URLSearchParams(search);
    if (query.has('dataset') || query.has('layers')) return quickToSpec(quickFromQuery(search).setup); // from the quick mode
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
      if (stored && stored.network && Array.isArray(stored.network.nodes)) return stored;
    } catch (err) {
      // a broken stored spec: start from the template
    }
    return fallback;
  }
}
