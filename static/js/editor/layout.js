// Auto-layout with dagre (npm `@dagrejs/dagre`): layers from the input at the top to the output at
// the bottom (the nodes' ports sit on their top and bottom edges). A long network is then wrapped into
// side-by-side columns of layers, so that it fits a laptop screen at a readable size.
import dagre from '../../vendor/dagre/dagre.esm.js';
import { NODE_SIZE } from './canvas.js';

const COLUMN_GAP = 60;

function place(graph, sizes) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 50, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { ...(sizes.get(node.id) || NODE_SIZE) });
  for (const [from, to] of graph.edges) g.setEdge(from, to);
  dagre.layout(g);
  return new Map(graph.nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2), height: p.height }];
  }));
}

// Layers (nodes sharing a y) split into `columns` runs of consecutive layers, each run moved to the
// right of the previous one and up to the top.
function wrap(positions, view) {
  const all = [...positions.values()];
  if (!all.length) return positions;
  const rows = [...new Set(all.map((p) => p.y))].sort((a, b) => a - b);
  const width = Math.max(...all.map((p) => p.x)) - Math.min(...all.map((p) => p.x)) + NODE_SIZE.width;
  const height = Math.max(...all.map((p) => p.y + p.height)) - rows[0];
  // one column while it fits the canvas's height; else as many as it takes, or as make the drawing's
  // shape closest to the canvas's, whichever is fewer (the rest is the zoom's job)
  const needed = Math.ceil(height / Math.max(view.height - 60, 200));
  const balanced = Math.round(Math.sqrt((height * view.width) / (width * view.height)));
  const columns = Math.max(1, Math.min(rows.length, needed, balanced));
  const perColumn = Math.ceil(rows.length / columns);
  for (const p of all) {
    const column = Math.floor(rows.indexOf(p.y) / perColumn);
    p.x += column * (width + COLUMN_GAP);
    p.y -= rows[column * perColumn] - rows[0];
  }
  return positions;
}

// Sets x, y of every node of `graph` (in place). sizes: id -> {width, height} where known; view: the
// canvas's {width, height}.
export function autoLayout(graph, sizes = new Map(), view = { width: 800, height: 600 }) {
  const positions = wrap(place(graph, sizes), view);
  for (const node of graph.nodes) {
    const { x, y } = positions.get(node.id);
    Object.assign(node, { x, y });
  }
  return graph;
}
