import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rebin, histogramMatrix } from '../../../static/js/dashboard/histogram.js';

test('rebinning onto the same grid changes nothing', () => {
  assert.deepEqual(rebin({ lo: 0, hi: 4, counts: [1, 2, 3, 4] }, 0, 4, 4), [1, 2, 3, 4]);
});

test('rebinning onto a wider grid keeps every count', () => {
  const out = rebin({ lo: -1, hi: 1, counts: [5, 0, 0, 7] }, -2, 2, 8);
  assert.ok(Math.abs(out.reduce((s, v) => s + v, 0) - 12) < 1e-9);
  // -1..-0.5 holds 5 → shared bin [-1, -0.5] is index 2
  assert.ok(Math.abs(out[2] - 5) < 1e-9);
  assert.ok(Math.abs(out[5] - 7) < 1e-9);
});

test('columns of different ranges share one y axis, each column sums to 1', () => {
  const m = histogramMatrix([{ lo: 0, hi: 1, counts: [1, 1] }, { lo: -3, hi: 3, counts: [2, 0, 2] }], 6);
  assert.equal(m.lo, -3);
  assert.equal(m.hi, 3);
  assert.equal(m.z.length, 6);
  for (let c = 0; c < 2; c++) assert.ok(Math.abs(m.z.reduce((s, row) => s + row[c], 0) - 1) < 1e-9);
});
