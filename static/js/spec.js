// The page's setup (what the controls show) ⇄ the API's spec (docs/api.md) ⇄ the URL query.
// The setup is a plain object; every control reads and writes one of its fields.

export const DATASETS = {
  circle: 'classification',
  xor: 'classification',
  gauss: 'classification',
  spiral: 'classification',
  moons: 'classification',
  blobs: 'classification',
  plane: 'regression',
  multi_gauss: 'regression',
};
export const FEATURES = ['x1', 'x2', 'x1_sq', 'x2_sq', 'x1x2', 'sin_x1', 'sin_x2'];
export const ACTIVATIONS = ['linear', 'step', 'sigmoid', 'tanh', 'relu'];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'];
export const REGULARIZATIONS = ['none', 'l1', 'l2'];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];

// Bounds from docs/api.md (the server checks them again and answers 400 with a path).
export const LIMITS = {
  layers: [0, 8],
  units: [1, 16],
  samples: [10, 2000],
  noise: [0, 1],
  trainFraction: [0.1, 0.9],
  classes: [3, 5],
  learningRate: [0, 10], // (0, 10]
  momentum: [0, 0.99],
  batchSize: [1, 2000],
  epochs: [1, 10000],
  regRate: [0, 1],
  seed: [0, 2147483647],
  extraPoints: 200,
};

export function defaults() {
  return {
    dataset: 'circle',
    classes: 3,
    noise: 0.1,
    samples: 500,
    trainFraction: 0.5,
    dataSeed: 1,
    features: ['x1', 'x2'],
    layers: [4, 2],
    activation: 'tanh',
    optimizer: 'sgd',
    momentum: 0.9,
    learningRate: 0.03,
    batchSize: 10,
    epochs: 500,
    regularization: 'none',
    regRate: 0,
    seed: 1,
    extraPoints: [],
    showTest: false,
    discretize: false,
  };
}

export function problemOf(setup) {
  return DATASETS[setup.dataset] || 'classification';
}

export function outputUnits(setup) {
  return setup.dataset === 'blobs' ? setup.classes : 1;
}

export function copySetup(setup) {
  return { ...setup, features: [...setup.features], layers: [...setup.layers], extraPoints: setup.extraPoints.map((p) => [...p]) };
}

// --- setup → spec ---------------------------------------------------------------------------------

export function toSpec(setup) {
  const nodes = [{ id: 'in', type: 'input' }];
  const edges = [];
  let previous = 'in';
  setup.layers.forEach((units, i) => {
    const dense = `h${i + 1}`;
    const act = `a${i + 1}`;
    nodes.push({ id: dense, type: 'dense', params: { units } });
    nodes.push({ id: act, type: 'activation', params: { fn: setup.activation } });
    edges.push([previous, dense], [dense, act]);
    previous = act;
  });
  nodes.push({ id: 'out', type: 'dense', params: { units: outputUnits(setup) } });
  edges.push([previous, 'out']);

  const dataset = {
    name: setup.dataset,
    samples: setup.samples,
    noise: setup.noise,
    train_fraction: setup.trainFraction,
    features: FEATURES.filter((f) => setup.features.includes(f)),
    seed: setup.dataSeed,
    extra_points: setup.extraPoints.map((p) => [...p]),
  };
  if (setup.dataset === 'blobs') dataset.classes = setup.classes;

  const training = {
    optimizer: setup.optimizer,
    learning_rate: setup.learningRate,
    batch_size: setup.batchSize,
    epochs: setup.epochs,
    regularization: { kind: setup.regularization, rate: setup.regularization === 'none' ? 0 : setup.regRate },
    seed: setup.seed,
    device: 'auto',
  };
  if (setup.optimizer === 'momentum') training.momentum = setup.momentum;
  return { network: { nodes, edges }, dataset, training };
}

export function datasetOf(setup) {
  return toSpec(setup).dataset;
}

// --- spec → the network as the page draws it -----------------------------------------------------

