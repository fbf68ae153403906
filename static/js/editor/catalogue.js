// The block catalogue from GET /api/blocks: which palette group a block goes in, its default params,
// which params apply given the others (`when`), and the short text a node shows. Nothing here knows a
// particular block: a new block in the registry appears in the editor as it is.
import { t, helpText } from '../i18n.js';

// The server files blocks in finer groups than the palette shows; unknown groups go to "other".
const PALETTE_GROUP = {
  io: 'basics',
  layers: 'basics',
  activations: 'basics',
  regularization: 'basics',
  normalization: 'basics',
  shape: 'basics',
  merge: 'basics',
  convolution: 'convolution',
  recurrent: 'recurrent',
  attention: 'attention',
  heads: 'heads',
};
export const GROUP_ORDER = ['basics', 'convolution', 'recurrent', 'attention', 'heads', 'other'];

export function paletteGroup(block) {
  return PALETTE_GROUP[block.group] || 'other';
}

export class Catalogue {
  constructor(blocks) {
    this.blocks = new Map(blocks.map((b) => [b.type, b]));
  }

  get(type) {
    return this.blocks.get(type) || null;
  }

  grouped() {
    const groups = new Map(GROUP_ORDER.map((g) => [g, []]));
    for (const block of this.blocks.values()) groups.get(paletteGroup(block)).push(block);
    return [...groups].filter(([, list]) => list.length);
  }

  // A new node's params: the defaults of the params that apply (dependent ones follow the others).
  defaults(type, overrides = {}) {
    const block = this.get(type);
    const params = {};
    if (!block) return params;
    for (const p of block.params) {
      if (!applies(p, { ...params, ...overrides })) continue;
      params[p.name] = p.name in overrides ? overrides[p.name] : structuredClone(p.default);
    }
    return params;
  }

  // The params of a node after one of them changed: drop those that no longer apply, add defaults for
  // those that now do.
  normalise(type, params) {
    const block = this.get(type);
    if (!block) return { ...params };
    const out = {};
    for (const p of block.params) {
      if (!applies(p, out)) continue;
      out[p.name] = p.name in params ? params[p.name] : structuredClone(p.default);
    }
    // a param the block does not know (a typo in an imported file) stays: the server names it
    const known = new Set(block.params.map((p) => p.name));
    for (const [name, value] of Object.entries(params)) if (!known.has(name)) out[name] = value;
    return out;
  }

  inputs(type) {
    const block = this.get(type);
    return block ? block.inputs : 1;
  }

  manyInputs(type) {
    const block = this.get(type);
    return Boolean(block && block.max_inputs === null);
  }
}

export function applies(param, params) {
  if (!param.when) return true;
  return Object.entries(param.when).every(([name, values]) => values.includes(params[name]));
}

// The block's name in the current language ("卷积层" / "Convolution"), or its type when the
// catalogue of names does not know it (a block added after this file).
export function blockName(type) {
  const key = `editor.block.${type}`;
  const name = t(key);
  return name === key ? type : name;
}

export function groupName(group) {
  return t(`editor.group.${group}`);
}

export function blockHelp(block) {
  return block ? helpText(block.help) : '';
}

// A node's face: a few params in short form ("8 · tanh", "k3 s1 p1").
export function summary(block, params) {
  if (!block) return '';
  const parts = [];
  for (const [i, p] of block.params.entries()) {
    if (!(p.name in params) || !applies(p, params)) continue;
    const v = params[p.name];
    if (p.kind === 'choice' && i > 0 && v === p.default) continue; // "init default" says nothing
    if (p.kind === 'bool') {
      if (v !== p.default) parts.push(v ? p.name : `no ${p.name}`);
    } else if (p.kind === 'shape') {
      parts.push(Array.isArray(v) ? v.join('×') : String(v));
    } else {
      parts.push(`${p.name} ${v}`);
    }
  }
  return parts.slice(0, 4).join(' · ');
}
