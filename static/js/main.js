// Wiring: the controls, the setup in the URL, a run's stream, and the pictures.
//
// Two states. Without a run (URL "/?<setup>") everything is editable and the data plot shows a
// preview of the dataset. With a run (URL "/runs/<id>") the page shows that run: its spec in the
// controls, its history from the websocket's snapshot, then live messages. While the run is active,
// only the live settings (learning rate, batch size, regularization rate) can change, and they are
// sent over the websocket; Reset (or changing the data or the network of a finished run) goes back
// to the editable setup.
import * as i18n from './i18n.js';
import { t, formatNumber } from './i18n.js';
import { getJSON, postJSON, ApiError } from './api.js';
import * as S from './spec.js';
import { RunStream, FINAL_STATUSES } from './stream.js';
import { LossChart, GradientChart } from './charts.js';
import { DataPlot } from './boundary.js';
import { NetworkView } from './network.js';
import { RunsList } from './runs.js';
import { buildDatasetTiles, drawThumbnails, applyDatasetHelp } from './datasets.js';
import { clearErrors, showErrors, notice } from './errors.js';
import { classColor, BLUE, ORANGE } from './colors.js';

const $ = (id) => document.getElementById(id);
const ACTIVE = new Set(['queued', 'running', 'paused']);
const RUN_PATH = /\/runs\/([0-9a-fA-F-]{36})\/?$/;

const app = {
  setup: S.defaults(),
  run: null, // {id, status, reason, final, spec, model, problem, classes, epoch, latest}
  stream: null,
  catalogue: null, // GET /api/datasets
  brush: 1, // the label a click gives a new point
  previewToken: 0,
  loadToken: 0, // the latest navigation: an older one still loading must not win
  previewTimer: null,
  connection: null,
};

let lossChart;
let gradientChart;
let dataPlot;
let network;
let runsList;

// --- small helpers ---------------------------------------------------------------------------------

function isActive() {
  return Boolean(app.run && ACTIVE.has(app.run.status));
}

function problem() {
  return app.run ? app.run.problem : S.problemOf(app.setup);
}

function classCount() {
  if (problem() === 'regression') return 0;
  return app.setup.dataset === 'blobs' ? app.setup.classes : 2;
}

