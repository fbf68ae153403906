// Starting points. Each is a spec without positions (the editor lays it out); the datasets fill in the
// input's shape. Names and descriptions are in the editor's catalogues (editor.tpl.<key>).
const chain = (...nodes) => ({
  nodes: nodes.map(([id, type, params = {}]) => ({ id, type, params })),
  edges: nodes.slice(1).map(([id], i) => [nodes[i][0], id]),
});

export const TEMPLATES = {
  tf_playground: {
    network: chain(['in', 'input'], ['h1', 'dense', { units: 8 }], ['a1', 'activation', { fn: 'tanh' }],
      ['h2', 'dense', { units: 8 }], ['a2', 'activation', { fn: 'tanh' }], ['out', 'dense', { units: 1 }]),
    dataset: { name: 'spiral', features: ['x1', 'x2', 'sin_x1', 'sin_x2'] },
    training: { optimizer: 'sgd', learning_rate: 0.03, batch_size: 10, epochs: 300 },
  },
  perceptron: {
    network: chain(['in', 'input'], ['p', 'perceptron', { units: 1 }]),
    dataset: { name: 'gauss' },
    training: { optimizer: 'sgd', learning_rate: 0.1, batch_size: 1, epochs: 20 },
  },
  lenet: {
    network: chain(['in', 'input', { kind: 'image' }], ['c1', 'conv2d', { channels: 6, kernel: 5, padding: 2 }],
      ['r1', 'activation', { fn: 'relu' }], ['p1', 'maxpool2d'], ['c2', 'conv2d', { channels: 16, kernel: 5, padding: 0 }],
      ['r2', 'activation', { fn: 'relu' }], ['p2', 'maxpool2d'], ['f', 'flatten'], ['h', 'dense', { units: 16 }],
      ['r3', 'activation', { fn: 'relu' }], ['out', 'classification_head', { classes: 10 }]),
    dataset: { name: 'digits16' },
    training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 32, epochs: 5 },
  },
  lstm: {
    network: chain(['in', 'input', { kind: 'sequence' }], ['lstm1', 'lstm', { hidden: 16 }],
      ['out', 'classification_head', { classes: 2 }]),
    dataset: { name: 'parity' },
    training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 32, epochs: 30 },
  },
  transformer: {
    network: chain(['in', 'input', { kind: 'tokens' }], ['emb', 'embedding', { dim: 16 }], ['pos', 'positional_encoding'],
      ['tb1', 'transformer_block', { heads: 2 }], ['out', 'token_logits']),
    dataset: { name: 'reverse' },
    training: { optimizer: 'adam', learning_rate: 0.01, batch_size: 32, epochs: 30 },
  },
};

export function templateSpec(key) {
  return JSON.parse(JSON.stringify(TEMPLATES[key]));
}
