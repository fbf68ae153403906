// Auto-layout with dagre (npm `@dagrejs/dagre`): layers from the input at the top to the output at
// the bottom (the nodes' ports sit on their top and bottom edges).
import dagre from '../../vendor/dagre/dagre.esm.js';
import { NODE_SIZE } from './canvas.js';

function place(graph, sizes, rankdir) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir, nodesep: 30, ranksep: 50, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { ...(sizes.get(node.id) || NODE_SIZE) });
  for (const [from, to] of graph.edges) g.setEdge(from, to);
  dagre.layout(g);
  const positions = new Map(graph.nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) }];
  }));
  return { positions };
}

// Sets x, y of every node of `graph` (in place). sizes: id -> {width, height} where known.
export function autoLayout(graph, sizes = new Map()) {
  const { positions } = place(graph, sizes, 'TB');
  for (const node of graph.nodes) Object.assign(node, positions.get(node.id));
  return graph;
}