function percent(value) {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

function option(value, key) {
  const opt = document.createElement('option');
  opt.value = value;
  opt.dataset.i18n = key;
  opt.textContent = t(key);
  return opt;
}

function layerName(id) {
  const model = app.run ? app.run.model : null;
  if (model) {
    const index = model.layers.findIndex((l) => l.dense === id);
    if (index >= 0) return t('network.layer_n', { n: index + 1 });
    if (model.output && model.output.dense === id) return t('network.output');
  }
  return id;
}

// --- the controls -----------------------------------------------------------------------------------

function buildStaticControls() {
  const activation = $('activation-select');
  for (const fn of S.ACTIVATIONS) activation.append(option(fn, `activation.${fn}`));
  const reg = $('reg-select');
  for (const kind of S.REGULARIZATIONS) reg.append(option(kind, `regularization.${kind}`));
  const opt = $('optimizer-select');
  for (const name of S.OPTIMIZERS) opt.append(option(name, `optimizer.${name}`));
  for (const value of S.LEARNING_RATES) $('lr-values').append(Object.assign(document.createElement('option'), { value }));
  for (const value of S.REGULARIZATION_RATES) $('reg-rate-values').append(Object.assign(document.createElement('option'), { value }));

  buildDatasetTiles($('dataset-tiles'), (name) => changeSetup((s) => {
    const before = S.problemOf(s);
    s.dataset = name;
    // added points keep their label only where it still means the same thing
    s.extraPoints = S.problemOf(s) === before ? s.extraPoints.filter((p) => S.validLabel(s, p[2])) : [];
  }, 'data'));
}

function setValue(id, value) {
  const el = $(id);
  if (document.activeElement === el && el.type === 'number') return; // don't fight the typist
  if (String(el.value) !== String(value)) el.value = value;
}

function renderControls() {
  const s = app.setup;
  const active = isActive();
  const loading = Boolean(app.run && app.run.status === 'loading');
  const locked = active || loading;
  const status = app.run ? app.run.status : 'setup';

  setValue('lr-input', s.learningRate);
  setValue('batch-input', s.batchSize);
  setValue('reg-rate-input', s.regRate);
  setValue('epochs-input', s.epochs);
  setValue('seed-input', s.seed);
  setValue('momentum-input', s.momentum);
  setValue('activation-select', s.activation);
  setValue('reg-select', s.regularization);
  setValue('optimizer-select', s.optimizer);
  setValue('classes-input', s.classes);
  setValue('ratio-input', s.trainFraction);
  setValue('noise-input', s.noise);
  setValue('samples-input', s.samples);
  $('classes-value').textContent = s.classes;
  $('ratio-value').textContent = `${Math.round(s.trainFraction * 100)}%`;
  $('noise-value').textContent = s.noise;
  $('samples-value').textContent = s.samples;
  $('show-test').checked = s.showTest;
  $('discretize').checked = s.discretize;
  $('classes-field').hidden = s.dataset !== 'blobs';
  $('momentum-field').hidden = s.optimizer !== 'momentum';
  for (const radio of document.querySelectorAll('input[name=dataset]')) {
    radio.checked = radio.value === s.dataset;
    radio.disabled = locked;
    radio.closest('label').classList.toggle('checked', radio.checked);
  }

  for (const id of ['activation-select', 'optimizer-select', 'momentum-input', 'epochs-input', 'seed-input', 'reg-select',
    'classes-input', 'ratio-input', 'noise-input', 'samples-input', 'regenerate-btn', 'clear-points-btn']) {
    $(id).disabled = locked;
  }
  $('reg-rate-input').disabled = loading || s.regularization === 'none';
  $('lr-input').disabled = loading;
  $('batch-input').disabled = loading;
  document.body.classList.toggle('run-active', active);
  $('add-layer-btn').disabled = locked || s.layers.length >= S.LIMITS.layers[1];
  $('remove-layer-btn').disabled = locked || s.layers.length <= S.LIMITS.layers[0];
  const layers = app.run ? app.run.model.layers.length : s.layers.length;
  $('layer-count').textContent = t(layers === 1 ? 'network.hidden_layers_one' : 'network.hidden_layers', { count: layers });
  $('clear-points-btn').hidden = s.extraPoints.length === 0;

  $('train-btn').disabled = active || loading;
  const pause = $('pause-btn');
  pause.disabled = !(status === 'running' || status === 'paused');
  const resuming = status === 'paused';
  pause.querySelector('.label').dataset.i18n = resuming ? 'controls.resume' : 'controls.pause';
  pause.querySelector('.label').textContent = t(resuming ? 'controls.resume' : 'controls.pause');
  pause.setAttribute('aria-pressed', resuming ? 'true' : 'false');
  pause.classList.toggle('primary', resuming);
  $('step-btn').disabled = status !== 'paused';
  $('stop-btn').disabled = !active;

  const prob = problem();
  $('problem-type').textContent = t(`problem.${prob}`);
  document.body.classList.toggle('regression', prob === 'regression');
  renderBrush();
  dataPlot.setOptions({ showTest: s.showTest, discretize: s.discretize, clickable: !locked });
  network.setEditable(!locked); // a finished run's network can be edited: that starts a new setup
  network.setPaused(status === 'paused');
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.setAttribute('aria-pressed', b.dataset.lang === i18n.language() ? 'true' : 'false');
  }
}

