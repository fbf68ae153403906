// Live validation: every edit schedules one POST /api/validate (debounced); an answer that arrives
// after a newer request was sent is dropped. Each round trip is timed with the Performance API
// (measure "editor-validate": request sent → answer shown), which the benchmark reads.
import { t } from '../i18n.js';

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : '';
}

// POST JSON and keep the whole answer, whatever its status (api.js keeps only a 400's errors).
async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken() },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

// "… but gets an image 4×16×16: insert a flatten before it" -> the problem, and the suggested fix.
const FIX_VERBS = /^(insert|use|set|connect|remove|choose|make|add|delete|give|pick|join|lower|raise)\b/i;

export function splitFix(message) {
  const at = message.lastIndexOf(': ');
  if (at > 0 && FIX_VERBS.test(message.slice(at + 2))) return { error: message.slice(0, at), fix: message.slice(at + 2) };
  return { error: message, fix: null };
}

export class Validator {
  constructor(onResult, delay = 120) {
    this.onResult = onResult;
    this.delay = delay;
    this.timer = null;
    this.sent = 0;
    this.pending = 0;
  }

  schedule(spec) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run(spec);
    }, this.delay);
  }

  async run(spec) {
    const seq = ++this.sent;
    this.pending += 1;
    const mark = `editor-validate-${seq}`;
    performance.mark(mark);
    let result;
    try {
      const { status, body } = await post('/api/validate', spec);
      if (status === 200) {
        result = { ok: true, nodes: body.nodes, total: body.total_params, errors: [], normalised: body.spec };
      } else {
        // a 400 may carry the shapes of the nodes before the one that failed: shown where given
        const errors = body && Array.isArray(body.errors) && body.errors.length
          ? body.errors : [{ path: '', node: null, message: t('error.http', { status }) }];
        result = { ok: false, nodes: (body && body.nodes) || {}, total: null, errors };
      }
    } catch (err) {
      result = { ok: false, nodes: {}, total: null, errors: [{ path: '', node: null, message: t('error.network') }], offline: true };
    } finally {
      this.pending -= 1;
    }
    if (seq !== this.sent) return; // a newer edit's answer is on its way
    result.spec = spec;
    this.onResult(result);
    performance.measure('editor-validate', mark);
    performance.clearMarks(mark);
  }

  get busy() {
    return this.pending > 0 || this.timer !== null;
  }
}

// cyrb53: a fast 53-bit string hash (collisions are astronomically unlikely among one student's edits).
function hash(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

// Shapes the server worked out for a node, remembered by everything they depend on (the node, its
// sources all the way up, the dataset): when a later edit breaks the graph further down (a 400
// carries no shapes), the blocks above the break still show what they output.
export class ShapeMemory {
  constructor(limit = 2000) {
    this.limit = limit;
    this.known = new Map();
  }

  static signatures(graph) {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const sources = new Map(graph.nodes.map((n) => [n.id, []]));
    for (const [from, to] of graph.edges) if (sources.has(to)) sources.get(to).push(from);
    const memo = new Map();
    const visiting = new Set();
    const sig = (id) => {
      if (memo.has(id)) return memo.get(id);
      if (visiting.has(id)) return 'cycle'; // the server reports the cycle; nothing to remember here
      visiting.add(id);
      const n = byId.get(id);
      const up = n.type === 'input' ? [graph.dataset] : sources.get(id).map(sig);
      // a hash, not the text itself: a skip connection would otherwise double the text at every add
      const text = hash(JSON.stringify([n.type, n.params, up]));
      visiting.delete(id);
      memo.set(id, text);
      return text;
    };
    return new Map(graph.nodes.map((n) => [n.id, sig(n.id)]));
  }

  remember(graph, nodes) {
    for (const [id, signature] of ShapeMemory.signatures(graph)) if (nodes[id]) this.known.set(signature, nodes[id]);
    while (this.known.size > this.limit) this.known.delete(this.known.keys().next().value);
  }

  // {id: info} for the nodes whose inputs and settings were seen in a valid graph before
  recall(graph) {
    const out = {};
    for (const [id, signature] of ShapeMemory.signatures(graph)) if (this.known.has(signature)) out[id] = this.known.get(signature);
    return out;
  }
}
