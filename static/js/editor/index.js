// The editor page: loads the block and dataset catalogues, builds the editor, wires the toolbar, the
// keyboard, drag and drop, the library, import/export and Train. Sets body[data-ready] when usable.
import { getJSON } from '../api.js';
import * as i18n from '../i18n.js';
import { t } from '../i18n.js';
import { Catalogue } from './catalogue.js';
import { Editor } from './editor.js';
import { downloadJSON, LibraryDialog, readSpecFile, saveToLibrary } from './library.js';
import { DRAG_TYPE, Palette } from './palette.js';
import { SidePanel } from './panel.js';
import { templateSpec, TEMPLATES } from './templates.js';
import { Trainer } from './training.js';

const $ = (id) => document.getElementById(id);

function jsonScript(id) {
  const el = $(id);
  return el ? JSON.parse(el.textContent) : null;
}

let toastTimer = null;
function notify(message, isError = false) {
  const toast = $('toast');
  toast.textContent = message;
  toast.dataset.kind = isError ? 'error' : 'info';
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 6000);
}

function fillTemplates(select) {
  select.length = 1;
  for (const key of Object.keys(TEMPLATES)) select.append(new Option(t(`editor.tpl.${key}`), key));
}

function isTyping(event) {
  const el = event.target;
  return el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function wireKeyboard(editor, canvasEl) {
  document.addEventListener('keydown', (event) => {
    if (isTyping(event)) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === 'z' && !event.shiftKey) editor.undo();
    else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) editor.redo();
    else if (mod && key === 'd') editor.duplicate();
    else if ((event.key === 'Delete' || event.key === 'Backspace') && !canvasEl.contains(event.target)) editor.remove();
    else return; // Delete inside the canvas is Drawflow's own (it removes the selected node or wire)
    event.preventDefault();
  });
}

function wireDrop(editor, canvasEl) {
  canvasEl.addEventListener('dragover', (event) => {
    if ([...event.dataTransfer.types].includes(DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  });
  canvasEl.addEventListener('drop', (event) => {
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (!type) return;
    event.preventDefault();
    editor.addBlock(type, { x: event.clientX, y: event.clientY });
  });
}

function wireToolbar(editor, trainer, library) {
  $('new').addEventListener('click', () => editor.load({ network: { nodes: [], edges: [] }, dataset: editor.graph.dataset,
    training: editor.graph.training }));
  $('undo').addEventListener('click', () => editor.undo());
  $('redo').addEventListener('click', () => editor.redo());
  $('duplicate').addEventListener('click', () => editor.duplicate());
  $('delete').addEventListener('click', () => editor.remove());
  $('zoom-in').addEventListener('click', () => editor.canvas.zoomIn());
  $('zoom-out').addEventListener('click', () => editor.canvas.zoomOut());
  $('fit').addEventListener('click', () => editor.fit());
  $('layout').addEventListener('click', () => editor.layout());
  $('template').addEventListener('change', (event) => {
    const key = event.target.value;
    if (key) editor.load(templateSpec(key));
    event.target.value = '';
  });
  $('library-open').addEventListener('click', () => library.show());
  $('save').addEventListener('click', async () => {
    const name = window.prompt(t('editor.save_prompt'), t('editor.save_default', { dataset: editor.graph.dataset.name }));
    if (name === null) return;
    try {
      const saved = await saveToLibrary(name, editor.spec());
      notify(t('editor.saved', { name: saved.name }));
    } catch (err) {
      notify(err.message, true);
    }
  });
  $('export-json').addEventListener('click', () => downloadJSON(editor.spec(), `network-${editor.graph.dataset.name}.json`));
  $('import-json').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    event.target.value = '';
    if (!file) return;
    try {
      editor.load(await readSpecFile(file));
      notify(t('editor.imported', { name: file.name }));
    } catch (err) {
      notify(err.message, true);
    }
  });
  $('train').addEventListener('click', async () => {
    if (await trainer.train(editor.spec())) $('dashboard').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
}

function wireLanguage(rerender) {
  const buttons = document.querySelectorAll('.ed-lang button');
  const mark = () => {
    for (const b of buttons) b.setAttribute('aria-pressed', b.dataset.lang === i18n.language() ? 'true' : 'false');
  };
  for (const b of buttons) b.addEventListener('click', () => i18n.setLanguage(b.dataset.lang));
  i18n.onLanguageChange(() => {
    mark();
    rerender();
  });
  mark();
}

async function main() {
  await i18n.init();
  const [{ blocks }, { datasets, features }] = await Promise.all([getJSON('/api/blocks'), getJSON('/api/datasets')]);
  const catalogue = new Catalogue(blocks);
  const ui = {
    undo: $('undo'), redo: $('redo'), duplicate: $('duplicate'), remove: $('delete'),
    total: $('total-params'), validity: $('validity'), graphErrors: $('graph-errors'), empty: $('canvas-empty'),
    quickMode: $('quick-mode'), notify,
  };
  let editor;
  const panel = new SidePanel($('node-panel'), $('setup-panel'), catalogue, datasets, features, {
    setParam: (id, name, value) => editor.setParam(id, name, value),
    connect: (from, to) => { editor.onConnect(from, to, false); editor.showPanel(true); },
    disconnect: (from, to) => editor.disconnect(from, to),
    duplicate: (id) => editor.duplicate(id),
    remove: (id) => editor.remove(id),
    setDataset: (name) => editor.setDataset(name),
    setDatasetParam: (name, value) => editor.setDatasetParam(name, value),
    setTraining: (name, value) => editor.setTraining(name, value),
  });
  const canvasEl = $('canvas');
  canvasEl.tabIndex = 0;
  canvasEl.setAttribute('aria-label', t('editor.canvas'));
  editor = new Editor({ canvasEl, catalogue, datasets, panel, ui });
  const palette = new Palette($('palette-groups'), $('palette-search'), catalogue, { add: (type) => editor.addBlock(type, null) });
  const trainer = new Trainer({
    button: $('train'), status: $('train-status'), exports: $('exports'), dashboardRoot: $('dashboard'), notify,
    links: { pytorch: $('export-pytorch'), onnx: $('export-onnx'), run: $('run-link') },
  });
  const library = new LibraryDialog($('library'), $('library-list'), $('library-empty'), { list: $('runs-list'), empty: $('runs-empty') }, {
    open: (spec, name) => { editor.load(spec); notify(t('editor.opened', { name })); },
    notify,
  });
  wireKeyboard(editor, canvasEl);
  wireDrop(editor, canvasEl);
  wireToolbar(editor, trainer, library);
  fillTemplates($('template'));
  wireLanguage(() => {
    palette.render();
    fillTemplates($('template'));
    editor.render();
    editor.showPanel(true);
    if (editor.lastResult) editor.showValidation(editor.lastResult);
  });

  const fork = jsonScript('fork');
  const missing = jsonScript('fork-missing');
  if (missing) notify(t('editor.fork_missing', { id: missing }), true);
  if (fork) notify(t('editor.forked', { id: fork.id.slice(0, 8) }));
  editor.load(Editor.initialSpec({ fork, search: window.location.search, fallback: templateSpec('tf_playground') }),
    { record: false });
  window.__editor = editor; // for the browser tests and the benchmark
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  notify(String(err && err.message ? err.message : err), true);
  throw err;
});