function renderBrush() {
  const box = $('brush-options');
  const prob = problem();
  const classes = classCount();
  const options = prob === 'regression'
    ? [{ value: 1, color: BLUE, key: 'output.brush_plus' }, { value: -1, color: ORANGE, key: 'output.brush_minus' }]
    : Array.from({ length: classes }, (_, k) => ({ value: k, color: classColor(k, classes), key: 'output.brush_class', n: k }));
  if (!options.some((o) => o.value === app.brush)) app.brush = options[options.length > 1 ? 1 : 0].value;
  box.replaceChildren();
  for (const o of options) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'swatch';
    b.style.setProperty('--swatch', o.color);
    b.dataset.testid = `brush-${o.value}`;
    b.setAttribute('aria-pressed', o.value === app.brush ? 'true' : 'false');
    const name = t(o.key, { n: o.n });
    b.setAttribute('aria-label', name);
    b.title = name;
    b.textContent = prob === 'regression' ? (o.value > 0 ? '+1' : '−1') : '';
    b.addEventListener('click', () => {
      app.brush = o.value;
      renderBrush();
    });
    box.append(b);
  }
  const legend = $('legend');
  legend.textContent = prob === 'regression' ? t('output.legend_regression') : t('output.legend_classification');
}

function renderStats(point) {
  const p = point || {};
  $('stat-test-loss').textContent = formatNumber(p.test_loss, 4);
  $('stat-train-loss').textContent = formatNumber(p.train_loss, 4);
  $('stat-test-acc').textContent = percent(p.test_accuracy);
  $('stat-train-acc').textContent = percent(p.train_accuracy);
}

function renderStatus() {
  const run = app.run;
  const badge = $('status-badge');
  const status = run ? run.status : 'setup';
  badge.dataset.status = status;
  badge.textContent = t(`status.${status}`);
  $('epoch').textContent = run ? String(run.epoch || 0) : '0';
  let text = '';
  if (!run) text = t('status.setup_hint');
  else if (status === 'loading') text = t('status.loading_hint');
  else if (status === 'queued') text = t('status.queued_hint');
  else if (status === 'running') text = t('status.running_hint', { epoch: run.epoch || 0, epochs: app.setup.epochs });
  else if (status === 'paused') text = t('status.paused_hint', { epoch: run.epoch || 0 });
  else if (status === 'succeeded') text = finalText(run.final);
  else if (status === 'failed') text = run.reason ? t('status.failed_reason', { reason: run.reason }) : t('status.failed_hint');
  else if (status === 'cancelled') text = run.reason ? t('status.cancelled_reason', { reason: run.reason }) : t('status.cancelled_hint', { epoch: run.epoch || 0 });
  if (run && FINAL_STATUSES.has(status) && status !== 'succeeded' && run.final) text += ` · ${finalText(run.final)}`;
  $('status-text').textContent = text;
  $('status-text').title = text;
  const conn = $('connection');
  conn.hidden = !app.connection;
  conn.textContent = app.connection || '';
}

function finalText(final) {
  if (!final) return t('status.succeeded_hint');
  const parts = [t('status.final_epochs', { epochs: final.epochs ?? '–' }),
    `${t('output.train_loss')} ${formatNumber(final.train_loss, 4)}`,
    `${t('output.test_loss')} ${formatNumber(final.test_loss, 4)}`];
  if (final.test_accuracy !== undefined && final.test_accuracy !== null) {
    parts.push(`${t('output.test_accuracy')} ${percent(final.test_accuracy)}`);
  }
  return parts.join(' · ');
}

// --- the setup --------------------------------------------------------------------------------------

// kind: 'data' (the points change), 'points' (clicked points), 'network', 'training' (applies to the
// next run), 'live' (sent to an active run), 'view' (how things are drawn)
function changeSetup(mutate, kind) {
  if (app.run && !FINAL_STATUSES.has(app.run.status) && !['live', 'view'].includes(kind)) {
    renderControls(); // locked while a run is active (the control was disabled; undo a stray change)
    return;
  }
  if (app.run && (kind === 'data' || kind === 'points' || kind === 'network')) {
    // a finished run's data or network changed: that is a new setup, no longer this run
    leaveRun({ push: true });
  }
  mutate(app.setup);
  clearErrors();
  if (!app.run) {
    syncUrl();
    if (kind === 'data') schedulePreview();
    if (kind === 'points') dataPlot.setExtraPoints(app.setup.extraPoints);
    if (kind === 'data' || kind === 'network') network.setModel(S.networkModel(S.toSpec(app.setup)), { editable: true });
  }
  renderControls();
  renderStatus();
}