// A chain input → [dense → activation?]* → dense, read from any spec. `layers` are the hidden
// layers; `output` the last dense node. `chain` is false when the graph is not such a chain (another
// client can send any DAG): then the layers are the dense nodes in topological order, best effort.
export function networkModel(spec) {
  const nodes = new Map(spec.network.nodes.map((n) => [n.id, n]));
  const next = new Map();
  const indegree = new Map(spec.network.nodes.map((n) => [n.id, 0]));
  for (const [from, to] of spec.network.edges) {
    if (!next.has(from)) next.set(from, []);
    next.get(from).push(to);
    indegree.set(to, (indegree.get(to) || 0) + 1);
  }
  let chain = [...next.values()].every((targets) => targets.length === 1)
    && [...indegree.values()].every((d) => d <= 1);
  const input = spec.network.nodes.find((n) => n.type === 'input');
  // topological order (Kahn)
  const order = [];
  const queue = spec.network.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const remaining = new Map(indegree);
  while (queue.length) {
    const id = queue.shift();
    order.push(id);
    for (const to of next.get(id) || []) {
      remaining.set(to, remaining.get(to) - 1);
      if (remaining.get(to) === 0) queue.push(to);
    }
  }
  const dense = [];
  for (let i = 0; i < order.length; i++) {
    const node = nodes.get(order[i]);
    if (node.type !== 'dense') {
      if (node.type !== 'input' && node.type !== 'activation') chain = false;
      continue;
    }
    const after = (next.get(node.id) || [])[0];
    const act = after && nodes.get(after) && nodes.get(after).type === 'activation' ? nodes.get(after) : null;
    dense.push({
      dense: node.id,
      act: act ? act.id : null,
      shown: act ? act.id : node.id, // whose output the neuron's picture shows
      units: node.params.units,
      fn: act ? act.params.fn : 'linear',
    });
  }
  const output = dense.pop() || null;
  return {
    features: [...spec.dataset.features],
    input: input ? input.id : 'in',
    layers: dense,
    output,
    chain,
  };
}

// The setup a spec was made from (to load a run into the controls). `warnings`: what the controls
// cannot show exactly (mixed activations, a non-chain graph).
export function fromSpec(spec) {
  const setup = defaults();
  const warnings = [];
  const d = spec.dataset || {};
  const tr = spec.training || {};
  if (d.name in DATASETS) setup.dataset = d.name;
  if (Number.isFinite(d.classes)) setup.classes = d.classes;
  for (const [key, field] of [['samples', 'samples'], ['noise', 'noise'], ['train_fraction', 'trainFraction'], ['seed', 'dataSeed']]) {
    if (Number.isFinite(d[key])) setup[field] = d[key];
  }
  if (Array.isArray(d.features)) setup.features = FEATURES.filter((f) => d.features.includes(f));
  if (Array.isArray(d.extra_points)) setup.extraPoints = d.extra_points.map((p) => [...p]);
  if (OPTIMIZERS.includes(tr.optimizer)) setup.optimizer = tr.optimizer;
  if (Number.isFinite(tr.momentum)) setup.momentum = tr.momentum;
  if (Number.isFinite(tr.learning_rate)) setup.learningRate = tr.learning_rate;
  if (Number.isFinite(tr.batch_size)) setup.batchSize = tr.batch_size;
  if (Number.isFinite(tr.epochs)) setup.epochs = tr.epochs;
  if (Number.isFinite(tr.seed)) setup.seed = tr.seed;
  const reg = tr.regularization || {};
  if (REGULARIZATIONS.includes(reg.kind)) setup.regularization = reg.kind;
  if (Number.isFinite(reg.rate)) setup.regRate = reg.rate;

  const model = networkModel(spec);
  setup.layers = model.layers.map((l) => l.units);
  const fns = new Set(model.layers.map((l) => l.fn));
  if (fns.size) setup.activation = [...fns][0];
  if (fns.size > 1) warnings.push('mixed_activations');
  if (!model.chain) warnings.push('not_a_chain');
  return { setup, warnings };
}

// --- setup ⇄ URL query -----------------------------------------------------------------------------

function num(value) {
  return String(Number(value.toPrecision(6)));
}

function encodePoints(points) {
  return points.map(([x, y, label]) => [x.toFixed(2), y.toFixed(2), num(label)].map(Number).join(',')).join('_');
}

