// A classroom: its assignments and gallery for everyone in it; for its teacher also the roster
// (bulk-create accounts, reset a password, remove a student), the class's limits and a new assignment.
import { $, data, el, getJSON, postJSON, showError, startPage, statusBadge, t, targetText, formatNumber } from './common.js';
import { CONTROL_NAMES } from './controls.js';

const classroomId = data('classroom-id');
const teaching = data('teaching');
const LIMIT_FIELDS = ['max_concurrent_runs', 'max_steps', 'max_params', 'max_samples'];

export const DEFAULT_PRESET = {
  network: {
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'h1', type: 'dense', params: { units: 4 } },
      { id: 'a1', type: 'activation', params: { fn: 'tanh' } },
      { id: 'out', type: 'dense', params: { units: 1 } },
    ],
    edges: [['in', 'h1'], ['h1', 'a1'], ['a1', 'out']],
  },
  dataset: { name: 'circle', samples: 200, noise: 0.1, train_fraction: 0.5, features: ['x1', 'x2'], seed: 1 },
  training: { optimizer: 'sgd', learning_rate: 0.03, batch_size: 10, epochs: 30, seed: 1 },
};

function assignmentItem(a) {
  const due = a.due_at ? ` · ${t('classroom.due_at', { when: new Date(a.due_at).toLocaleString() })}` : '';
  return el('li', { dataset: { testid: 'assignment' } },
    el('a', { href: `/assignments/${a.id}/`, class: 'cr-strong' }, a.title),
    el('span', { class: 'cr-muted' }, ` · ${targetText(a.target)}${due}`));
}

function rosterRow(s) {
  const reset = el('button', { type: 'button', dataset: { testid: 'reset' } }, t('classroom.reset_password'));
  const remove = el('button', { type: 'button', class: 'cr-danger' }, t('classroom.remove'));
  reset.addEventListener('click', async () => {
    const answer = await postJSON(`/api/classrooms/${classroomId}/students/${s.id}/reset`);
    const note = $('password-note');
    note.textContent = t('classroom.new_password', { username: answer.username, password: answer.password });
    note.hidden = false;
  });
  remove.addEventListener('click', async () => {
    if (!window.confirm(t('classroom.remove_confirm', { username: s.username }))) return;
    await postJSON(`/api/classrooms/${classroomId}/students/${s.id}/remove`);
    render();
  });
  return el('tr', { dataset: { testid: 'student' } }, el('td', {}, s.username), el('td', {}, s.name), el('td', {}, reset, ' ', remove));
}

function renderLimits(c) {
  const form = $('limits-form');
  const fields = LIMIT_FIELDS.map((name) => el('label', {},
    el('span', {}, t(`classroom.limit_${name}`)),
    el('input', { name, type: 'number', min: 1, value: c.limits[name] ?? '',
      placeholder: c.instance_limits[name] ?? t('classroom.no_limit') })));
  const gpu = el('select', { name: 'gpu_allowed' },
    ...[['', t('classroom.instance_default')], ['true', t('classroom.yes')], ['false', t('classroom.no')]]
      .map(([v, label]) => el('option', { value: v, selected: String(c.limits.gpu_allowed ?? '') === v }, label)));
  form.replaceChildren(...fields, el('label', {}, el('span', {}, t('classroom.limit_gpu_allowed')), gpu),
    el('div', { class: 'cr-wide' }, el('button', { type: 'submit' }, t('classroom.save'))));
}

function renderControlFlags() {
  const box = $('control-flags');
  if (box.childElementCount) return;
  box.append(...CONTROL_NAMES.map((name) => el('div', { class: 'cr-flag' },
    el('span', {}, t(`classroom.control_${name}`)),
    el('label', {}, el('input', { type: 'checkbox', name: 'locked', value: name }), t('classroom.lock')),
    el('label', {}, el('input', { type: 'checkbox', name: 'hidden', value: name }), t('classroom.hide')))));
  const preset = document.querySelector('[name=preset]');
  if (!preset.value) preset.value = JSON.stringify(DEFAULT_PRESET, null, 2);
  loadPresets(preset);
}

// classic setups and the lessons library: picking one fills the preset's JSON
async function loadPresets(textarea) {
  const { presets } = await getJSON('/api/presets');
  const choice = $('preset-choice');
  choice.append(...presets.map((p, i) => el('option', { value: String(i) }, p.name)));
  choice.addEventListener('change', () => {
    if (choice.value !== '') textarea.value = JSON.stringify(presets[Number(choice.value)].spec, null, 2);
  });
}

async function renderGallery() {
  const { runs } = await getJSON(`/api/classrooms/${classroomId}/gallery`);
  $('gallery').replaceChildren(...runs.map((r) => el('li', {},
    statusBadge(r.status), ' ', el('a', { href: r.url }, `${r.owner} · ${r.assignment}`),
    el('span', { class: 'cr-muted' }, r.final ? ` · ${t('classroom.metric_test_loss')} ${formatNumber(r.final.test_loss)}` : ''))));
  $('gallery-empty').hidden = runs.length > 0;
}

async function render() {
  const c = await getJSON(`/api/classrooms/${classroomId}`);
  $('assignments').replaceChildren(...c.assignments.map(assignmentItem));
  $('assignments-empty').hidden = c.assignments.length > 0;
  if (teaching) {
    $('roster').replaceChildren(...c.students.map(rosterRow));
    renderLimits(c);
    renderControlFlags();
  }
  await renderGallery();
}

function numberOrNull(value) {
  return value === '' ? null : Number(value);
}

function wireTeacherForms() {
  $('bulk-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const answer = await postJSON(`/api/classrooms/${classroomId}/students`, { names: event.target.names.value });
      location.href = answer.print; // the printable sheet (and its CSV): passwords are shown once
    } catch (err) {
      showError($('bulk-error'), err);
    }
  });
  $('limits-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = Object.fromEntries(LIMIT_FIELDS.map((name) => [name, numberOrNull(form[name].value)]));
    body.gpu_allowed = form.gpu_allowed.value === '' ? null : form.gpu_allowed.value === 'true';
    try {
      await postJSON(`/api/classrooms/${classroomId}/limits`, body);
      showError($('limits-error'), null);
      render();
    } catch (err) {
      showError($('limits-error'), err);
    }
  });
  $('assignment-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    let preset;
    try {
      preset = JSON.parse(form.preset.value);
    } catch (err) {
      showError($('assignment-error'), { errors: [{ path: 'preset', message: t('classroom.preset_not_json') }] });
      return;
    }
    const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
    const body = {
      title: form.title.value, instructions: form.instructions.value, preset,
      due_at: form.due_at.value ? new Date(form.due_at.value).toISOString() : null,
      target: { metric: form.metric.value, threshold: numberOrNull(form.threshold.value), max_params: numberOrNull(form.max_params.value) },
      locked: checked('locked'), hidden: checked('hidden'),
    };
    try {
      const assignment = await postJSON(`/api/classrooms/${classroomId}/assignments`, body);
      location.href = assignment.url;
    } catch (err) {
      showError($('assignment-error'), err);
    }
  });
}

if (teaching) wireTeacherForms();
startPage(render);
