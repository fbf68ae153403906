// One render loop for every chart and picture on the page.
//
// Plotly redraws a whole chart on each update (extendTraces included), and a run can send ~20
// messages a second with many points each. So nothing draws when a message arrives: it marks a job
// and the job runs once, on the next animation frame, at most every MIN_INTERVAL_MS (≤ 20 redraws a
// second). A job scheduled twice before the frame runs once, with the latest state.

const MIN_INTERVAL_MS = 50;
const jobs = new Map(); // key -> function
let requested = false;
let lastRun = -Infinity;

export function schedule(key, job) {
  jobs.set(key, job);
  if (!requested) {
    requested = true;
    requestAnimationFrame(tick);
  }
}

function tick(now) {
  const wait = MIN_INTERVAL_MS - (now - lastRun);
  if (wait > 0) {
    setTimeout(() => requestAnimationFrame(tick), wait);
    return;
  }
  lastRun = now;
  requested = false;
  const due = [...jobs.values()];
  jobs.clear();
  for (const job of due) {
    try {
      job();
    } catch (err) {
      console.error(err); // a broken picture must not stop the others
    }
  }
}
