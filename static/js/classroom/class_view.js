// The teacher's live class view of one assignment: a card per student with their latest run (status,
// target metric, a mini loss curve that follows the run live over the class websocket: one socket for
// the whole class), sort and filter, open full size, spotlight, comment; the leaderboard with what the
// best runs changed.
import { $, data, el, every, formatNumber, getJSON, postJSON, startPage, statusBadge, t, targetText, metricName } from './common.js';
import { drawCurve } from './curve.js';
import { ClassStream } from './class_stream.js';

const assignmentId = data('assignment-id');
const classroomId = data('classroom-id');
const ACTIVE = new Set(['queued', 'running', 'paused']);
const state = { assignment: null, students: [], cards: new Map(), curves: new Map(), commentRun: null };

// One card per student; it follows the student's latest run: its curve from /api/curves (with the
// seq it covers), then the live points the class socket brings (seq above it).
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const MAX_LIVE_POINTS = 400; // past this, every other point goes: a mini curve needs no more

class Card {
  constructor(student) {
    this.student = student;
    this.runId = null;
    this.base = [];
    this.baseSeq = -1;
    this.live = [];
    this.curve = el('div', { class: 'cr-curve', dataset: { testid: 'mini-curve' } });
    this.badge = el('span');
    this.metric = el('span', { class: 'cr-card-metric', dataset: { testid: 'card-metric' } });
    this.actions = el('div', { class: 'cr-card-actions' });
    this.node = el('article', { class: 'cr-student', dataset: { testid: 'card', student: student.username } },
      el('header', {}, el('strong', {}, student.name || student.username), this.badge), this.curve, this.metric, this.actions);
  }

  get run() {
    return this.student.run;
  }

  update(student) {
    this.student = student;
    const run = student.run;
    if (run && run.id !== this.runId) this.follow(run);
    this.render();
  }

  follow(run) {
    this.runId = run.id;
    this.base = [];
    this.baseSeq = -1;
    this.live = []; // [{seq, points}] newer than the base curve
    this.liveStatus = null;
    this.liveFinal = null;
    this.refetched = false;
    const cached = state.curves.get(run.id);
    if (cached) this.setCurve(cached.points, cached.seq);
    if (!cached || ACTIVE.has(run.status)) wantCurve(run.id);
    byRun.set(run.id, this);
  }

  setCurve(points, seq) {
    if (seq < this.baseSeq) return;
    this.base = points;
    this.baseSeq = seq;
    this.live = this.live.filter((l) => l.seq > seq);
    this.draw();
  }

  onMetrics(message) {
    if (message.seq <= this.baseSeq) return; // in the curve already
    if (!this.live.length && message.seq > this.baseSeq + 1 && !this.refetched) {
      this.refetched = true; // the socket joined this run after our curve was read: fill the gap once
      wantCurve(this.runId);
    }
    this.live.push({ seq: message.seq, points: message.points });
    let count = this.live.reduce((n, l) => n + l.points.length, 0);
    while (count > MAX_LIVE_POINTS) {
      this.live = this.live.filter((_, i) => i % 2 === 0);
      count = this.live.reduce((n, l) => n + l.points.length, 0);
    }
    this.draw();
    this.render();
  }

  onStatus(message) {
    this.liveStatus = message.status;
    this.liveFinal = message.final || this.liveFinal;
    this.render();
  }

  points() {
    return [...this.base, ...this.live.flatMap((l) => l.points)];
  }

  draw() {
    drawCurve(this.curve, this.points());
  }

  status() {
    const api = this.run ? this.run.status : null;
    if (FINAL.has(api) || !this.liveStatus) return api;
    return this.liveStatus;
  }

  render() {
    const status = this.status();
    this.node.dataset.status = status || 'none';
    this.badge.replaceChildren(statusBadge(status));
    const run = this.run;
    const metric = state.assignment.target.metric;
    const final = (run && run.final) || this.liveFinal;
    const value = final ? final[metric] : null;
    const points = ACTIVE.has(status) ? this.points() : [];
    const point = points[points.length - 1];
    if (point) this.metric.textContent = `${t('classroom.epoch')} ${point[0]} · ${metricName('test_loss')} ${formatNumber(point[2])}`;
    else this.metric.textContent = value === null || value === undefined ? '' : `${metricName(metric)} ${formatNumber(value)}`;
    this.node.classList.toggle('cr-met', Boolean(run && run.meets_target));
    this.actions.replaceChildren(...(run ? [
      el('a', { href: run.url, target: '_blank', rel: 'noopener', dataset: { testid: 'open-full' } }, t('classroom.open_full')),
      el('button', { type: 'button', onclick: () => spotlight(run.id), dataset: { testid: 'spotlight' } }, t('classroom.spotlight')),
      el('button', { type: 'button', onclick: () => openComments(run.id) }, t('classroom.comment')),
    ] : [el('span', { class: 'cr-muted' }, t('classroom.no_run'))]));
  }
}

