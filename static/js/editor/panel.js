// The side panel: the selected block's params (bounds and help from the catalogue), or, with nothing
// selected, the dataset and the training settings. Inputs send what the student typed; the server
// judges it (a value out of bounds comes back as the node's error), so the panel never blocks typing.
import { t, helpText } from '../i18n.js';
import { applies, blockHelp, blockName } from './catalogue.js';

const TRAINING_FIELDS = [
  { name: 'optimizer', kind: 'choice', choices: ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'] },
  { name: 'learning_rate', kind: 'float', min: 0, max: 10, step: 'any' },
  { name: 'batch_size', kind: 'int', min: 1, max: 2000 },
  { name: 'epochs', kind: 'int', min: 1, max: 10000 },
];

function parseValue(param, input) {
  if (param.kind === 'bool') return input.checked;
  if (param.kind === 'choice') return input.value;
  const raw = input.value.trim();
  if (param.kind === 'shape') {
    const parts = raw.split(/[\s,×x]+/).filter(Boolean).map(Number);
    return parts.length && parts.every(Number.isInteger) ? parts : raw;
  }
  const value = Number(raw);
  return raw !== '' && Number.isFinite(value) ? value : raw; // the server names what is wrong with raw text
}

// One labelled control for a catalogue param. onChange(value) on every change.
export function paramField(param, value, onChange, idPrefix) {
  const id = `${idPrefix}-${param.name}`;
  const wrap = document.createElement('div');
  wrap.className = 'ed-field';
  wrap.dataset.param = param.name;
  const label = document.createElement('label');
  label.htmlFor = id;
  if (param.label) {
    label.textContent = param.label;
  } else { // a name in the current language, and the spec's own name beside it
    const key = `editor.param.${param.name}`;
    const name = t(key);
    const code = document.createElement('code');
    code.textContent = param.name;
    label.append(name === key ? '' : `${name} `, code);
  }
  let input;
  if (param.kind === 'choice') {
    input = document.createElement('select');
    for (const choice of param.choices) input.append(new Option(choice, choice));
    input.value = value;
  } else if (param.kind === 'bool') {
    input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = Boolean(value);
  } else {
    input = document.createElement('input');
    input.type = param.kind === 'shape' ? 'text' : 'number';
    if (param.kind === 'int') input.step = '1';
    if (param.kind === 'float') input.step = param.step || 'any';
    if (param.min !== null && param.min !== undefined) input.min = param.min;
    if (param.max !== null && param.max !== undefined) input.max = param.max;
    input.value = Array.isArray(value) ? value.join(', ') : (value ?? '');
  }
  input.id = id;
  input.setAttribute('data-testid', `param-${param.name}`);
  input.addEventListener(param.kind === 'bool' || param.kind === 'choice' ? 'change' : 'input', () => onChange(parseValue(param, input)));
  wrap.append(label, input);
  const hints = [];
  if (param.kind === 'int' || param.kind === 'float') {
    if (param.min !== null && param.min !== undefined && param.max !== null && param.max !== undefined) {
      hints.push(t('editor.bounds', { min: param.min, max: param.max }));
    }
  }
  const help = helpText(param.help);
  if (help) hints.push(help);
  if (hints.length) {
    const small = document.createElement('small');
    small.id = `${id}-help`;
    small.textContent = hints.join(' · ');
    input.setAttribute('aria-describedby', small.id);
    wrap.append(small);
  }
  return wrap;
}

function heading(text, level = 'h2') {
  const h = document.createElement(level);
  h.textContent = text;
  return h;
}

function paragraph(text, className) {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

export class SidePanel {
  // actions: setParam(id, name, value), duplicate(id), remove(id), setDataset(name), setDatasetParam(name, value),
  // setTraining(name, value)
  constructor(nodeRoot, setupRoot, catalogue, datasets, featureNames, actions) {
    this.featureNames = featureNames;
    this.nodeRoot = nodeRoot;
    this.setupRoot = setupRoot;
    this.catalogue = catalogue;
    this.datasets = new Map(datasets.map((d) => [d.name, d]));
    this.actions = actions;
  }

  show(graph, selectedId, status) {
    this.graph = graph;
    const node = selectedId ? graph.nodes.find((n) => n.id === selectedId) : null;
    this.nodeRoot.hidden = !node;
    this.setupRoot.hidden = Boolean(node);
    if (node) this.showNode(node, status.get(node.id) || {});
    else this.showSetup(graph);
  }

  showNode(node, status) {
    const block = this.catalogue.get(node.type);
    const root = this.nodeRoot;
    root.replaceChildren();
    const title = heading(`${blockName(node.type)} `);
    const code = document.createElement('code');
    code.textContent = node.id;
    title.append(code);
    root.append(title, paragraph(blockHelp(block), 'ed-help'));
    if (status.shapeText) root.append(paragraph(status.shapeText, 'ed-node-out'));
    if (status.error) {
      const err = paragraph(status.error, 'ed-panel-error');
      err.setAttribute('role', 'alert');
      err.setAttribute('data-testid', 'panel-error');
      root.append(err);
      if (status.fix) root.append(paragraph(t('editor.fix', { fix: status.fix }), 'ed-panel-fix'));
    }
    const form = document.createElement('div');
    form.className = 'ed-form';
    for (const param of block ? block.params : []) {
      if (!applies(param, node.params)) continue;
      const value = param.name in node.params ? node.params[param.name] : param.default;
      form.append(paramField(param, value, (v) => this.actions.setParam(node.id, param.name, v), `node-${node.id}`));
    }
    if (!form.childElementCount) form.append(paragraph(t('editor.no_params'), 'ed-help'));
    if (block && block.inputs > 0) form.append(this.wires(node, this.graph));
    const buttons = document.createElement('div');
    buttons.className = 'ed-panel-buttons';
    for (const [key, action] of [['editor.duplicate', 'duplicate'], ['editor.delete', 'remove']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t(key);
      b.setAttribute('data-testid', `panel-${action}`);
      b.addEventListener('click', () => this.actions[action](node.id));
      buttons.append(b);
    }
    root.append(form, buttons);
  }

  // The block's incoming wires, for the keyboard (and for anyone who prefers lists to dragging):
  // each source with a button to cut it, and a list of blocks to connect from.
  wires(node, graph) {
    const box = document.createElement('div');
    box.className = 'ed-wires';
    box.append(heading(t('editor.inputs'), 'h3'));
    const sources = graph.edges.filter(([, to]) => to === node.id).map(([from]) => from);
    const list = document.createElement('ul');
    for (const from of sources) {
      const li = document.createElement('li');
      const name = document.createElement('code');
      name.textContent = from;
      const cut = document.createElement('button');
      cut.type = 'button';
      cut.textContent = '×';
      cut.setAttribute('aria-label', t('editor.disconnect', { from }));
      cut.setAttribute('data-testid', `disconnect-${from}`);
      cut.addEventListener('click', () => this.actions.disconnect(from, node.id));
      li.append(name, cut);
      list.append(li);
    }
    if (!sources.length) list.append(Object.assign(document.createElement('li'), { textContent: t('editor.no_inputs') }));
    const candidates = graph.nodes.filter((n) => n.id !== node.id && !sources.includes(n.id)).map((n) => n.id);
    const param = { name: 'connect', label: t('editor.connect_from'), kind: 'choice', choices: ['', ...candidates] };
    const field = paramField(param, '', (from) => { if (from) this.actions.connect(from, node.id); }, `node-${node.id}`);
    field.querySelector('option').textContent = t('editor.connect_choose');
    box.append(list, field);
    return box;
  }

  // The 2-D sets' input features, as the quick mode ticks them (x1, x2, x1², sin x1, ...).
  features(ticked) {
    const box = document.createElement('fieldset');
    box.className = 'ed-features';
    const legend = document.createElement('legend');
    legend.textContent = t('editor.features');
    box.append(legend);
    for (const name of this.featureNames) {
      const label = document.createElement('label');
      const check = document.createElement('input');
      check.type = 'checkbox';
      check.checked = ticked.includes(name);
      check.setAttribute('data-testid', `feature-${name}`);
      check.addEventListener('change', () => {
        const now = [...box.querySelectorAll('input')].filter((c) => c.checked).map((c) => c.dataset.feature);
        this.actions.setDatasetParam('features', now);
      });
      check.dataset.feature = name;
      label.append(check, document.createTextNode(` ${name}`));
      box.append(label);
    }
    return box;
  }

  showSetup(graph) {
    const root = this.setupRoot;
    root.replaceChildren(heading(t('editor.data')));
    const current = graph.dataset.name;
    const datasetParam = { name: 'dataset', label: t('editor.dataset'), kind: 'choice', choices: [...this.datasets.keys()] };
    root.append(paramField(datasetParam, current, (v) => this.actions.setDataset(v), 'setup'));
    const info = this.datasets.get(current);
    if (info) {
      const kind = t(`editor.kind.${info.kind}`);
      const problem = t(`editor.problem.${info.problem}`);
      root.append(paragraph(t('editor.dataset_info', { kind, problem, classes: info.classes ?? '–' }), 'ed-help'));
      if (info.dims === 2) root.append(this.features(graph.dataset.features || ['x1', 'x2']));
      for (const param of info.params || []) {
        if (!applies(param, graph.dataset)) continue;
        const value = param.name in graph.dataset ? graph.dataset[param.name] : param.default;
        root.append(paramField(param, value, (v) => this.actions.setDatasetParam(param.name, v), 'dataset'));
      }
    }
    root.append(heading(t('editor.training'), 'h3'));
    for (const field of TRAINING_FIELDS) {
      const param = { ...field, label: t(`editor.training.${field.name}`) };
      root.append(paramField(param, graph.training[field.name], (v) => this.actions.setTraining(field.name, v), 'training'));
    }
    root.append(paragraph(t('editor.select_hint'), 'ed-help'));
  }
}
