// The run dashboard: mountDashboard(container, {runId}) opens the run's websocket (a snapshot, then
// live messages; a message whose `seq` is not above the highest seen is dropped) and composes its
// panels from the `type`d messages it gets, so every kind of run shows the views its messages call
// for. `handleMessage` is the same entry the socket uses: a page or a test can feed messages by hand.
import { t, formatNumber, onLanguageChange, apply } from '../i18n.js';
import { RunStream, FINAL_STATUSES } from '../stream.js';
import { CurvesPanel } from './panels/curves.js';
import { GradientPanel } from './panels/gradients.js';
import { HistogramPanel } from './panels/histograms.js';
import { DecisionPanel, NeuronsPanel } from './panels/decision.js';
import { CurveFitPanel, CoefficientsPanel, DegreePanel } from './panels/curvefit.js';
import { ConvPanel } from './panels/conv.js';
import { ConfusionPanel } from './panels/confusion.js';
import { RecurrentPanel, AttentionPanel, KvCachePanel } from './panels/sequence.js';

// The order panels take on the page, whatever order their messages come in.
const PANELS = [CurvesPanel, GradientPanel, DecisionPanel, NeuronsPanel, CurveFitPanel, CoefficientsPanel, DegreePanel,
  ConvPanel, ConfusionPanel, RecurrentPanel, AttentionPanel, KvCachePanel, HistogramPanel];
const HEADER_TYPES = new Set(['status', 'settings']);
let instances = 0;
// One language listener for every dashboard on the page (i18n.js has no way to remove a listener, and
// the editor mounts a new dashboard per run): destroyed dashboards leave this set.
const mounted = new Set();
onLanguageChange(() => mounted.forEach((dashboard) => dashboard.relabel()));

