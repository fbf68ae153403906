// The student's library of saved networks (GET/POST /api/library, GET/DELETE /api/library/<id>),
// and the spec as a JSON file (export: a download; import: a file picker).
import { getJSON, postJSON, request } from '../api.js';
import { t } from '../i18n.js';

export async function saveToLibrary(name, spec) {
  return postJSON('/api/library', { name, spec });
}

export class LibraryDialog {
  // open(spec): load a saved spec into the editor
  // runs: {list, empty} for the visitor's runs, each a link to /editor?fork=<id>
  constructor(dialog, list, empty, runs, { open, notify }) {
    this.dialog = dialog;
    this.list = list;
    this.empty = empty;
    this.runs = runs;
    this.open = open;
    this.notify = notify;
  }

  async show() {
    this.list.replaceChildren();
    this.runs.list.replaceChildren();
    this.empty.hidden = true;
    this.runs.empty.hidden = true;
    this.dialog.showModal();
    let networks = [];
    let runs = [];
    try {
      [networks, runs] = await Promise.all([getJSON('/api/library').then((b) => b.networks), getJSON('/api/runs').then((b) => b.runs)]);
    } catch (err) {
      this.notify(err.message, true);
      return;
    }
    this.empty.hidden = networks.length > 0;
    for (const saved of networks) this.list.append(this.item(saved));
    this.runs.empty.hidden = runs.length > 0;
    for (const run of runs) this.runs.list.append(runItem(run));
  }

  item(saved) {
    const li = document.createElement('li');
    li.setAttribute('data-testid', 'library-item');
    const name = document.createElement('span');
    name.className = 'ed-lib-name';
    name.textContent = saved.name;
    const meta = document.createElement('small');
    meta.textContent = t('editor.library_meta', { nodes: saved.nodes, dataset: saved.dataset || '–',
      date: new Date(saved.updated_at).toLocaleString() });
    const load = document.createElement('button');
    load.type = 'button';
    load.textContent = t('editor.open');
    load.setAttribute('data-testid', 'library-load');
    load.addEventListener('click', async () => {
      try {
        const full = await getJSON(`/api/library/${saved.id}`);
        this.dialog.close();
        this.open(full.spec, full.name);
      } catch (err) {
        this.notify(err.message, true);
      }
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = t('editor.delete');
    remove.addEventListener('click', async () => {
      try {
        await request('DELETE', `/api/library/${saved.id}`);
        li.remove();
        this.empty.hidden = this.list.childElementCount > 0;
      } catch (err) {
        this.notify(err.message, true);
      }
    });
    li.append(name, meta, load, remove);
    return li;
  }
}

function runItem(run) {
  const li = document.createElement('li');
  li.setAttribute('data-testid', 'run-item');
  const name = document.createElement('span');
  name.className = 'ed-lib-name';
  name.textContent = `${run.id.slice(0, 8)} · ${run.dataset || '–'}`;
  const meta = document.createElement('small');
  meta.textContent = t('editor.run_meta', { status: run.status, date: new Date(run.created_at).toLocaleString() });
  const fork = document.createElement('a');
  fork.href = `/editor?fork=${encodeURIComponent(run.id)}`;
  fork.textContent = t('editor.fork');
  fork.setAttribute('data-testid', 'run-fork');
  li.append(name, meta, fork);
  return li;
}

export function downloadJSON(spec, filename) {
  const blob = new Blob([JSON.stringify(spec, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The spec in a file the student picked, or an Error whose message says what is wrong with it.
export async function readSpecFile(file) {
  const text = await file.text();
  let spec;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new Error(t('editor.import_not_json', { error: err.message }));
  }
  if (!spec || typeof spec !== 'object' || !spec.network || !Array.isArray(spec.network.nodes)) {
    throw new Error(t('editor.import_no_network'));
  }
  return spec;
}
