// The network being edited, as plain data: nodes {id, type, params, x, y} (insertion order kept), edges
// [from, to] (their order is the order of a concat's inputs), and the dataset and training sections of
// the spec. Pure functions and a small undo history; no DOM here.

export const DEFAULT_TRAINING = { optimizer: 'adam', learning_rate: 0.01, batch_size: 32, epochs: 20 };

export function emptyGraph() {
  return { nodes: [], edges: [], dataset: { name: 'spiral' }, training: { ...DEFAULT_TRAINING } };
}

export function clone(graph) {
  return JSON.parse(JSON.stringify(graph));
}

export function findNode(graph, id) {
  return graph.nodes.find((n) => n.id === id) || null;
}

// A fresh id for a block of `type`: a short readable prefix and the first free number (conv2d → c1).
const PREFIXES = { input: 'in', dense: 'h', activation: 'a', conv2d: 'c', flatten: 'f', maxpool2d: 'p', avgpool2d: 'p',
  lstm: 'lstm', gru: 'gru', rnn: 'rnn', embedding: 'emb', transformer_block: 'tb', dropout: 'drop' };

export function newId(graph, type) {
  const prefix = PREFIXES[type] || type.replace(/[^a-z]/g, '').slice(0, 4) || 'n';
  const taken = new Set(graph.nodes.map((n) => n.id));
  if (type === 'input' && !taken.has('in')) return 'in';
  for (let k = 1; ; k += 1) {
    if (!taken.has(`${prefix}${k}`)) return `${prefix}${k}`;
  }
}

export function addNode(graph, type, params, x, y) {
  const node = { id: newId(graph, type), type, params: { ...params }, x: Math.round(x), y: Math.round(y) };
  graph.nodes.push(node);
  return node;
}

export function removeNode(graph, id) {
  graph.nodes = graph.nodes.filter((n) => n.id !== id);
  graph.edges = graph.edges.filter(([a, b]) => a !== id && b !== id);
}

export function hasEdge(graph, from, to) {
  return graph.edges.some(([a, b]) => a === from && b === to);
}

export function addEdge(graph, from, to) {
  if (from !== to && !hasEdge(graph, from, to)) graph.edges.push([from, to]);
}

export function removeEdge(graph, from, to) {
  graph.edges = graph.edges.filter(([a, b]) => !(a === from && b === to));
}

export function sourcesOf(graph, id) {
  return graph.edges.filter(([, b]) => b === id).map(([a]) => a);
}

// A copy of a node next to it, with its params but none of its edges.
export function duplicateNode(graph, id) {
  const node = findNode(graph, id);
  if (!node) return null;
  return addNode(graph, node.type, JSON.parse(JSON.stringify(node.params)), node.x + 40, node.y + 60);
}

// --- graph ⇄ spec ----------------------------------------------------------------------------------

export function toSpec(graph) {
  return {
    network: {
      nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, params: n.params, x: n.x, y: n.y })),
      edges: graph.edges.map((e) => [...e]),
    },
    dataset: { ...graph.dataset },
    training: { ...graph.training },
  };
}

// Any spec (a run's, a file's, a template's) -> a graph. Nodes without a position get none (null):
// the caller lays them out.
export function fromSpec(spec) {
  const graph = emptyGraph();
  const network = (spec && spec.network) || {};
  graph.nodes = (Array.isArray(network.nodes) ? network.nodes : []).filter((n) => n && typeof n.id === 'string')
    .map((n) => ({
      id: n.id,
      type: String(n.type),
      params: n.params && typeof n.params === 'object' ? { ...n.params } : {},
      x: Number.isFinite(n.x) ? n.x : null,
      y: Number.isFinite(n.y) ? n.y : null,
    }));
  const ids = new Set(graph.nodes.map((n) => n.id));
  graph.edges = (Array.isArray(network.edges) ? network.edges : [])
    .filter((e) => Array.isArray(e) && ids.has(e[0]) && ids.has(e[1])).map((e) => [e[0], e[1]]);
  if (spec && spec.dataset && typeof spec.dataset === 'object') graph.dataset = { ...spec.dataset };
  if (spec && spec.training && typeof spec.training === 'object') graph.training = { ...DEFAULT_TRAINING, ...spec.training };
  return graph;
}

export function needsLayout(graph) {
  return graph.nodes.some((n) => n.x === null || n.y === null);
}

// --- undo / redo: snapshots of the whole graph (small: at most 64 nodes) ------------------------------

export class History {
  constructor(limit = 200) {
    this.limit = limit;
    this.past = [];
    this.future = [];
  }

  // Call with the graph as it was before a change.
  record(before) {
    this.past.push(JSON.stringify(before));
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(current) {
    if (!this.past.length) return null;
    this.future.push(JSON.stringify(current));
    return JSON.parse(this.past.pop());
  }

  redo(current) {
    if (!this.future.length) return null;
    this.past.push(JSON.stringify(current));
    return JSON.parse(this.future.pop());
  }

  get canUndo() {
    return this.past.length > 0;
  }

  get canRedo() {
    return this.future.length > 0;
  }
}
