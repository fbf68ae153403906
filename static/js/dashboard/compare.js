// /compare?runs=a,b,...: up to six runs' curves overlaid (live while they train), a legend naming
// what differs between their specs, the full spec diff as a table, and a picker of the visitor's runs.
import { t, onLanguageChange } from '../i18n.js';
import { getJSON } from '../api.js';
import { RunStream } from '../stream.js';
import { startPage } from './page.js';
import { specDiff, runLabels, shortPath, format } from './specdiff.js';
import { ema, downsampleIndices, pick } from './series.js';
import { baseLayout, axis, CONFIG, LINE_INTERVAL_MS, SERIES_COLORS, later, plotly, uniqueKey } from './plot.js';
import { DRAW_LIMIT } from './lines.js';

const $ = (id) => document.getElementById(id);
const runIds = JSON.parse($('run-ids').textContent);
const MAX_RUNS = JSON.parse($('max-runs').textContent);
const chartKey = uniqueKey('compare');
const state = {
  runs: runIds.map((id) => ({ id, spec: null, points: [], lastSeq: -1, thinned: false, stream: null })),
  metric: 'test_loss',
  log: false,
  smoothing: 0,
  labels: [],
};

function runName(index) {
  return t('dashboard.compare.run_n', { n: index + 1 });
}

// --- the curves --------------------------------------------------------------------------------

function drawChart() {
  later(chartKey, () => {
    const P = plotly();
    const el = $('compare-chart');
    if (!P) return;
    let thinned = false;
    const traces = state.runs.map((run, i) => {
      const x = run.points.map((p) => p.epoch ?? p.step);
      const y = ema(run.points.map((p) => p[state.metric] ?? null), state.smoothing);
      const indices = downsampleIndices(y, Math.floor(DRAW_LIMIT / Math.max(1, state.runs.length)) * 2);
      if (indices.length < y.length) thinned = true;
      const label = state.labels[i];
      return {
        type: 'scatter', mode: x.length < 3 ? 'lines+markers' : 'lines',
        name: label ? `${runName(i)}: ${label}` : runName(i),
        x: pick(x, indices), y: pick(y, indices),
        line: { color: SERIES_COLORS[i % SERIES_COLORS.length], width: 1.8 },
        hovertemplate: state.metric.endsWith('accuracy') ? '%{y:.1%}' : '%{y:.4g}',
      };
    });
    const layout = baseLayout({ hovermode: 'x unified' });
    layout.legend = { orientation: 'h', x: 0, y: -0.22, yanchor: 'top', font: { size: 11 } };
    layout.margin = { ...layout.margin, b: 90 };
    layout.xaxis = axis(t('dashboard.epoch'));
    const accuracy = state.metric.endsWith('accuracy');
    layout.yaxis = axis(t(`dashboard.curves.${state.metric}`), state.log ? { type: 'log', exponentformat: 'power' }
      : accuracy ? { range: [0, 1.02], tickformat: '.0%' } : { rangemode: 'tozero' });
    P.react(el, traces, layout, CONFIG);
    const notes = [];
    if (thinned) notes.push(t('dashboard.compare.downsampled'));
    if (state.runs.some((r) => r.thinned)) notes.push(t('dashboard.history_thinned'));
    $('compare-note').textContent = notes.join(' ');
    $('compare-note').hidden = !notes.length;
    el.dataset.traces = String(traces.length);
    el.dataset.points = traces.map((tr) => tr.x.length).join(',');
  }, { interval: LINE_INTERVAL_MS });
}

function follow(run) {
  const receive = (msg) => {
    if (msg.type === 'snapshot') {
      run.points = [...((msg.history && msg.history.metrics) || [])];
      run.thinned = Boolean(msg.history && msg.history.downsampled);
      run.lastSeq = msg.seq;
    } else if (msg.type === 'metrics') {
      if (msg.seq <= run.lastSeq) return;
      run.lastSeq = msg.seq;
      run.points.push(...(msg.points || []));
    } else {
      return;
    }
    drawChart();
  };
  run.stream = new RunStream(run.id, { snapshot: receive, metrics: receive });
}

