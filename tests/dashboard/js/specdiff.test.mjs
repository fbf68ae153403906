import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specDiff, runLabels, flatten } from '../../../static/js/dashboard/specdiff.js';

const base = () => ({
  network: {
    nodes: [{ id: 'in', type: 'input' }, { id: 'h1', type: 'dense', params: { units: 8 } }, { id: 'out', type: 'dense', params: { units: 1 } }],
    edges: [['in', 'h1'], ['h1', 'out']],
  },
  dataset: { name: 'spiral', noise: 0.1, features: ['x1', 'x2'] },
  training: { learning_rate: 0.03, optimizer: 'sgd' },
});

test('identical specs differ in nothing', () => {
  assert.deepEqual(specDiff([base(), base()]).paths, []);
});

test('the differing fields, dataset before training before network', () => {
  const a = base();
  const b = base();
  b.training.learning_rate = 0.1;
  b.network.nodes[1].params.units = 4;
  b.dataset.features = ['x1', 'x2', 'x1x2'];
  const diff = specDiff([a, b]);
  assert.deepEqual(diff.paths, ['dataset.features', 'training.learning_rate', 'nodes.h1.units']);
  assert.deepEqual(diff.values[1], [0.03, 0.1]);
});

test('an added layer shows as that node and the changed edges, not as shifted indices', () => {
  const a = base();
  const b = base();
  b.network.nodes.splice(2, 0, { id: 'a1', type: 'activation', params: { fn: 'tanh' } });
  b.network.edges = [['in', 'h1'], ['h1', 'a1'], ['a1', 'out']];
  const { paths } = specDiff([a, b]);
  assert.ok(paths.includes('nodes.a1.type') && paths.includes('nodes.a1.fn') && paths.includes('edges'));
  assert.ok(!paths.some((p) => p.startsWith('nodes.out')));
});

test('labels name what differs, per run', () => {
  const specs = [base(), base(), base()];
  specs[1].training.learning_rate = 0.3;
  specs[2].training.optimizer = 'adam';
  assert.deepEqual(runLabels(specs), [
    'learning_rate 0.03 · optimizer sgd', 'learning_rate 0.3 · optimizer sgd', 'learning_rate 0.03 · optimizer adam',
  ]);
});

test('flatten keeps scalar lists whole', () => {
  assert.deepEqual(flatten({ a: [1, 2], b: { c: null } }), { a: '[1,2]', 'b.c': null });
});
