// A student's assignment: the preset's controls (locked ones shown fixed, hidden ones left out; the
// server checks them again), Train, the run's live loss curve, the queue position while it waits, and
// the student's runs with the teacher's comments and a "share with the class" switch.
import { $, data, el, formatNumber, getJSON, postJSON, showError, startPage, statusBadge, t, targetText, metricName } from './common.js';
import { controlDefinitions } from './controls.js';
import { drawCurve } from './curve.js';
import { LiveRun } from './live.js';

const assignmentId = data('assignment-id');
const state = { assignment: null, spec: null, live: null, run: null, pollTimer: null };

function input(name, def, value, disabled) {
  if (def.kind === 'select') {
    return el('select', { name, disabled }, ...def.choices.map((c) => el('option', { value: c, selected: c === value }, c)));
  }
  if (def.kind === 'checks') {
    return el('span', { class: 'cr-checks' }, ...def.choices.map((c) => el('label', {},
      el('input', { type: 'checkbox', name, value: c, checked: value.includes(c), disabled }), c)));
  }
  if (def.kind === 'text') return el('input', { name, value, disabled, pattern: '[0-9, ]*' });
  return el('input', { name, type: 'number', min: def.min, max: def.max, step: def.step, value, disabled });
}

function renderForm() {
  const a = state.assignment;
  const defs = controlDefinitions(a.preset);
  const locked = new Set(a.locked.includes('network') ? [...a.locked, 'layers', 'activation'] : a.locked);
  const form = $('lesson-form');
  form.replaceChildren();
  for (const [name, def] of Object.entries(defs)) {
    if (a.hidden.includes(name)) continue;
    const value = def.read(state.spec);
    if (value === undefined || value === null || def.editable === false) continue; // not this kind of network or dataset
    const fixed = locked.has(name);
    form.append(el('label', { dataset: { control: name, locked: fixed ? 'true' : 'false' } },
      el('span', {}, t(`classroom.control_${name}`), fixed ? el('span', { class: 'cr-lock' }, ` · ${t('classroom.locked')}`) : null),
      input(name, def, value, fixed)));
  }
}

// the preset with the student's changes to the controls they may change
function specFromForm() {
  const a = state.assignment;
  const spec = structuredClone(a.preset);
  const defs = controlDefinitions(a.preset);
  const form = $('lesson-form');
  for (const [name, def] of Object.entries(defs)) {
    const field = form.querySelector(`[data-control=${name}]`);
    if (!field || field.dataset.locked === 'true') continue;
    let value;
    if (def.kind === 'checks') value = [...field.querySelectorAll('input:checked')].map((i) => i.value);
    else if (def.kind === 'number') value = Number(field.querySelector('input').value);
    else value = field.querySelector('input, select').value;
    def.write(spec, value);
  }
  return spec;
}

function queueText(run) {
  const q = run.queue_position;
  if (!q) return '';
  const ahead = q.ahead === 0 ? t('classroom.queue_next') : t('classroom.queue_ahead', { n: q.ahead });
  return q.estimate_s === null ? ahead : `${ahead} · ${t('classroom.queue_estimate', { s: Math.round(q.estimate_s) })}`;
}

function renderRun() {
  const live = state.live;
  const status = live ? live.status : 'setup';
  $('status').replaceWith(Object.assign(statusBadge(status), { id: 'status' }));
  $('status').dataset.testid = 'status';
  $('stop').disabled = !live || live.finished;
  $('train').disabled = Boolean(live && !live.finished);
  if (!live) return;
  drawCurve($('curve'), live.points);
  const metric = state.assignment.target.metric;
  const last = live.final || {};
  const point = live.points[live.points.length - 1];
  $('metric').textContent = live.final ? `${metricName(metric)}: ${formatNumber(last[metric])}`
    : point ? `${t('classroom.epoch')} ${point[0]} · ${metricName('test_loss')} ${formatNumber(point[2])}` : '';
  if (live.reason && live.finished) $('metric').textContent += ` · ${live.reason}`;
  $('queue').textContent = status === 'queued' && state.run ? queueText(state.run) : '';
}

// while queued, ask for the position now and then (it moves as other students' runs start)
function pollQueue(runId) {
  clearTimeout(state.pollTimer);
  state.pollTimer = setTimeout(async () => {
    if (!state.live || state.live.status !== 'queued' || state.live.runId !== runId) return;
    try {
      state.run = await getJSON(`/api/runs/${runId}`);
      renderRun();
    } catch (err) { /* retried below */ }
    pollQueue(runId);
  }, 2000);
}

function follow(run) {
  if (state.live) state.live.close();
  state.run = run;
  state.live = new LiveRun(run.id, (live) => {
    renderRun();
    if (live.finished) renderMyRuns();
  });
  renderRun();
  pollQueue(run.id);
}

async function train() {
  showError($('lesson-error'), null);
  try {
    const run = await postJSON('/api/runs', { ...specFromForm(), assignment: assignmentId });
    follow(run);
    renderMyRuns();
  } catch (err) {
    showError($('lesson-error'), err);
  }
}

function runItem(r) {
  const share = el('input', { type: 'checkbox', checked: r.shared, dataset: { testid: 'share' } });
  share.addEventListener('change', () => postJSON(`/api/runs/${r.id}/share`, { shared: share.checked }));
  const metric = r.metric === null || r.metric === undefined ? '' : ` · ${metricName(state.assignment.target.metric)} ${formatNumber(r.metric)}`;
  const met = r.meets_target === true ? el('span', { class: 'cr-met' }, ` ✓ ${t('classroom.target_met')}`) : null;
  return el('li', { dataset: { testid: 'my-run', run: r.id } },
    statusBadge(r.status), ' ', el('a', { href: r.url }, t('classroom.open_full')), metric, met,
    el('label', { class: 'cr-share' }, share, t('classroom.share')),
    r.comments.length ? el('ul', { class: 'cr-comments' }, ...r.comments.map((c) =>
      el('li', { dataset: { testid: 'comment' } }, el('strong', {}, c.author), `: ${c.text}`))) : null);
}

async function renderMyRuns() {
  const { runs } = await getJSON(`/api/assignments/${assignmentId}/mine`);
  $('my-runs').replaceChildren(...runs.map(runItem));
  return runs;
}

async function render() {
  if (!state.assignment) {
    state.assignment = await getJSON(`/api/assignments/${assignmentId}`);
    state.spec = state.assignment.preset;
    const runs = await renderMyRuns();
    const active = runs.find((r) => ['queued', 'running', 'paused'].includes(r.status));
    if (active) follow(await getJSON(`/api/runs/${active.id}`));
  } else {
    state.spec = specFromForm(); // a language switch redraws the form: keep the student's edits
    await renderMyRuns();
  }
  $('target').textContent = targetText(state.assignment.target);
  if (state.assignment.due_at) {
    $('due').hidden = false;
    $('due').textContent = t('classroom.due_at', { when: new Date(state.assignment.due_at).toLocaleString() });
  }
  renderForm();
  renderRun();
}

$('train').addEventListener('click', train);
$('stop').addEventListener('click', () => state.run && postJSON(`/api/runs/${state.run.id}/cancel`));
startPage(render);