function syncUrl({ push = false } = {}) {
  const query = S.toQuery(app.setup);
  const url = `/?${query}`;
  $('open-editor').href = `/editor?${query}`; // the graph editor opens on this same network
  if (location.pathname + location.search === url) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function schedulePreview() {
  clearTimeout(app.previewTimer);
  app.previewTimer = setTimeout(preview, 120);
}

async function preview() {
  const token = ++app.previewToken;
  const dataset = { ...S.datasetOf(app.setup), extra_points: [] };
  try {
    const data = await postJSON('/api/datasets/preview', dataset);
    if (token !== app.previewToken || app.run) return;
    dataPlot.setData(data.problem, data.classes, data.train, data.test, 0);
    dataPlot.setExtraPoints(app.setup.extraPoints);
  } catch (err) {
    if (token === app.previewToken) showErrors(err.errors || [{ path: '', message: String(err) }]);
  }
}

function parseNumberInput(id, { integer = false } = {}) {
  const el = $(id);
  const text = el.value.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    return { ok: false, message: t(integer ? 'errors.need_integer' : 'errors.need_number') };
  }
  return { ok: true, value };
}

function numberControl(id, field, kind, { integer = false, path }) {
  $(id).addEventListener('change', () => {
    const parsed = parseNumberInput(id, { integer });
    if (!parsed.ok) {
      showErrors([{ path, node: null, message: parsed.message }]);
      return;
    }
    changeSetup((s) => { s[field] = parsed.value; }, kind);
    if (kind === 'live' && isActive()) sendLive(field, parsed.value);
  });
}

const LIVE_FIELDS = { learningRate: 'learning_rate', batchSize: 'batch_size', regRate: 'regularization_rate' };

const LIVE_INPUTS = { learningRate: 'lr-input', batchSize: 'batch-input', regRate: 'reg-rate-input' };

function sendLive(field, value) {
  if (sendControl({ action: 'set', [LIVE_FIELDS[field]]: value })) {
    $(LIVE_INPUTS[field]).closest('.field').classList.add('pending'); // until the `settings` answer
  }
}

function sendControl(control) {
  if (app.stream && app.stream.send(control)) return true;
  showErrors([{ path: '', node: null, message: t('errors.not_connected') }]);
  return false;
}

function applySettings(message) {
  if (!message) return;
  const pairs = [['learning_rate', 'learningRate', 'lr-input'], ['batch_size', 'batchSize', 'batch-input'],
    ['regularization_rate', 'regRate', 'reg-rate-input']];
  for (const [key, field, id] of pairs) {
    if (message[key] === undefined || message[key] === null) continue;
    app.setup[field] = message[key];
    const box = $(id).closest('.field');
    if (box.classList.contains('pending')) {
      box.classList.remove('pending');
      box.classList.add('applied');
      setTimeout(() => box.classList.remove('applied'), 1200);
    }
  }
  renderControls();
}

