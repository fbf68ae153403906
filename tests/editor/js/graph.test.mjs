// The editor's pure logic, as the browser runs it, under node's test runner (tests/editor/test_js.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as G from '../../../static/js/editor/graph.js';
import { ShapeMemory, splitFix } from '../../../static/js/editor/validation.js';
import { applies, Catalogue, paletteGroup } from '../../../static/js/editor/catalogue.js';

function chain() {
  const g = G.emptyGraph();
  const a = G.addNode(g, 'input', {}, 0, 0);
  const b = G.addNode(g, 'dense', { units: 8 }, 0, 100);
  G.addEdge(g, a.id, b.id);
  return g;
}

test('new ids are short, readable and free', () => {
  const g = chain();
  assert.deepEqual(g.nodes.map((n) => n.id), ['in', 'h1']);
  assert.equal(G.newId(g, 'dense'), 'h2');
  assert.equal(G.newId(g, 'conv2d'), 'c1');
  assert.equal(G.newId(g, 'input'), 'in1'); // a second input is allowed to exist (the server says why not)
});

test('removing a node removes its wires; edges are never duplicated or self loops', () => {
  const g = chain();
  G.addEdge(g, 'in', 'h1');
  G.addEdge(g, 'h1', 'h1');
  assert.deepEqual(g.edges, [['in', 'h1']]);
  G.removeNode(g, 'in');
  assert.deepEqual(g.edges, []);
});

test('undo and redo walk back and forth through snapshots; a new change drops the redo branch', () => {
  const h = new G.History();
  let g = chain();
  h.record(g);
  g = G.clone(g);
  g.nodes[1].params.units = 4;
  g = h.undo(g);
  assert.equal(g.nodes[1].params.units, 8);
  g = h.redo(g);
  assert.equal(g.nodes[1].params.units, 4);
  h.record(g);
  assert.equal(h.canRedo, false);
  assert.equal(h.redo(g), null);
});

test('a spec round-trips, and one without positions asks for a layout', () => {
  const g = chain();
  const back = G.fromSpec(G.toSpec(g));
  assert.deepEqual(back.nodes, g.nodes);
  assert.deepEqual(back.edges, g.edges);
  const bare = G.fromSpec({ network: { nodes: [{ id: 'in', type: 'input' }], edges: [['in', 'nowhere']] } });
  assert.equal(G.needsLayout(bare), true);
  assert.deepEqual(bare.edges, []); // a wire to a node that does not exist is dropped
});

test('a duplicate copies the params, not the wires', () => {
  const g = chain();
  const copy = G.duplicateNode(g, 'h1');
  assert.equal(copy.id, 'h2');
  assert.deepEqual(copy.params, { units: 8 });
  assert.equal(g.edges.length, 1);
});

test('the suggested fix is split off a server message when there is one', () => {
  assert.deepEqual(splitFix("dense node 'h1' expects a vector but gets an image 8×16×16: insert a flatten before it"),
    { error: "dense node 'h1' expects a vector but gets an image 8×16×16", fix: 'insert a flatten before it' });
  assert.deepEqual(splitFix('units must be between 1 and 16 (got 99)'), { error: 'units must be between 1 and 16 (got 99)', fix: null });
});

test('shapes are remembered by everything upstream, and forgotten when that changes', () => {
  const g = chain();
  const memory = new ShapeMemory();
  memory.remember(g, { in: { shape: [2] }, h1: { shape: [8] } });
  const next = G.clone(g);
  G.addNode(next, 'conv2d', {}, 0, 200);
  G.addEdge(next, 'h1', 'c1');
  assert.deepEqual(Object.keys(memory.recall(next)).sort(), ['h1', 'in']);
  next.nodes[1].params.units = 4;
  assert.deepEqual(Object.keys(memory.recall(next)), ['in']);
  next.dataset = { name: 'circle' };
  assert.deepEqual(memory.recall(next), {});
});

test('params follow their `when`, unknown params are kept for the server to name', () => {
  const cat = new Catalogue([{ type: 'activation', group: 'activations', inputs: 1, max_inputs: 1, params: [
    { name: 'fn', kind: 'choice', default: 'tanh', when: null },
    { name: 'slope', kind: 'float', default: 0.01, when: { fn: ['leaky_relu'] } },
  ] }]);
  assert.deepEqual(cat.defaults('activation'), { fn: 'tanh' });
  assert.deepEqual(cat.normalise('activation', { fn: 'leaky_relu' }), { fn: 'leaky_relu', slope: 0.01 });
  assert.deepEqual(cat.normalise('activation', { fn: 'relu', slope: 0.3, typo: 1 }), { fn: 'relu', typo: 1 });
  assert.equal(applies({ when: { kind: ['image'] } }, { kind: 'tabular' }), false);
  assert.equal(paletteGroup({ group: 'normalization' }), 'basics');
  assert.equal(paletteGroup({ group: 'something new' }), 'other');
});

test('signatures stay short however many skip connections feed a node', () => {
  const g = G.emptyGraph();
  let prev = G.addNode(g, 'input', {}, 0, 0).id;
  for (let k = 0; k < 30; k += 1) { // each add sees `prev` twice: text signatures would grow as 2^30
    const f = G.addNode(g, 'dense', { units: 8 }, 0, 0).id;
    const add = G.addNode(g, 'add', {}, 0, 0).id;
    G.addEdge(g, prev, f);
    G.addEdge(g, prev, add);
    G.addEdge(g, f, add);
    prev = add;
  }
  const sigs = ShapeMemory.signatures(g);
  assert.equal(sigs.size, 61);
  assert.ok([...sigs.values()].every((s) => s.length < 16));
});