function ensureStylesheet() {
  const href = new URL('../../css/dashboard.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some((l) => l.href === href)) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href }));
}

export class Dashboard {
  constructor(container, { runId = null } = {}) {
    instances += 1;
    this.prefix = `db${instances}`;
    this.container = container;
    this.runId = runId;
    this.ctx = { spec: null, status: null, data: null, final: null };
    this.panels = new Map(); // class -> panel
    this.lastSeq = -1;
    this.received = 0; // messages handled (for the benchmark and tests)
    this.stream = null;
    this.destroyed = false;
    ensureStylesheet();
    this.build();
    mounted.add(this);
  }

  relabel() {
    this.renderHeader();
    for (const panel of this.panels.values()) panel.relabel();
  }

  build() {
    this.root = document.createElement('div');
    this.root.className = 'dashboard';
    this.root.dataset.testid = 'dashboard';
    this.head = document.createElement('div');
    this.head.className = 'db-head';
    this.head.setAttribute('role', 'status');
    this.head.setAttribute('aria-live', 'polite');
    this.badge = document.createElement('span');
    this.badge.className = 'db-badge';
    this.badge.dataset.testid = 'dashboard-status';
    this.progress = document.createElement('span');
    this.progress.className = 'db-progress';
    this.progress.dataset.testid = 'dashboard-progress';
    this.connection = document.createElement('span');
    this.connection.className = 'db-connection';
    this.connection.dataset.testid = 'dashboard-connection';
    this.settings = document.createElement('span');
    this.settings.className = 'db-settings';
    this.reason = document.createElement('span');
    this.reason.className = 'db-reason';
    this.head.append(this.badge, this.progress, this.settings, this.connection, this.reason);
    this.grid = document.createElement('div');
    this.grid.className = 'db-grid';
    this.empty = document.createElement('p');
    this.empty.className = 'db-empty';
    this.empty.dataset.i18n = 'dashboard.waiting';
    this.root.append(this.head, this.empty, this.grid);
    apply(this.root);
    this.container.append(this.root);
    this.renderHeader();
  }

  connect() {
    const handlers = { connection: (state, detail) => this.setConnection(state, detail), refused: (code) => this.refused(code),
      error: () => {} };
    // every message type goes through handleMessage; RunStream has already dropped duplicates
    const stream = new RunStream(this.runId, new Proxy(handlers, {
      get: (target, name) => target[name] || ((msg) => this.handleMessage(msg)),
    }));
    this.stream = stream;
  }

  // --- messages -------------------------------------------------------------------------------

  handleMessage(msg) {
    if (this.destroyed || !msg || typeof msg.type !== 'string') return;
    if (msg.type === 'snapshot') {
      this.lastSeq = typeof msg.seq === 'number' ? msg.seq : -1;
      this.received += 1;
      this.snapshot(msg);
      return;
    }
    if (typeof msg.seq === 'number') {
      if (msg.seq <= this.lastSeq) return; // a duplicate after a reconnect: drawn already
      this.lastSeq = msg.seq;
    }
    this.received += 1;
    this.route(msg);
  }

  snapshot(snap) {
    this.ctx = { spec: snap.spec || null, status: snap.status, reason: snap.reason, data: snap.data || null, final: snap.final || null,
      step: snap.step, epoch: null };
    for (const panel of this.panels.values()) panel.reset();
    const history = snap.history || {};
    if (history.metrics && history.metrics.length) {
      this.route({ type: 'metrics', points: history.metrics, downsampled: Boolean(history.downsampled) });
    }
    const gradients = history.gradients;
    if (gradients && gradients.points && gradients.points.length) this.route({ type: 'gradients', ...gradients });
    for (const h of history.histograms || []) this.route({ type: 'histograms', ...h });
    const latest = snap.latest || {};
    for (const [type, message] of Object.entries(latest)) {
      if (message && !(type === 'histograms' && (history.histograms || []).length)) this.route({ ...message, type });
    }
    if (this.datasetName() === 'curve_fit') this.panel(DegreePanel).reset();
    this.renderHeader();
  }

  route(msg) {
    if (HEADER_TYPES.has(msg.type)) {
      this.header(msg);
    }
    if (msg.epoch !== undefined && msg.epoch !== null) this.ctx.epoch = msg.epoch;
    if (msg.step !== undefined) this.ctx.step = msg.step;
    if (msg.type === 'metrics' && msg.points && msg.points.length) this.ctx.epoch = msg.points[msg.points.length - 1].epoch;
    for (const Kind of PANELS) {
      if (!Kind.types.includes(msg.type)) continue;
      if (Kind.wants && !Kind.wants(msg, this)) continue;
      this.panel(Kind).message(msg);
    }
    if (msg.type === 'status' && this.panels.has(DegreePanel)) this.panels.get(DegreePanel).message(msg);
    // the run is over: draw the last points now, not when the slower charts are next due
    if (msg.type === 'status' && FINAL_STATUSES.has(msg.status)) for (const panel of this.panels.values()) panel.redraw();
    this.renderProgress();
  }

  panel(Kind) {
    let panel = this.panels.get(Kind);
    if (!panel) {
      panel = new Kind(this);
      this.panels.set(Kind, panel);
      // insert in PANELS order
      const index = PANELS.indexOf(Kind);
      const after = PANELS.slice(index + 1).map((k) => this.panels.get(k)).find(Boolean);
      panel.mount(this.grid);
      if (after) this.grid.insertBefore(panel.el, after.el);
      this.empty.hidden = true;
    }
    return panel;
  }

  header(msg) {
    if (msg.type === 'status') {
      this.ctx.status = msg.status;
      this.ctx.reason = msg.reason;
      if (msg.final) this.ctx.final = msg.final;
    } else if (msg.type === 'settings') {
      this.ctx.settings = msg;
    }
    this.renderHeader();
  }

  // --- the header -----------------------------------------------------------------------------

  renderHeader() {
    const status = this.ctx.status || 'loading';
    this.badge.dataset.status = status;
    this.badge.textContent = t(`status.${status}`);
    this.reason.textContent = this.ctx.reason || '';
    const s = this.ctx.settings;
    this.settings.textContent = s ? t('dashboard.settings', { lr: formatNumber(s.learning_rate, 4), batch: s.batch_size,
      reg: formatNumber(s.regularization_rate, 4) }) : '';
    this.renderProgress();
  }

  renderProgress() {
    const training = (this.ctx.spec && this.ctx.spec.training) || {};
    if (training.steps) { // a budget in steps (the lessons' sequence tasks) instead of epochs
      const step = this.ctx.final && FINAL_STATUSES.has(this.ctx.status) ? this.ctx.final.steps ?? this.ctx.step : this.ctx.step;
      this.progress.textContent = step === null || step === undefined ? '' : t('dashboard.progress_steps', { step, steps: training.steps });
      return;
    }
    const epochs = training.epochs ?? null;
    const epoch = this.ctx.final && FINAL_STATUSES.has(this.ctx.status) ? this.ctx.final.epochs ?? this.ctx.epoch : this.ctx.epoch;
    this.progress.textContent = epoch === null || epoch === undefined ? '' : t('dashboard.progress', { epoch, epochs: epochs ?? '?' });
  }

  setConnection(state, detail) {
    this.connection.dataset.state = state;
    const key = { connecting: 'dashboard.connection.connecting', reconnecting: 'dashboard.connection.reconnecting',
      waiting: 'dashboard.connection.waiting', closed: '', open: '' }[state];
    this.connection.textContent = key ? t(key, { seconds: Math.round((detail || 0) / 1000) }) : '';
  }

  refused() {
    this.ctx.status = 'failed';
    this.renderHeader();
    this.reason.textContent = t('dashboard.not_found');
  }

  // --- helpers the panels use ----------------------------------------------------------------------

  datasetName() {
    return this.ctx.spec && this.ctx.spec.dataset ? this.ctx.spec.dataset.name : null;
  }

  nodeLabel(id) {
    return String(id);
  }

  destroy() {
    this.destroyed = true;
    mounted.delete(this);
    if (this.stream) this.stream.close();
    for (const panel of this.panels.values()) panel.destroy();
    this.panels.clear();
    this.root.remove();
  }
}

export function mountDashboard(container, { runId = null, live = true } = {}) {
  const dashboard = new Dashboard(container, { runId });
  if (runId && live) dashboard.connect();
  return {
    dashboard,
    handleMessage: (msg) => dashboard.handleMessage(msg),
    destroy: () => dashboard.destroy(),
  };
}
