// The data plot: the dataset's points over the model's output (decision boundary, class regions or
// regression surface) as a heatmap. Clicking the plot adds a point; hovering a neuron elsewhere shows
// that neuron's output here for a moment.
import { schedule } from './frame.js';
import { t, onLanguageChange } from './i18n.js';
import { NEUTRAL, classColor, classScale, divergingScale, maxAbs } from './colors.js';

const EXTENT = 6;
const CONFIG = { displayModeBar: false, responsive: true, doubleClick: false };
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif', size: 10, color: '#555' };

function linspace(n) {
  if (n === 1) return [0];
  return Array.from({ length: n }, (_, i) => -EXTENT + (2 * EXTENT * i) / (n - 1));
}

export class DataPlot {
  constructor(el, { onAddPoint } = {}) {
    this.el = el;
    this.onAddPoint = onAddPoint;
    this.problem = 'classification';
    this.classes = 2;
    this.train = [];
    this.test = [];
    this.extra = [];
    this.boundary = null; // the latest boundary message
    this.overlay = null; // {grid, label} while a neuron is hovered
    this.showTest = false;
    this.discretize = false;
    this.clickable = true;
    el.addEventListener('click', (event) => this.click(event));
    onLanguageChange(() => this.render());
    this.render();
  }

  setData(problem, classes, train, test, extraCount = 0) {
    this.problem = problem;
    this.classes = classes || 2;
    const cut = Math.max(0, train.length - extraCount);
    this.train = train.slice(0, cut);
    this.extra = train.slice(cut);
    this.test = test;
    this.render();
  }

  // Points added by clicking, before the server has seen them (the setup's extra_points).
  setExtraPoints(points) {
    this.extra = points.map((p) => [...p]);
    this.render();
  }

  setBoundary(message) {
    this.boundary = message;
    this.render();
  }

  clearBoundary() {
    this.boundary = null;
    this.render();
  }

  setOverlay(grid, label) {
    this.overlay = grid ? { grid, label } : null;
    this.render();
  }

  setOptions({ showTest, discretize, clickable }) {
    if (showTest !== undefined) this.showTest = showTest;
    if (discretize !== undefined) this.discretize = discretize;
    if (clickable !== undefined) {
      this.clickable = clickable;
      this.el.classList.toggle('clickable', clickable);
    }
    this.render();
  }

  render() {
    schedule('data-plot', () => this.draw());
  }

  // --- drawing ---------------------------------------------------------------------------------

  heatmap() {
    if (this.overlay) {
      const grid = this.overlay.grid;
      const scale = Math.max(maxAbs(grid), 1e-9);
      const axis = linspace(grid.length);
      return {
        type: 'heatmap', x: axis, y: axis, z: grid, zmin: -scale, zmax: scale,
        colorscale: divergingScale(0.85), showscale: false, zsmooth: 'best',
        hovertemplate: `x1 %{x:.2f}, x2 %{y:.2f}<br>${this.overlay.label}: %{z:.3f}<extra></extra>`,
      };
    }
    const b = this.boundary;
    if (!b || !b.z || !b.z.length) {
      return { type: 'heatmap', x: [], y: [], z: [], showscale: false, hoverinfo: 'skip', visible: false };
    }
    const axis = linspace(b.size || b.z.length);
    let z = b.z;
    const trace = { type: 'heatmap', x: axis, y: axis, showscale: false, zsmooth: 'best' };
    if (b.kind === 'class') {
      return {
        ...trace, z, zmin: -0.5, zmax: this.classes - 0.5, colorscale: classScale(this.classes), zsmooth: false,
        hovertemplate: `x1 %{x:.2f}, x2 %{y:.2f}<br>${t('plot.class')}: %{z}<extra></extra>`,
      };
    }
    const probability = b.kind === 'probability';
    if (this.discretize) {
      z = z.map((row) => row.map((v) => (probability ? (v >= 0.5 ? 1 : 0) : v >= 0 ? 1 : -1)));
      trace.zsmooth = false;
    }
    return {
      ...trace, z,
      zmin: probability ? 0 : -1, zmax: 1,
      colorscale: divergingScale(0.6),
      hovertemplate: `x1 %{x:.2f}, x2 %{y:.2f}<br>${probability ? t('plot.probability') : t('plot.value')}: %{z:.3f}<extra></extra>`,
    };
  }

  pointColors(points) {
    if (this.problem === 'regression') return points.map((p) => p[2]);
    return points.map((p) => classColor(p[2], this.classes));
  }

  points(points, { outline, width, size, symbol, name, visible = true }) {
    const marker = { size, symbol, line: { color: outline, width } };
    if (this.problem === 'regression') {
      Object.assign(marker, { color: points.map((p) => p[2]), cmin: -1, cmax: 1, colorscale: divergingScale(1) });
    } else {
      marker.color = this.pointColors(points);
    }
    return {
      type: 'scatter', mode: 'markers', name, visible,
      x: points.map((p) => p[0]), y: points.map((p) => p[1]),
      marker, hoverinfo: 'skip',
    };
  }

  layout() {
    const axis = (title) => ({
      range: [-EXTENT, EXTENT], fixedrange: true, zeroline: false, showgrid: false,
      tickvals: [-6, -4, -2, 0, 2, 4, 6], ticks: 'outside', ticklen: 3, title: { text: title, standoff: 2 },
      linecolor: '#bbb', mirror: true, constrain: 'domain',
    });
    const layout = {
      font: FONT,
      margin: { l: 34, r: 6, t: 6, b: 30 },
      xaxis: axis('x1'),
      yaxis: { ...axis('x2'), scaleanchor: 'x', scaleratio: 1 },
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: NEUTRAL,
      showlegend: false,
      dragmode: false,
      hovermode: 'closest',
      uirevision: 'data-plot', // fixed: a redraw keeps whatever the user set on the plot
      annotations: [],
    };
    if (this.overlay) {
      layout.annotations.push({
        text: this.overlay.label, xref: 'paper', yref: 'paper', x: 0.02, y: 0.98, xanchor: 'left', yanchor: 'top',
        showarrow: false, bgcolor: 'rgba(255,255,255,0.85)', font: { size: 11, color: '#222' },
      });
    }
    return layout;
  }

  draw() {
    if (!window.Plotly) return;
    const traces = [
      this.heatmap(),
      this.points(this.train, { outline: this.problem === 'regression' ? '#8a9099' : '#ffffff', width: 1, size: 6, symbol: 'circle', name: 'train' }),
      this.points(this.test, { outline: '#222222', width: 1, size: 6, symbol: 'circle', name: 'test', visible: this.showTest }),
      this.points(this.extra, { outline: '#111111', width: 2, size: 9, symbol: 'diamond', name: 'added' }),
    ];
    Plotly.react(this.el, traces, this.layout(), CONFIG);
  }

  // --- clicking to add points ---------------------------------------------------------------------

  plotArea() {
    const rect = this.el.querySelector('.nsewdrag');
    return rect ? rect.getBoundingClientRect() : null;
  }

  click(event) {
    if (!this.clickable || !this.onAddPoint) return;
    const area = this.plotArea();
    if (!area || area.width === 0) return;
    const fx = (event.clientX - area.left) / area.width;
    const fy = (event.clientY - area.top) / area.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    const x = -EXTENT + fx * 2 * EXTENT;
    const y = EXTENT - fy * 2 * EXTENT;
    this.onAddPoint(Math.round(x * 100) / 100, Math.round(y * 100) / 100, event.shiftKey);
  }
}