function wireControls() {
  numberControl('lr-input', 'learningRate', 'live', { path: 'training.learning_rate' });
  numberControl('batch-input', 'batchSize', 'live', { integer: true, path: 'training.batch_size' });
  numberControl('reg-rate-input', 'regRate', 'live', { path: 'training.regularization.rate' });
  numberControl('epochs-input', 'epochs', 'training', { integer: true, path: 'training.epochs' });
  numberControl('seed-input', 'seed', 'training', { integer: true, path: 'training.seed' });
  numberControl('momentum-input', 'momentum', 'training', { path: 'training.momentum' });
  $('activation-select').addEventListener('change', (e) => changeSetup((s) => { s.activation = e.target.value; }, 'network'));
  $('optimizer-select').addEventListener('change', (e) => changeSetup((s) => { s.optimizer = e.target.value; }, 'training'));
  $('reg-select').addEventListener('change', (e) => changeSetup((s) => {
    s.regularization = e.target.value;
    if (s.regularization !== 'none' && !s.regRate) s.regRate = 0.001;
  }, 'training'));

  const slider = (id, field, parse) => {
    $(id).addEventListener('input', (e) => changeSetup((s) => {
      s[field] = parse(e.target.value);
      // labels must still fit: fewer classes drop the points of the removed ones
      s.extraPoints = s.extraPoints.filter((p) => S.validLabel(s, p[2]));
    }, 'data'));
  };
  slider('classes-input', 'classes', Number);
  slider('ratio-input', 'trainFraction', Number);
  slider('noise-input', 'noise', Number);
  slider('samples-input', 'samples', Number);
  $('regenerate-btn').addEventListener('click', () => changeSetup((s) => {
    s.dataSeed = 1 + Math.floor(Math.random() * 1e6);
  }, 'data'));

  $('add-layer-btn').addEventListener('click', () => changeSetup((s) => {
    if (s.layers.length < S.LIMITS.layers[1]) s.layers.push(s.layers.length ? s.layers[s.layers.length - 1] : 4);
  }, 'network'));
  $('remove-layer-btn').addEventListener('click', () => changeSetup((s) => { s.layers.pop(); }, 'network'));

  $('show-test').addEventListener('change', (e) => changeSetup((s) => { s.showTest = e.target.checked; }, 'view'));
  $('discretize').addEventListener('change', (e) => changeSetup((s) => { s.discretize = e.target.checked; }, 'view'));
  $('clear-points-btn').addEventListener('click', () => changeSetup((s) => { s.extraPoints = []; }, 'points'));

  $('train-btn').addEventListener('click', train);
  $('pause-btn').addEventListener('click', () => {
    if (!app.run) return;
    sendControl({ action: app.run.status === 'paused' ? 'resume' : 'pause' });
  });
  $('step-btn').addEventListener('click', () => sendControl({ action: 'step' }));
  $('stop-btn').addEventListener('click', stop);
  $('reset-btn').addEventListener('click', reset);
  $('errors-close').addEventListener('click', clearErrors);
  $('runs-refresh').addEventListener('click', () => runsList.refresh());
  for (const b of document.querySelectorAll('.lang-switch button')) {
    b.addEventListener('click', () => i18n.setLanguage(b.dataset.lang));
  }
  window.addEventListener('popstate', () => loadFromLocation());
}

function addPoint(x, y, shift) {
  if (app.setup.extraPoints.length >= S.LIMITS.extraPoints) {
    showErrors([{ path: 'dataset.extra_points', node: null, message: t('errors.too_many_points', { max: S.LIMITS.extraPoints }) }]);
    return;
  }
  const prob = problem();
  let label = app.brush;
  if (shift) {
    if (prob === 'regression') label = -label;
    else label = classCount() === 2 ? 1 - label : (label + 1) % classCount();
  }
  changeSetup((s) => {
    if (s.extraPoints.length < S.LIMITS.extraPoints) s.extraPoints.push([x, y, label]);
  }, 'points');
}

// --- runs -------------------------------------------------------------------------------------------

async function train() {
  clearErrors();
  notice('');
  $('train-btn').disabled = true;
  let run;
  try {
    run = await postJSON('/api/runs', S.toSpec(app.setup));
  } catch (err) {
    showErrors(err instanceof ApiError ? err.errors : [{ path: '', node: null, message: String(err) }]);
    renderControls();
    return;
  }
  closeStream();
  history.pushState(null, '', run.url || `/runs/${run.id}`);
  adoptRun(run);
  openStream(run.id);
  runsList.refresh();
}

function stop() {
  if (!app.run || !isActive()) return;
  if (app.stream && app.stream.send({ action: 'stop' })) return;
  const id = app.run.id;
  postJSON(`/api/runs/${id}/cancel`)
    .then((run) => {
      if (app.run && app.run.id === id) onStatus({ status: run.status, reason: run.reason, final: run.final });
    })
    .catch((err) => showErrors(err.errors || []));
}

function reset() {
  if (app.run && isActive()) stop();
  clearErrors();
  notice('');
  leaveRun({ push: true });
  renderControls();
  renderStatus();
}

// Back to the editable setup (the run keeps its page at /runs/<id>).
function leaveRun({ push }) {
  closeStream();
  app.run = null;
  app.connection = null;
  syncUrl({ push });
  showSetup();
}

