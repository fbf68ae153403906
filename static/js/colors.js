// Colours: a colour-blind-safe diverging palette (orange ↔ blue, as TensorFlow Playground) for signed
// values and binary classes, and Okabe–Ito colours for 3–5 classes.

export const ORANGE = '#f59322';
export const BLUE = '#0877bd';
export const NEUTRAL = '#e8eaeb';
export const CLASS_COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#56b4e9'];

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a, b, f) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * f));
}

export function rgb([r, g, b]) {
  return `rgb(${r},${g},${b})`;
}

// A lighter version of a colour, for backgrounds under points.
export function tint(hex, strength = 0.55) {
  return rgb(mix(hexToRgb(NEUTRAL), hexToRgb(hex), strength));
}

export function classColor(label, classes) {
  if (classes <= 2) return label >= 0.5 ? BLUE : ORANGE;
  return CLASS_COLORS[label % CLASS_COLORS.length];
}

// Plotly colourscales
export function divergingScale(strength = 1) {
  return [[0, strength === 1 ? ORANGE : tint(ORANGE, strength)], [0.5, NEUTRAL], [1, strength === 1 ? BLUE : tint(BLUE, strength)]];
}

export function classScale(classes, strength = 0.5) {
  // discrete bands: z = k lies in [k - 0.5, k + 0.5]; zmin -0.5, zmax classes - 0.5
  const scale = [];
  for (let k = 0; k < classes; k++) {
    const color = tint(CLASS_COLORS[k], strength);
    scale.push([k / classes, color], [(k + 1) / classes, color]);
  }
  return scale;
}

// For canvases: value in [-1, 1] → [r, g, b] (clamped), through a lookup table.
const LUT_SIZE = 256;
const LUT = (() => {
  const o = hexToRgb(ORANGE);
  const w = hexToRgb(NEUTRAL);
  const b = hexToRgb(BLUE);
  const table = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const v = (i / (LUT_SIZE - 1)) * 2 - 1;
    const c = v < 0 ? mix(w, o, -v) : mix(w, b, v);
    table.set(c, i * 3);
  }
  return table;
})();

// Paints a grid (rows bottom → top: row 0 is x2 = -6) onto a canvas of the same size in cells.
export function paintGrid(canvas, grid, scale) {
  const rows = grid.length;
  const cols = rows ? grid[0].length : 0;
  if (!rows || !cols) return;
  if (canvas.width !== cols || canvas.height !== rows) {
    canvas.width = cols;
    canvas.height = rows;
  }
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const data = image.data;
  const s = scale > 0 ? scale : 1;
  for (let r = 0; r < rows; r++) {
    const row = grid[rows - 1 - r]; // canvas row 0 is the top: x2 = +6
    for (let c = 0; c < cols; c++) {
      let v = row[c] / s;
      if (!Number.isFinite(v)) v = 0;
      v = v < -1 ? -1 : v > 1 ? 1 : v;
      const idx = Math.round(((v + 1) / 2) * (LUT_SIZE - 1)) * 3;
      const o = (r * cols + c) * 4;
      data[o] = LUT[idx];
      data[o + 1] = LUT[idx + 1];
      data[o + 2] = LUT[idx + 2];
      data[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

export function maxAbs(grid) {
  let m = 0;
  for (const row of grid) for (const v of row) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

// Link colour and width for a weight.
export function weightColor(w) {
  return w >= 0 ? BLUE : ORANGE;
}

export function weightWidth(w) {
  return Math.max(0.6, Math.min(7, Math.abs(w) * 2.2));
}
