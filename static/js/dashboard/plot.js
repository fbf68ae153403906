// What every dashboard chart shares: Plotly's config and fonts, colours, and the render loop.

export const CONFIG = { displayModeBar: false, responsive: true };
export const FONT = {
  family: 'system-ui, -apple-system, "Segoe UI", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
  size: 11, color: '#444',
};
export const GRID = '#e5e7eb';
// Okabe–Ito (colour-blind safe): train blue, test vermilion, as the playground's own charts.
export const TRAIN = '#0072b2';
export const TEST = '#d55e00';
export const SERIES_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#6b6b6b', '#f0c000', '#000000'];
// Sequential, colour-blind safe and readable in greyscale.
export const SEQUENTIAL = 'Viridis';
export const GREYS = [[0, '#ffffff'], [1, '#111111']];

let counter = 0;
export function uniqueKey(prefix) {
  counter += 1;
  return `dashboard-${prefix}-${counter}`;
}

// --- the dashboard's render loop --------------------------------------------------------------------
// A Plotly redraw costs 10-70 ms on a busy 2-core machine, and a run sends 50+ messages a second, so
// drawing on arrival (or every chart on every frame) would drop the page to a few frames a second.
// Instead a chart marks itself dirty with `later(key, job, {interval, el})` and the loop, once per
// animation frame, runs the dirty jobs that are due (each chart at most once per `interval`, so never
// more than ~20 redraws a second) and whose element is on screen (an off-screen chart draws when it
// scrolls into view), the longest-waiting first, until a small time budget is spent: at least one job
// per frame, so the frames in between stay free for scrolling and hover.

const FRAME_BUDGET_MS = 6;
export const LINE_INTERVAL_MS = 250; // line charts: 4 redraws a second at most
export const PICTURE_INTERVAL_MS = 250; // heatmaps and pictures: 4 a second at most
const jobs = new Map(); // key -> {job, interval, el}
const lastRun = new Map(); // key -> time of the last run
const visible = new WeakMap(); // element -> on screen?
let observer = null;
let frameRequested = false;
let timer = null;

function onScreen(el) {
  if (!el) return true;
  if (!el.isConnected) return false;
  if (typeof IntersectionObserver === 'undefined') return true;
  if (!observer) {
    observer = new IntersectionObserver((entries) => {
      for (const entry of entries) visible.set(entry.target, entry.isIntersecting);
      wake();
    }, { rootMargin: '200px' });
  }
  if (!visible.has(el)) {
    visible.set(el, false); // until the observer's first answer, which comes with the next frame
    observer.observe(el);
  }
  return visible.get(el);
}

function wake() {
  if (frameRequested || !jobs.size) return;
  frameRequested = true;
  requestAnimationFrame(runFrame);
}

function runFrame(now) {
  frameRequested = false;
  const start = performance.now();
  let nextDue = Infinity;
  const ready = [];
  for (const [key, entry] of jobs) {
    const due = (lastRun.get(key) ?? -Infinity) + entry.interval;
    if (due > now) nextDue = Math.min(nextDue, due);
    else if (onScreen(entry.el)) ready.push([key, entry]);
  }
  ready.sort((a, b) => (lastRun.get(a[0]) ?? -Infinity) - (lastRun.get(b[0]) ?? -Infinity));
  let ran = 0;
  for (const [key, entry] of ready) {
    if (ran > 0 && performance.now() - start > FRAME_BUDGET_MS) {
      nextDue = now; // the rest next frame
      break;
    }
    jobs.delete(key);
    lastRun.set(key, now);
    ran += 1;
    try {
      entry.job();
    } catch (err) {
      console.error(err); // one broken picture must not stop the others
    }
  }
  if (nextDue === now) wake();
  else if (Number.isFinite(nextDue) && !timer) {
    timer = setTimeout(() => { timer = null; wake(); }, Math.max(0, nextDue - performance.now()));
  }
  // jobs waiting only for their element to scroll into view are woken by the observer
}

export function later(key, job, { interval = PICTURE_INTERVAL_MS, el = null } = {}) {
  const pending = jobs.get(key); // an urgent redraw stays urgent when data arrives before it ran
  jobs.set(key, { job, interval: pending ? Math.min(pending.interval, interval) : interval, el });
  wake();
}

export function forget(key) {
  jobs.delete(key);
  lastRun.delete(key);
}

export function baseLayout(extra = {}) {
  return {
    font: FONT,
    margin: { l: 48, r: 12, t: 8, b: 34 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#fff',
    showlegend: true,
    legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', font: { size: 10 }, bgcolor: 'rgba(0,0,0,0)' },
    hovermode: 'x unified',
    uirevision: 'keep', // the user's zoom survives redraws
    ...extra,
  };
}

export function axis(title, extra = {}) {
  return { title: { text: title, standoff: 4 }, gridcolor: GRID, zeroline: false, automargin: true, ...extra };
}

export function plotly() {
  return typeof window !== 'undefined' ? window.Plotly : undefined;
}

export function purge(el) {
  const P = plotly();
  if (P && el) P.purge(el);
}
