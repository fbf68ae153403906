// What differs between runs' specs: flatten each spec to "path → value" and keep the paths whose
// values are not all equal. Pure (Node tests import it). Nodes are keyed by id, so adding a layer
// shows as that node's fields appearing, not as every later index shifting.

export function flatten(value, prefix = '', out = {}) {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out[prefix] = JSON.stringify(value);
      return out;
    }
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (!keys.length) out[prefix] = '{}';
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
    return out;
  }
  out[prefix] = value;
  return out;
}

// The spec with its network in a diff-friendly shape: nodes by id, edges as "a→b" strings.
export function normalise(spec) {
  const network = spec && spec.network ? spec.network : { nodes: [], edges: [] };
  const nodes = {};
  for (const node of network.nodes || []) nodes[node.id] = { type: node.type, ...(node.params || {}) };
  const edges = (network.edges || []).map(([a, b]) => `${a}→${b}`).sort().join(', ');
  return { dataset: spec ? spec.dataset : {}, training: spec ? spec.training : {}, nodes, edges };
}

const MISSING = '–';

// specs: [spec, ...] → {paths: [path...], values: [[value per run] per path]}; paths sorted so that
// dataset, then training, then network fields come first, as people read a setup.
export function specDiff(specs) {
  const flat = specs.map((s) => flatten(normalise(s)));
  const all = new Set();
  for (const f of flat) for (const key of Object.keys(f)) all.add(key);
  const paths = [...all].filter((path) => {
    const seen = new Set(flat.map((f) => (path in f ? JSON.stringify(f[path]) : MISSING)));
    return seen.size > 1;
  });
  paths.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { paths, values: paths.map((path) => flat.map((f) => (path in f ? f[path] : MISSING))) };
}

function rank(path) {
  if (path.startsWith('dataset.')) return 0;
  if (path.startsWith('training.')) return 1;
  if (path.startsWith('nodes.')) return 2;
  return 3;
}

// A short label per run from the differing fields: "lr 0.1 · h1.units 8". Paths read shorter
// without their section ("training.learning_rate" → "learning_rate").
export function shortPath(path) {
  return path.replace(/^(dataset|training|nodes)\./, '');
}

export function runLabels(specs, maxFields = 3) {
  const { paths, values } = specDiff(specs);
  return specs.map((_, run) => {
    const parts = paths.slice(0, maxFields).map((path, k) => `${shortPath(path)} ${format(values[k][run])}`);
    if (paths.length > maxFields) parts.push('…');
    return parts.join(' · ');
  });
}

export function format(value) {
  if (typeof value === 'number') return String(Number(value.toPrecision(4)));
  if (value === undefined) return MISSING;
  return String(value);
}
