// The projector: the run the teacher put in the spotlight, large, live; it follows the teacher's
// choice as it changes.
import { $, data, every, formatNumber, getJSON, startPage, t } from './common.js';
import { drawCurve } from './curve.js';
import { LiveRun } from './live.js';

const classroomId = data('classroom-id');
const state = { runId: null, live: null, run: null };

function render() {
  const live = state.live;
  $('empty').hidden = Boolean(state.runId);
  if (!live) return;
  drawCurve($('curve'), live.points);
  const owner = state.run && state.run.owner ? state.run.owner : '';
  $('who').textContent = `${owner} · ${t(`classroom.status_${live.status}`)}`;
  const last = live.points[live.points.length - 1];
  const final = live.final || {};
  const acc = final.test_accuracy;
  $('metric').textContent = last ? `${t('classroom.epoch')} ${last[0]} · ${t('classroom.metric_test_loss')} ${formatNumber(last[2])}`
    + (acc !== undefined ? ` · ${t('classroom.metric_test_accuracy')} ${formatNumber(acc)}` : '') : '';
}

async function poll() {
  const { run } = await getJSON(`/api/classrooms/${classroomId}/spotlight`);
  if (run === state.runId) return;
  if (state.live) state.live.close();
  state.runId = run;
  state.live = null;
  $('curve').replaceChildren();
  if (run) {
    state.run = await getJSON(`/api/runs/${run}`);
    state.live = new LiveRun(run, render);
  }
  render();
}

startPage(poll).then(() => every(3000, poll));
