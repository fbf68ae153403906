// The visitor's recent runs (GET /api/runs), each a link to /runs/<id> with its status.
import { getJSON } from './api.js';
import { t, formatNumber } from './i18n.js';

export class RunsList {
  // onOpen(url): open a run in this page (plain clicks; a new tab still follows the link)
  constructor(list, empty, { onOpen }) {
    this.list = list;
    this.empty = empty;
    this.onOpen = onOpen;
    this.runs = [];
    this.current = null;
  }

  async refresh() {
    try {
      const { runs } = await getJSON('/api/runs');
      this.runs = runs || [];
    } catch (err) {
      this.runs = []; // the list is a convenience: the page works without it
    }
    this.render();
  }

  setCurrent(runId) {
    this.current = runId;
    for (const a of this.list.querySelectorAll('a')) {
      if (runId && a.dataset.runId === runId) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  render() {
    this.list.replaceChildren();
    this.empty.hidden = this.runs.length > 0;
    for (const run of this.runs) {
      const li = document.createElement('li');
      li.append(this.item(run));
      this.list.append(li);
    }
    this.setCurrent(this.current);
  }

  item(run) {
    const a = document.createElement('a');
    a.href = run.url || `/runs/${run.id}`;
    a.dataset.runId = run.id;
    const title = document.createElement('span');
    title.className = 'run-title';
    const layers = (run.hidden_layers || []).join('-') || '0';
    title.textContent = `${t(`dataset.${run.dataset}`)} · ${layers}`;
    const badge = document.createElement('span');
    badge.className = 'badge small';
    badge.dataset.status = run.status;
    badge.textContent = t(`status.${run.status}`);
    const meta = document.createElement('span');
    meta.className = 'run-meta';
    const f = run.final;
    let metric = '';
    if (f && f.test_accuracy !== undefined && f.test_accuracy !== null) {
      metric = `${t('output.test_accuracy')} ${(f.test_accuracy * 100).toFixed(1)}%`;
    } else if (f) {
      metric = `${t('output.test_loss')} ${formatNumber(f.test_loss, 3)}`;
    }
    meta.textContent = [metric, timeAgo(run.created_at)].filter(Boolean).join(' · ');
    if (run.reason) a.title = run.reason;
    a.append(title, badge, meta);
    a.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.onOpen(a.getAttribute('href'));
    });
    return a;
  }
}

function timeAgo(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return t('time.seconds', { n: Math.round(seconds) });
  if (seconds < 3600) return t('time.minutes', { n: Math.round(seconds / 60) });
  if (seconds < 86400) return t('time.hours', { n: Math.round(seconds / 3600) });
  return t('time.days', { n: Math.round(seconds / 86400) });
}
