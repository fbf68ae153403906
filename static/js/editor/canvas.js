// The canvas: Drawflow (npm `drawflow`, loaded as a plain script) draws the nodes, ports and wires and
// lets the student drag, connect, zoom and pan. This wrapper keeps Drawflow's numeric node ids apart
// from the spec's ids and reports what the student did as plain events; the editor's graph stays the
// source of truth and can re-render the canvas whole (undo, templates, imports).
import { blockName, summary } from './catalogue.js';

const PORT_OUT = 'output_1';
const PORT_IN = 'input_1';
const NODE_WIDTH = 190;
const NODE_HEIGHT = 92;

function escapeAttr(text) {
  return String(text).replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' }[c]));
}

// A wire from an output port (bottom of a node) down to an input port (top of the next): Drawflow's
// own curve leaves sideways, for ports on the left and right edges.
function verticalCurve(startX, startY, endX, endY, curvature) {
  // downwards: a gentle S; upwards (into the next column of a wrapped layout): a short loop
  const bend = endY > startY ? Math.max((endY - startY) * curvature, 30) : 40;
  return ` M ${startX} ${startY} C ${startX} ${startY + bend} ${endX} ${endY - bend} ${endX} ${endY}`;
}

export class Canvas {
  // handlers: connect({from, to}), disconnect({from, to}), remove({id}), move({id, x, y}), select({id|null})
  constructor(container, catalogue, handlers) {
    this.el = container;
    this.catalogue = catalogue;
    this.handlers = handlers;
    this.df = new window.Drawflow(container);
    this.df.reroute = false;
    this.df.zoom_min = 0.25;
    this.df.zoom_max = 2;
    this.df.createCurvature = verticalCurve; // ports sit on the top and bottom edges (see editor.css)
    this.df.start();
    this.dfIdOf = new Map(); // spec id -> Drawflow id (a string of digits)
    this.idOf = new Map(); // Drawflow id -> spec id
    this.silent = false; // true while we change Drawflow ourselves: its events are not the student's
    this.status = new Map(); // spec id -> the last validation status shown on it
    this.listen();
  }

  listen() {
    const on = (name, fn) => this.df.on(name, (detail) => { if (!this.silent) fn(detail); });
    on('connectionCreated', (c) => this.handlers.connect({ from: this.idOf.get(String(c.output_id)), to: this.idOf.get(String(c.input_id)) }));
    on('connectionRemoved', (c) => this.handlers.disconnect({ from: this.idOf.get(String(c.output_id)), to: this.idOf.get(String(c.input_id)) }));
    on('nodeRemoved', (dfId) => {
      const id = this.idOf.get(String(dfId));
      this.forget(String(dfId));
      this.handlers.remove({ id });
    });
    on('nodeMoved', (dfId) => {
      const data = this.df.getNodeFromId(dfId);
      this.handlers.move({ id: this.idOf.get(String(dfId)), x: Math.round(data.pos_x), y: Math.round(data.pos_y) });
    });
    on('nodeSelected', (dfId) => this.handlers.select({ id: this.idOf.get(String(dfId)) }));
    on('nodeUnselected', () => this.handlers.select({ id: null }));
  }

  forget(dfId) {
    const id = this.idOf.get(dfId);
    this.idOf.delete(dfId);
    this.dfIdOf.delete(id);
  }

  // --- drawing -------------------------------------------------------------------------------------

  render(graph) {
    this.silent = true;
    try {
      this.df.clear();
      this.df.node_selected = null; // the old elements are gone: Delete must not reach for them
      this.df.connection_selected = null;
      this.dfIdOf.clear();
      this.idOf.clear();
      for (const node of graph.nodes) this.addNode(node);
      for (const [from, to] of graph.edges) this.connect(from, to);
    } finally {
      this.silent = false;
    }
  }

  addNode(node) {
    const inputs = this.catalogue.inputs(node.type) === 0 ? 0 : 1;
    const html = `<div class="ed-node" data-node="${escapeAttr(node.id)}" data-testid="node">
      <div class="ed-node-title"><span class="ed-node-name"></span><code class="ed-node-id"></code></div>
      <div class="ed-node-summary"></div>
      <div class="ed-node-shape" data-testid="node-shape"></div>
      <div class="ed-node-error" data-testid="node-error" role="alert" hidden></div></div>`;
    const wasSilent = this.silent;
    this.silent = true;
    const dfId = String(this.df.addNode(node.type, inputs, 1, node.x, node.y, `ed-type-${node.type}`, {}, html));
    this.silent = wasSilent;
    this.dfIdOf.set(node.id, dfId);
    this.idOf.set(dfId, node.id);
    this.refreshNode(node);
    const shown = this.status.get(node.id);
    if (shown) this.showStatus(node.id, shown);
    return dfId;
  }

  nodeEl(id) {
    const dfId = this.dfIdOf.get(id);
    return dfId ? this.el.querySelector(`#node-${dfId}`) : null;
  }

  refreshNode(node) {
    const el = this.nodeEl(node.id);
    if (!el) return;
    el.querySelector('.ed-node-name').textContent = blockName(node.type);
    el.querySelector('.ed-node-id').textContent = node.id;
    el.querySelector('.ed-node-summary').textContent = summary(this.catalogue.get(node.type), node.params);
  }