export function toQuery(setup) {
  const base = defaults();
  const params = [
    ['dataset', setup.dataset],
    ['noise', num(setup.noise)],
    ['samples', setup.samples],
    ['ratio', num(setup.trainFraction)],
    ['dseed', setup.dataSeed],
  ];
  if (setup.dataset === 'blobs') params.push(['classes', setup.classes]);
  params.push(
    ['features', FEATURES.filter((f) => setup.features.includes(f)).join(',')],
    ['layers', setup.layers.join(',')],
    ['activation', setup.activation],
    ['optimizer', setup.optimizer],
  );
  if (setup.optimizer === 'momentum' && setup.momentum !== base.momentum) params.push(['momentum', num(setup.momentum)]);
  params.push(
    ['lr', num(setup.learningRate)],
    ['batch', setup.batchSize],
    ['epochs', setup.epochs],
    ['reg', setup.regularization],
  );
  if (setup.regularization !== 'none') params.push(['regRate', num(setup.regRate)]);
  params.push(['seed', setup.seed]);
  if (setup.showTest) params.push(['test', '1']);
  if (setup.discretize) params.push(['discretize', '1']);
  if (setup.extraPoints.length) params.push(['points', encodePoints(setup.extraPoints)]);
  return params
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/gi, ',')}`)
    .join('&');
}

function parseNumber(text, [lo, hi], { integer = false, loExclusive = false } = {}) {
  if (text === null || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return undefined;
  if (value > hi || value < lo || (loExclusive && value === lo)) return undefined;
  return value;
}

// The setup a query describes, on top of the defaults. `ignored`: parameter names whose value was
// not understood (the page says so instead of silently dropping them).
export function fromQuery(search) {
  const q = new URLSearchParams(search);
  const setup = defaults();
  const ignored = [];
  const take = (key, parse, apply) => {
    if (!q.has(key)) return;
    const value = parse(q.get(key));
    if (value === undefined) ignored.push(key);
    else apply(value);
  };
  const oneOf = (list) => (text) => (list.includes(text) ? text : undefined);
  take('dataset', oneOf(Object.keys(DATASETS)), (v) => { setup.dataset = v; });
  take('noise', (s) => parseNumber(s, LIMITS.noise), (v) => { setup.noise = v; });
  take('samples', (s) => parseNumber(s, LIMITS.samples, { integer: true }), (v) => { setup.samples = v; });
  take('ratio', (s) => parseNumber(s, LIMITS.trainFraction), (v) => { setup.trainFraction = v; });
  take('dseed', (s) => parseNumber(s, LIMITS.seed, { integer: true }), (v) => { setup.dataSeed = v; });
  take('classes', (s) => parseNumber(s, LIMITS.classes, { integer: true }), (v) => { setup.classes = v; });
  take('features', (s) => {
    const list = s.split(',').filter(Boolean);
    return list.every((f) => FEATURES.includes(f)) ? FEATURES.filter((f) => list.includes(f)) : undefined;
  }, (v) => { setup.features = v; });
  take('layers', (s) => {
    if (s.trim() === '') return [];
    const list = s.split(',').map((u) => parseNumber(u, LIMITS.units, { integer: true }));
    return list.length <= LIMITS.layers[1] && list.every((u) => u !== undefined) ? list : undefined;
  }, (v) => { setup.layers = v; });
  take('activation', oneOf(ACTIVATIONS), (v) => { setup.activation = v; });
  take('optimizer', oneOf(OPTIMIZERS), (v) => { setup.optimizer = v; });
  take('momentum', (s) => parseNumber(s, LIMITS.momentum), (v) => { setup.momentum = v; });
  take('lr', (s) => parseNumber(s, LIMITS.learningRate, { loExclusive: true }), (v) => { setup.learningRate = v; });
  take('batch', (s) => parseNumber(s, LIMITS.batchSize, { integer: true }), (v) => { setup.batchSize = v; });
  take('epochs', (s) => parseNumber(s, LIMITS.epochs, { integer: true }), (v) => { setup.epochs = v; });
  take('reg', oneOf(REGULARIZATIONS), (v) => { setup.regularization = v; });
  take('regRate', (s) => parseNumber(s, LIMITS.regRate), (v) => { setup.regRate = v; });
  take('seed', (s) => parseNumber(s, LIMITS.seed, { integer: true }), (v) => { setup.seed = v; });
  take('test', (s) => (s === '1' || s === '0' ? s === '1' : undefined), (v) => { setup.showTest = v; });
  take('discretize', (s) => (s === '1' || s === '0' ? s === '1' : undefined), (v) => { setup.discretize = v; });
  take('points', (s) => {
    if (s.trim() === '') return [];
    const points = s.split('_').map((p) => p.split(',').map(Number));
    const ok = points.length <= LIMITS.extraPoints
      && points.every((p) => p.length === 3 && p.every(Number.isFinite) && Math.abs(p[0]) <= 6 && Math.abs(p[1]) <= 6);
    return ok ? points : undefined;
  }, (v) => { setup.extraPoints = v; });
  // labels must fit the dataset (a class index, or a value in [-1, 1])
  setup.extraPoints = setup.extraPoints.filter((p) => validLabel(setup, p[2]));
  return { setup, ignored };
}

export function validLabel(setup, label) {
  if (problemOf(setup) === 'regression') return label >= -1 && label <= 1;
  const classes = setup.dataset === 'blobs' ? setup.classes : 2;
  return Number.isInteger(label) && label >= 0 && label < classes;
}