// --- what differs ----------------------------------------------------------------------------------

function renderDiff() {
  const loaded = state.runs.filter((r) => r.spec);
  if (loaded.length < state.runs.length) return;
  const specs = state.runs.map((r) => r.spec);
  state.labels = runLabels(specs);
  const { paths, values } = specDiff(specs);
  const table = $('compare-diff');
  const head = document.createElement('tr');
  head.append(document.createElement('th'));
  state.runs.forEach((run, i) => {
    const th = document.createElement('th');
    th.scope = 'col';
    const swatch = document.createElement('span');
    swatch.className = 'db-swatch';
    swatch.style.background = SERIES_COLORS[i % SERIES_COLORS.length];
    const link = document.createElement('a');
    link.href = `/runs/${run.id}/dashboard`;
    link.textContent = runName(i);
    th.append(swatch, link);
    head.append(th);
  });
  const rows = paths.map((path, k) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = shortPath(path);
    th.title = path;
    tr.append(th, ...values[k].map((v) => Object.assign(document.createElement('td'), { textContent: format(v) })));
    return tr;
  });
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  tbody.append(...rows);
  table.replaceChildren(thead, tbody);
  $('compare-same').hidden = !(state.runs.length > 1 && !paths.length);
  drawChart();
}

function datasetName(name) {
  const key = `dataset.${name}`;
  const text = t(key);
  return text === key ? name : text; // datasets newer than the catalogue keep their own name
}

// --- the picker ------------------------------------------------------------------------------------

async function renderPicker() {
  let runs = [];
  try {
    ({ runs } = await getJSON('/api/runs'));
  } catch (err) {
    runs = [];
  }
  const list = $('compare-runs');
  list.replaceChildren(...runs.map((run) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'run', value: run.id });
    box.checked = runIds.includes(run.id);
    const text = document.createElement('span');
    const metric = run.final ? (run.final.test_accuracy ?? run.final.test_rms ?? run.final.test_loss) : null;
    text.textContent = [datasetName(run.dataset), (run.hidden_layers || []).join('-') || '0',
      run.optimizer, `lr ${run.learning_rate}`, t(`status.${run.status}`), metric === null || metric === undefined ? '' : format(metric)]
      .filter(Boolean).join(' · ');
    label.append(box, text);
    li.append(label);
    return li;
  }));
  $('compare-no-runs').hidden = runs.length > 0;
  const limit = () => {
    const boxes = [...list.querySelectorAll('input')];
    const full = boxes.filter((b) => b.checked).length >= MAX_RUNS;
    boxes.forEach((b) => { b.disabled = full && !b.checked; });
  };
  list.addEventListener('change', limit);
  limit();
}

function wireControls() {
  $('compare-metric').addEventListener('change', (e) => { state.metric = e.target.value; drawChart(); });
  $('compare-log').addEventListener('change', (e) => { state.log = e.target.checked; drawChart(); });
  $('compare-smoothing').addEventListener('input', (e) => {
    state.smoothing = Number(e.target.value);
    $('compare-smoothing-value').textContent = e.target.value;
    drawChart();
  });
  $('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const ids = [...$('compare-runs').querySelectorAll('input:checked')].map((b) => b.value);
    location.href = `/compare?runs=${ids.join(',')}`;
  });
  onLanguageChange(() => { renderDiff(); drawChart(); });
}

try {
  await startPage();
  wireControls();
  await Promise.all(state.runs.map(async (run) => {
    try {
      run.spec = (await getJSON(`/api/runs/${run.id}`)).spec;
    } catch (err) {
      run.spec = {};
    }
  }));
  renderDiff();
  state.runs.forEach(follow);
  await renderPicker();
  drawChart();
} finally {
  document.body.dataset.ready = 'true';
}