  // status: {shape, params} from a valid graph, {error, fix} for an invalid node, {} when unknown.
  showStatus(id, status) {
    this.status.set(id, status);
    const el = this.nodeEl(id);
    if (!el) return;
    const shapeEl = el.querySelector('.ed-node-shape');
    const errorEl = el.querySelector('.ed-node-error');
    shapeEl.textContent = status.shapeText || '';
    el.classList.toggle('ed-invalid', Boolean(status.error));
    errorEl.hidden = !status.error;
    errorEl.replaceChildren();
    if (status.error) { // the face shows a few lines of each: the whole text is in the side panel and the tooltip
      const text = Object.assign(document.createElement('span'), { className: 'ed-error-text', textContent: status.error });
      errorEl.append(text);
      if (status.fix) errorEl.append(Object.assign(document.createElement('span'), { className: 'ed-error-fix', textContent: `→ ${status.fix}` }));
      errorEl.title = status.error + (status.fix ? ` → ${status.fix}` : '');
    }
  }

  connect(from, to) {
    const a = this.dfIdOf.get(from);
    const b = this.dfIdOf.get(to);
    if (!a || !b) return;
    const wasSilent = this.silent;
    this.silent = true;
    this.df.addConnection(a, b, PORT_OUT, PORT_IN);
    this.silent = wasSilent;
  }

  disconnect(from, to) {
    const a = this.dfIdOf.get(from);
    const b = this.dfIdOf.get(to);
    if (!a || !b) return;
    const wasSilent = this.silent;
    this.silent = true;
    this.df.removeSingleConnection(a, b, PORT_OUT, PORT_IN);
    this.silent = wasSilent;
  }

  // Removes a node the way the Delete key does: the nodeRemoved event tells the editor.
  removeNode(id) {
    const dfId = this.dfIdOf.get(id);
    if (dfId) this.df.removeNodeId(`node-${dfId}`);
  }

  // Marks a node selected as a click would (Drawflow has no call for it).
  select(id) {
    for (const el of this.el.querySelectorAll('.drawflow-node.selected')) el.classList.remove('selected');
    const el = this.nodeEl(id);
    this.df.node_selected = el;
    if (el) el.classList.add('selected');
  }

  // --- the view ------------------------------------------------------------------------------------

  clientToCanvas(clientX, clientY) {
    const rect = this.df.precanvas.getBoundingClientRect();
    return { x: (clientX - rect.x) / this.df.zoom, y: (clientY - rect.y) / this.df.zoom };
  }

  // A free spot near the middle of what the student sees (for blocks added from the keyboard).
  centre(graph) {
    const rect = this.el.getBoundingClientRect();
    const mid = this.clientToCanvas(rect.x + rect.width / 2 - NODE_WIDTH / 2, rect.y + rect.height / 2 - NODE_HEIGHT / 2);
    const free = (x, y) => !graph.nodes.some((n) => Math.abs(n.x - x) < NODE_WIDTH + 10 && Math.abs(n.y - y) < NODE_HEIGHT);
    for (let ring = 0; ring < 8; ring += 1) { // the nearest free spot, trying right, left, below, above
      for (const [dx, dy] of [[ring, 0], [-ring, 0], [0, ring], [0, -ring], [ring, ring], [-ring, ring]]) {
        const x = mid.x + dx * (NODE_WIDTH + 20);
        const y = mid.y + dy * (NODE_HEIGHT + 10);
        if (free(x, y)) return { x, y };
      }
    }
    return mid;
  }

  zoomIn() {
    this.df.zoom_in();
  }

  zoomOut() {
    this.df.zoom_out();
  }

  setView(zoom, x, y) {
    this.df.zoom = zoom;
    this.df.zoom_last_value = zoom;
    this.df.canvas_x = x;
    this.df.canvas_y = y;
    this.df.precanvas.style.transform = `translate(${x}px, ${y}px) scale(${zoom})`;
  }

  // Zoom and pan so that every node is in view (the precanvas scales about its centre).
  fit(graph, pad = 30) {
    if (!graph.nodes.length) {
      this.setView(1, 0, 0);
      return;
    }
    const boxes = graph.nodes.map((n) => {
      const el = this.nodeEl(n.id);
      return { x: n.x, y: n.y, w: el ? el.offsetWidth : NODE_WIDTH, h: el ? el.offsetHeight : NODE_HEIGHT };
    });
    const minX = Math.min(...boxes.map((b) => b.x));
    const minY = Math.min(...boxes.map((b) => b.y));
    const maxX = Math.max(...boxes.map((b) => b.x + b.w));
    const maxY = Math.max(...boxes.map((b) => b.y + b.h));
    const W = this.el.clientWidth;
    const H = this.el.clientHeight;
    const zoom = Math.max(this.df.zoom_min, Math.min(1.2, (W - 2 * pad) / (maxX - minX), (H - 2 * pad) / (maxY - minY)));
    const ox = this.df.precanvas.offsetWidth / 2;
    const oy = this.df.precanvas.offsetHeight / 2;
    // screen = o·(1 − zoom) + t + p·zoom; centre the box
    const tx = (W - (maxX - minX) * zoom) / 2 - ox * (1 - zoom) - minX * zoom;
    const ty = (H - (maxY - minY) * zoom) / 2 - oy * (1 - zoom) - minY * zoom;
    this.setView(zoom, tx, ty);
  }

  get zoom() {
    return this.df.zoom;
  }
}

export const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