function showSetup() {
  app.run = null;
  lossChart.reset(S.problemOf(app.setup));
  gradientChart.reset();
  dataPlot.clearBoundary();
  dataPlot.setOverlay(null);
  network.clearLive();
  network.setModel(S.networkModel(S.toSpec(app.setup)), { editable: true });
  renderStats(null);
  schedulePreview();
  renderControls();
  renderStatus();
  runsList.setCurrent(app.run ? app.run.id : null);
}

function adoptRun(run) {
  const { setup, warnings } = S.fromSpec(run.spec);
  setup.showTest = app.setup.showTest;
  setup.discretize = app.setup.discretize;
  app.setup = setup;
  app.previewToken++; // a preview still on its way is not this run's data
  app.run = {
    id: run.id,
    status: run.status,
    reason: run.reason || null,
    final: run.final || null,
    spec: run.spec,
    model: S.networkModel(run.spec),
    problem: S.problemOf(setup),
    epoch: run.final ? run.final.epochs : 0,
  };
  app.connection = null;
  lossChart.reset(app.run.problem);
  gradientChart.reset();
  dataPlot.clearBoundary();
  dataPlot.setOverlay(null);
  dataPlot.setExtraPoints(setup.extraPoints);
  network.clearLive();
  network.setModel(app.run.model, { editable: false });
  renderStats(run.final);
  notice(warnings.length ? warnings.map((w) => t(`notice.${w}`)).join(' ') : '');
  renderControls();
  renderStatus();
  runsList.setCurrent(app.run ? app.run.id : null);
}

function openStream(runId) {
  closeStream();
  app.stream = new RunStream(runId, {
    snapshot: onSnapshot,
    status: onStatus,
    metrics: (m) => {
      lossChart.push(m.points);
      app.run.epoch = m.epoch;
      renderStats(m);
      renderStatus();
    },
    gradients: (m) => gradientChart.push(m.layers, m.points),
    boundary: (m) => dataPlot.setBoundary(m),
    neurons: (m) => network.setNeurons(m),
    weights: (m) => network.setWeights(m),
    settings: applySettings,
    error: (errors) => {
      for (const box of document.querySelectorAll('.field.pending')) box.classList.remove('pending');
      showErrors(errors, 'errors.control_title');
    },
    connection: (state, delay) => {
      if (state === 'open') app.connection = null;
      else if (state === 'waiting') app.connection = t('connection.waiting', { seconds: Math.ceil(delay / 1000) });
      else if (state === 'reconnecting') app.connection = t('connection.reconnecting');
      else if (state === 'connecting') app.connection = null;
      else app.connection = null;
      renderStatus();
    },
    refused: () => {
      showErrors([{ path: '', node: null, message: t('errors.run_not_found') }], 'errors.run_title');
      app.connection = null;
      renderStatus();
    },
  });
}

function closeStream() {
  if (app.stream) app.stream.close();
  app.stream = null;
}

function onSnapshot(msg) {
  const run = app.run;
  if (!run || run.id !== msg.run) return;
  Object.assign(run, { status: msg.status, reason: msg.reason || null, final: msg.final || null });
  const data = msg.data || { train: [], test: [] };
  const extra = (msg.spec && msg.spec.dataset && msg.spec.dataset.extra_points) || [];
  dataPlot.setData(data.problem || run.problem, data.classes, data.train || [], data.test || [], extra.length);
  const history = msg.history || {};
  const metrics = history.metrics || [];
  lossChart.setHistory(run.problem, metrics);
  gradientChart.setHistory(history.gradients);
  const latest = msg.latest || {};
  if (latest.boundary) dataPlot.setBoundary(latest.boundary);
  else dataPlot.clearBoundary();
  if (latest.neurons) network.setNeurons(latest.neurons);
  if (latest.weights) network.setWeights(latest.weights);
  if (latest.settings) applySettings(latest.settings);
  const last = metrics.length ? metrics[metrics.length - 1] : null;
  run.epoch = last ? last.epoch : (run.final ? run.final.epochs : 0);
  renderStats(last || run.final);
  if (FINAL_STATUSES.has(run.status)) closeStream();
  renderControls();
  renderStatus();
}

