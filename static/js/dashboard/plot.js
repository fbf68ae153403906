// What every dashboard chart shares: Plotly's config and fonts, colours, and the one render loop.
// Nothing draws when a message arrives; a chart marks itself dirty and draws on the next animation
// frame (frame.js: at most ~20 redraws a second, a chart marked twice draws once).
import { schedule } from '../frame.js';

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

export function later(key, job) {
  schedule(key, job);
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