const byRun = new Map(); // run id → the card following it

// curves asked for in batches: once per finished run, and for live runs after each (re)connect
const wanted = new Set();
let wantTimer = null;
function wantCurve(runId) {
  wanted.add(runId);
  clearTimeout(wantTimer);
  wantTimer = setTimeout(async () => {
    const ids = [...wanted];
    wanted.clear();
    const { curves, seqs } = await getJSON(`/api/curves?runs=${ids.join(',')}`);
    for (const [id, points] of Object.entries(curves)) {
      state.curves.set(id, { points, seq: seqs[id] });
      const card = byRun.get(id);
      if (card && card.runId === id) card.setCurve(points, seqs[id]);
    }
  }, 50);
}

function sortKey(card, how) {
  const run = card.run;
  if (how === 'metric') {
    const v = run && run.metric;
    if (v === null || v === undefined) return [1, 0];
    return [0, state.assignment.target.comparison === '>=' ? -v : v];
  }
  if (how === 'status') return [card.status() || 'zzz', card.student.username];
  if (how === 'recent') return [run ? -Date.parse(run.created_at) : 0, card.student.username];
  return [card.student.username];
}

function compare(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

function shown(card) {
  const filter = $('filter').value;
  const query = $('search').value.trim().toLowerCase();
  if (query && !`${card.student.username} ${card.student.name}`.toLowerCase().includes(query)) return false;
  const run = card.run;
  if (filter === 'active') return ACTIVE.has(card.status());
  if (filter === 'met') return Boolean(run && run.meets_target);
  if (filter === 'not_met') return Boolean(run) && !run.meets_target;
  if (filter === 'none') return !run;
  return true;
}

function layout() {
  const how = $('sort').value;
  const cards = [...state.cards.values()].sort((a, b) => compare(sortKey(a, how), sortKey(b, how)));
  const visible = cards.filter(shown);
  $('grid').replaceChildren(...visible.map((c) => c.node));
  const training = cards.filter((c) => ACTIVE.has(c.status())).length;
  const met = cards.filter((c) => c.run && c.run.meets_target).length;
  $('counts').textContent = t('classroom.counts', { shown: visible.length, total: cards.length, training, met });
}

async function refresh() {
  const body = await getJSON(`/api/assignments/${assignmentId}/class`);
  state.assignment = body.assignment;
  for (const student of body.students) {
    if (!state.cards.has(student.id)) state.cards.set(student.id, new Card(student));
    state.cards.get(student.id).update(student);
  }
  layout();
}

function diffText(diff) {
  return diff.map((d) => `${d.path}: ${JSON.stringify(d.preset)} → ${JSON.stringify(d.run)}`).join('; ');
}

async function refreshLeaderboard() {
  const { leaderboard } = await getJSON(`/api/assignments/${assignmentId}/leaderboard`);
  $('leaderboard').replaceChildren(...leaderboard.map((r) => el('tr', { dataset: { testid: 'leader' } },
    el('td', {}, r.rank), el('td', {}, el('a', { href: r.url }, r.owner)), el('td', {}, formatNumber(r.metric)),
    el('td', {}, r.params ?? '–'), el('td', { class: 'cr-diff' }, diffText(r.diff) || t('classroom.no_changes')))));
}

async function spotlight(runId) {
  await postJSON(`/api/classrooms/${classroomId}/spotlight`, { run: runId });
}

async function openComments(runId) {
  state.commentRun = runId;
  const { comments } = await getJSON(`/api/runs/${runId}/comments`);
  $('comment-list').replaceChildren(...comments.map((c) => el('li', {}, el('strong', {}, c.author), `: ${c.text}`)));
  $('comment-text').value = '';
  $('comment-dialog').showModal();
}

$('comment-form').addEventListener('submit', async (event) => {
  if (event.submitter && event.submitter.value === 'send' && $('comment-text').value.trim()) {
    await postJSON(`/api/runs/${state.commentRun}/comments`, { text: $('comment-text').value });
  }
});

for (const id of ['sort', 'filter']) $(id).addEventListener('change', layout);
$('search').addEventListener('input', layout);

startPage(async () => {
  await refresh();
  $('target').textContent = targetText(state.assignment.target);
  for (const card of state.cards.values()) card.render();
}).then(() => {
  new ClassStream(assignmentId, {
    open: () => { for (const card of state.cards.values()) if (card.runId && ACTIVE.has(card.status())) wantCurve(card.runId); },
    metrics: (m) => { const card = byRun.get(m.run); if (card && card.runId === m.run) card.onMetrics(m); },
    status: (m) => { const card = byRun.get(m.run); if (card && card.runId === m.run) card.onStatus(m); layout(); },
  });
  every(4000, refresh); // new runs and students; live points come over the class socket
  every(10000, refreshLeaderboard);
});