function onStatus(msg) {
  const run = app.run;
  if (!run) return;
  run.status = msg.status;
  run.reason = msg.reason || null;
  if (msg.final) {
    run.final = msg.final;
    renderStats(msg.final);
    if (msg.final.epochs !== undefined) run.epoch = msg.final.epochs;
  }
  if (FINAL_STATUSES.has(run.status)) {
    closeStream();
    for (const box of document.querySelectorAll('.field.pending')) box.classList.remove('pending');
  }
  renderControls();
  renderStatus();
  runsList.refresh();
}

// --- loading what the URL says ----------------------------------------------------------------------

async function loadFromLocation(initialRunId) {
  const token = ++app.loadToken;
  closeStream();
  clearErrors();
  notice('');
  const match = location.pathname.match(RUN_PATH);
  const runId = initialRunId || (match ? match[1] : null);
  if (!runId) {
    const { setup, ignored } = S.fromQuery(location.search);
    app.setup = setup;
    if (ignored.length) notice(t('notice.ignored', { names: ignored.join(', ') }));
    $('open-editor').href = `/editor?${S.toQuery(setup)}`;
    showSetup();
    return;
  }
  app.run = { id: runId, status: 'loading', model: app.run ? app.run.model : S.networkModel(S.toSpec(app.setup)), epoch: 0, problem: problem() };
  renderControls();
  renderStatus();
  let run;
  try {
    run = await getJSON(`/api/runs/${runId}`);
  } catch (err) {
    if (token !== app.loadToken) return;
    app.run = null;
    showSetup();
    if (err instanceof ApiError && err.status === 404) {
      showErrors([{ path: '', node: null, message: t('errors.run_not_found') }], 'errors.run_title');
    } else {
      showErrors(err.errors || [{ path: '', node: null, message: String(err) }], 'errors.run_title');
    }
    return;
  }
  if (token !== app.loadToken) return;
  adoptRun(run);
  openStream(run.id);
}

async function main() {
  await i18n.init();
  lossChart = new LossChart($('loss-chart'));
  gradientChart = new GradientChart($('gradient-chart'), layerName);
  dataPlot = new DataPlot($('data-plot'), { onAddPoint: addPoint });
  network = new NetworkView($('network'), {
    onToggleFeature: (f) => changeSetup((s) => {
      s.features = s.features.includes(f) ? s.features.filter((x) => x !== f) : S.FEATURES.filter((x) => x === f || s.features.includes(x));
    }, 'network'),
    onUnits: (index, delta) => changeSetup((s) => {
      s.layers[index] = Math.min(S.LIMITS.units[1], Math.max(S.LIMITS.units[0], s.layers[index] + delta));
    }, 'network'),
    onHoverNeuron: (grid, label) => dataPlot.setOverlay(grid, label),
    onEditWeight: (edit) => sendControl({ action: 'set_weight', ...edit }),
  });
  runsList = new RunsList($('runs-list'), $('runs-empty'), {
    onOpen: (url) => {
      history.pushState(null, '', url);
      loadFromLocation();
    },
  });
  buildStaticControls();
  wireControls();
  i18n.onLanguageChange(() => {
    renderControls();
    renderStatus();
    runsList.render();
    applyDatasetHelp($('dataset-tiles'), app.catalogue);
  });
  const initial = JSON.parse($('run-id').textContent || 'null');
  await loadFromLocation(initial);
  document.body.classList.remove('loading');
  document.body.dataset.ready = 'true';
  runsList.refresh();
  getJSON('/api/datasets').then((c) => {
    app.catalogue = c;
    applyDatasetHelp($('dataset-tiles'), c);
  }).catch(() => {});
  drawThumbnails($('dataset-tiles'));
}

// for a person debugging in the console (and the browser tests): the page's state
window.neuralPlayground = { app };

main().catch((err) => {
  console.error(err);
  showErrors([{ path: '', node: null, message: String(err && err.message ? err.message : err) }]);
});
