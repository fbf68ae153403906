// The controls an assignment can lock or hide (the same names as playground/classroom/controls.py,
// which checks them on the server), and how each reads from and writes into a spec.
export const CONTROL_NAMES = ['dataset', 'noise', 'samples', 'train_fraction', 'features', 'layers', 'activation',
  'network', 'optimizer', 'learning_rate', 'batch_size', 'epochs', 'regularization', 'regularization_rate', 'device'];

export const FEATURES = ['x1', 'x2', 'x1_sq', 'x2_sq', 'x1x2', 'sin_x1', 'sin_x2'];
const BINARY = ['circle', 'xor', 'gauss', 'spiral', 'moons'];
const REGRESSION = ['plane', 'multi_gauss'];
const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'step'];
const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'];
const REGULARIZATIONS = ['none', 'l1', 'l2'];

// in → (dense → activation)* → out: the shape whose layers a form can edit
export function chainOf(spec) {
  const { nodes, edges } = spec.network;
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const next = Object.fromEntries(edges.map(([a, b]) => [a, b]));
  const input = nodes.find((n) => n.type === 'input');
  if (!input || edges.length !== nodes.length - 1) return null;
  const order = [input];
  let id = input.id;
  while (next[id]) {
    id = next[id];
    order.push(byId[id]);
  }
  if (order.length !== nodes.length) return null;
  const hidden = order.slice(1, -1);
  for (let i = 0; i < hidden.length; i += 2) {
    if (hidden[i].type !== 'dense' || !hidden[i + 1] || hidden[i + 1].type !== 'activation') return null;
  }
  if (order[order.length - 1].type !== 'dense') return null;
  return { input, output: order[order.length - 1], layers: hidden.filter((n) => n.type === 'dense').map((n) => n.params.units),
    activation: (hidden.find((n) => n.type === 'activation') || { params: { fn: 'tanh' } }).params.fn };
}

function rebuildChain(spec, layers, activation) {
  const chain = chainOf(spec);
  const nodes = [chain.input];
  const edges = [];
  let previous = chain.input.id;
  layers.forEach((units, i) => {
    nodes.push({ id: `h${i + 1}`, type: 'dense', params: { units } }, { id: `a${i + 1}`, type: 'activation', params: { fn: activation } });
    edges.push([previous, `h${i + 1}`], [`h${i + 1}`, `a${i + 1}`]);
    previous = `a${i + 1}`;
  });
  nodes.push(chain.output);
  edges.push([previous, chain.output.id]);
  spec.network = { nodes, edges };
}

function datasetChoices(preset) {
  const name = preset.dataset.name;
  if (BINARY.includes(name)) return BINARY;
  if (REGRESSION.includes(name)) return REGRESSION;
  return [name];
}

// Each form control: kind, how to read it from a spec, how to write it into one.
export function controlDefinitions(preset) {
  const chain = chainOf(preset);
  const d = (s) => s.dataset;
  const tr = (s) => s.training;
  return {
    dataset: { kind: 'select', choices: datasetChoices(preset), read: (s) => d(s).name, write: (s, v) => { d(s).name = v; } },
    noise: { kind: 'number', min: 0, max: 1, step: 0.05, read: (s) => d(s).noise, write: (s, v) => { d(s).noise = v; } },
    samples: { kind: 'number', min: 10, max: 2000, step: 10, read: (s) => d(s).samples, write: (s, v) => { d(s).samples = v; } },
    train_fraction: { kind: 'number', min: 0.1, max: 0.9, step: 0.1, read: (s) => d(s).train_fraction, write: (s, v) => { d(s).train_fraction = v; } },
    features: { kind: 'checks', choices: FEATURES, read: (s) => d(s).features, write: (s, v) => { d(s).features = v; } },
    layers: { kind: 'text', editable: Boolean(chain), read: (s) => (chainOf(s) ? chainOf(s).layers.join(',') : null),
      write: (s, v) => rebuildChain(s, v.split(',').map((u) => u.trim()).filter(Boolean).map(Number), (chainOf(s) || chain).activation) },
    activation: { kind: 'select', choices: ACTIVATIONS, editable: Boolean(chain), read: (s) => (chainOf(s) ? chainOf(s).activation : null),
      write: (s, v) => rebuildChain(s, chainOf(s).layers, v) },
    optimizer: { kind: 'select', choices: OPTIMIZERS, read: (s) => tr(s).optimizer, write: (s, v) => { tr(s).optimizer = v; } },
    learning_rate: { kind: 'number', min: 0.00001, max: 10, step: 'any', read: (s) => tr(s).learning_rate, write: (s, v) => { tr(s).learning_rate = v; } },
    batch_size: { kind: 'number', min: 1, max: 2000, step: 1, read: (s) => tr(s).batch_size, write: (s, v) => { tr(s).batch_size = v; } },
    epochs: { kind: 'number', min: 1, max: 10000, step: 1, read: (s) => tr(s).epochs, write: (s, v) => { tr(s).epochs = v; } },
    regularization: { kind: 'select', choices: REGULARIZATIONS, read: (s) => (tr(s).regularization || {}).kind, write: (s, v) => { tr(s).regularization.kind = v; } },
    regularization_rate: { kind: 'number', min: 0, max: 1, step: 'any', read: (s) => (tr(s).regularization || {}).rate, write: (s, v) => { tr(s).regularization.rate = v; } },
  };
}
