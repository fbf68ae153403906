// Small pictures on canvases (cheaper than a Plotly chart each): images and feature maps in grey,
// kernels in the playground's diverging orange ↔ blue. Row 0 is the top row, as in an image.
import { ORANGE, BLUE, NEUTRAL } from '../colors.js';

function rgbOf(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const [O, W, B] = [rgbOf(ORANGE), rgbOf(NEUTRAL), rgbOf(BLUE)];

function range(matrix) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of matrix) for (const v of row) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

// mode 'grey': lo → white, hi → black (ink on paper); 'diverging': symmetric around 0
export function paintMatrix(canvas, matrix, mode = 'grey') {
  const rows = matrix.length;
  const cols = rows ? matrix[0].length : 0;
  if (!rows || !cols) return;
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const [lo, hi] = range(matrix);
  const scale = mode === 'diverging' ? Math.max(Math.abs(lo), Math.abs(hi), 1e-9) : Math.max(hi - lo, 1e-9);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = Number.isFinite(matrix[r][c]) ? matrix[r][c] : 0;
      let color;
      if (mode === 'diverging') {
        const f = Math.max(-1, Math.min(1, v / scale));
        const to = f < 0 ? O : B;
        color = W.map((w, i) => Math.round(w + (to[i] - w) * Math.abs(f)));
      } else {
        const g = Math.round(255 * (1 - (v - lo) / scale));
        color = [g, g, g];
      }
      const o = (r * cols + c) * 4;
      image.data[o] = color[0];
      image.data[o + 1] = color[1];
      image.data[o + 2] = color[2];
      image.data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

export function figure(matrix, caption, mode = 'grey', className = '') {
  const fig = document.createElement('figure');
  fig.className = `db-figure ${className}`.trim();
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', caption);
  paintMatrix(canvas, matrix, mode);
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  fig.append(canvas, cap);
  return fig;
}
