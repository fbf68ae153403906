// The admin's dashboard: workers per queue with their runs, queue depths, runs per status in the last
// hour, GPU memory/utilisation, usage per classroom, cancel/requeue any run, instance-wide limits.
import { $, el, every, getJSON, postJSON, showError, startPage, statusBadge, t } from './common.js';

const LIMIT_FIELDS = ['max_concurrent_runs', 'max_steps', 'max_params', 'max_samples'];
let limitsDrawn = false;

function mib(bytes) {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

function gpuText(gpu) {
  if (!gpu) return '–';
  const util = gpu.utilization === null || gpu.utilization === undefined ? '' : ` · ${gpu.utilization}%`;
  return `${gpu.name}: ${mib(gpu.memory_used)} / ${mib(gpu.memory_total)}${util}`;
}

function stat(label, value) {
  return el('div', { class: 'cr-stat' }, el('span', { class: 'cr-stat-value' }, value), el('span', { class: 'cr-muted' }, label));
}

async function act(runId, action) {
  try {
    await postJSON(`/api/admin/runs/${runId}/${action}`);
    showError($('run-error'), null);
    refresh();
  } catch (err) {
    showError($('run-error'), err);
  }
}

function runRow(r) {
  const active = ['queued', 'running', 'paused'].includes(r.status);
  return el('tr', { dataset: { testid: 'run', run: r.id } },
    el('td', {}, el('a', { href: `/runs/${r.id}` }, r.id.slice(0, 8))), el('td', {}, statusBadge(r.status)),
    el('td', {}, r.queue), el('td', {}, r.owner), el('td', {}, r.classroom || '–'), el('td', {}, r.worker || '–'),
    el('td', {},
      active ? el('button', { type: 'button', onclick: () => act(r.id, 'cancel'), dataset: { testid: 'cancel' } }, t('classroom.cancel')) : null,
      r.status !== 'running' && r.status !== 'paused'
        ? el('button', { type: 'button', onclick: () => act(r.id, 'requeue'), dataset: { testid: 'requeue' } }, t('classroom.requeue')) : null));
}

function limitsForm(role, values) {
  const form = el('form', { class: 'cr-row cr-limits-row', dataset: { role } },
    el('strong', {}, t(`classroom.role_${role}`)),
    ...LIMIT_FIELDS.map((name) => el('label', {}, el('span', {}, t(`classroom.limit_${name}`)),
      el('input', { name, type: 'number', min: 1, value: values[name] ?? '', placeholder: t('classroom.no_limit') }))),
    el('label', {}, el('input', { type: 'checkbox', name: 'gpu_allowed', checked: values.gpu_allowed !== false }), t('classroom.limit_gpu_allowed')),
    el('button', { type: 'submit' }, t('classroom.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { role, gpu_allowed: form.gpu_allowed.checked };
    for (const name of LIMIT_FIELDS) body[name] = form[name].value === '' ? null : Number(form[name].value);
    try {
      await postJSON('/api/admin/limits', body);
      showError($('limits-error'), null);
    } catch (err) {
      showError($('limits-error'), err);
    }
  });
  return form;
}

async function refresh() {
  const o = await getJSON('/api/admin/overview');
  $('workers').replaceChildren(...o.workers.map((w) => el('tr', { dataset: { testid: 'worker' } },
    el('td', {}, w.name), el('td', {}, w.queues.join(', ')), el('td', {}, w.concurrency),
    el('td', {}, w.runs.length ? w.runs.map((id) => id.slice(0, 8)).join(', ') : t('classroom.idle')), el('td', {}, gpuText(w.gpu)))));
  $('queues').replaceChildren(...Object.entries(o.queues).map(([q, v]) => stat(q, v.depth)));
  $('last-hour').replaceChildren(...Object.entries(o.runs_last_hour).map(([s, n]) => stat(t(`classroom.status_${s}`), n)));
  $('usage').replaceChildren(...o.classrooms.map((c) => el('tr', {}, el('td', {}, c.name), el('td', {}, c.teacher),
    el('td', {}, c.students), el('td', {}, c.active), el('td', {}, c.runs_24h), el('td', {}, `${Math.round(c.train_seconds_24h)} s`))));
  $('runs').replaceChildren(...o.runs.map(runRow));
  if (!limitsDrawn) {
    limitsDrawn = true;
    $('limits').replaceChildren(...Object.entries(o.limits).map(([role, values]) => limitsForm(role, values)));
  }
}

startPage(async () => {
  limitsDrawn = false;
  await refresh();
}).then(() => every(3000, refresh));
