// The decision boundary on canvases: the model's output over [-6, 6]² as a small image the browser
// scales smoothly, and the data points on a layer above it, repainted only when the data or the size
// changes. (A Plotly heatmap with 1,000 points costs ~70 ms a redraw on a busy 2-core machine; this
// costs about one.) Same colours as the playground: orange ↔ blue, Okabe–Ito for 3-5 classes.
import { paintGrid, classColor, tint, CLASS_COLORS, NEUTRAL } from '../colors.js';

const EXTENT = 6;
const TICKS = [-6, -3, 0, 3, 6];

function paintClasses(canvas, grid, classes) {
  const rows = grid.length;
  const cols = rows ? grid[0].length : 0;
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const colors = CLASS_COLORS.slice(0, Math.max(classes, 1)).map((c) => tint(c, 0.5).match(/\d+/g).map(Number));
  for (let r = 0; r < rows; r++) {
    const row = grid[rows - 1 - r];
    for (let c = 0; c < cols; c++) {
      const color = colors[Math.max(0, Math.min(colors.length - 1, Math.round(row[c])))] || [232, 234, 235];
      image.data.set([...color, 255], (r * cols + c) * 4);
    }
  }
  ctx.putImageData(image, 0, 0);
}

export class BoundaryView {
  constructor() {
    this.el = document.createElement('div');
    this.el.className = 'db-boundary';
    this.el.setAttribute('role', 'img');
    this.plot = document.createElement('div');
    this.plot.className = 'db-boundary-plot';
    this.plot.style.background = NEUTRAL;
    this.heat = document.createElement('canvas');
    this.heat.className = 'db-boundary-heat';
    this.dots = document.createElement('canvas');
    this.dots.className = 'db-boundary-dots';
    this.plot.append(this.heat, this.dots);
    const xTicks = document.createElement('div');
    xTicks.className = 'db-ticks x';
    const yTicks = document.createElement('div');
    yTicks.className = 'db-ticks y';
    for (const v of TICKS) {
      const pos = `${((v + EXTENT) / (2 * EXTENT)) * 100}%`;
      xTicks.append(Object.assign(document.createElement('span'), { textContent: String(v), style: `left: ${pos}` }));
      yTicks.append(Object.assign(document.createElement('span'), { textContent: String(v), style: `bottom: ${pos}` }));
    }
    const xLabel = Object.assign(document.createElement('span'), { className: 'db-axis-label x', textContent: 'x1' });
    const yLabel = Object.assign(document.createElement('span'), { className: 'db-axis-label y', textContent: 'x2' });
    this.el.append(yLabel, yTicks, this.plot, xTicks, xLabel);
    this.data = null;
    this.boundary = null;
    this.showTest = false;
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.paintPoints()).observe(this.plot);
  }

  setData(data) {
    this.data = data;
    this.paintPoints();
  }

  setBoundary(message) {
    this.boundary = message;
    this.el.dataset.size = message && message.z ? String(message.z.length) : '0';
    const z = message && message.z;
    if (!z || !z.length) {
      this.heat.width = this.heat.height = 1;
      this.heat.getContext('2d').clearRect(0, 0, 1, 1);
      return;
    }
    if (message.kind === 'class') paintClasses(this.heat, z, (this.data && this.data.classes) || 3);
    else if (message.kind === 'probability') paintGrid(this.heat, z.map((row) => row.map((v) => 2 * v - 1)), 1.6);
    else paintGrid(this.heat, z, 1.6); // regression: values in [-1, 1], paler so the points stand out
  }

  pointColor(label) {
    const data = this.data || {};
    if (data.problem === 'regression') {
      return label >= 0 ? `rgba(8,119,189,${0.3 + 0.7 * Math.min(1, label)})` : `rgba(245,147,34,${0.3 + 0.7 * Math.min(1, -label)})`;
    }
    return classColor(label, data.classes || 2);
  }

  paintPoints() {
    const rect = this.plot.getBoundingClientRect();
    if (!rect.width) return;
    const dpr = window.devicePixelRatio || 1;
    this.dots.width = Math.round(rect.width * dpr);
    this.dots.height = Math.round(rect.height * dpr);
    const ctx = this.dots.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, rect.width, rect.height);
    if (!this.data) return;
    const toX = (x) => ((x + EXTENT) / (2 * EXTENT)) * rect.width;
    const toY = (y) => (1 - (y + EXTENT) / (2 * EXTENT)) * rect.height;
    const draw = (points, outline) => {
      ctx.strokeStyle = outline;
      ctx.lineWidth = 1;
      for (const p of points) {
        ctx.beginPath();
        ctx.arc(toX(p[0]), toY(p[1]), 3, 0, 2 * Math.PI);
        ctx.fillStyle = this.pointColor(p[p.length - 1]);
        ctx.fill();
        ctx.stroke();
      }
    };
    draw(this.data.train || [], '#ffffff');
    if (this.showTest) draw(this.data.test || [], '#222222');
    this.el.dataset.points = String((this.data.train || []).length + (this.showTest ? (this.data.test || []).length : 0));
  }
}
