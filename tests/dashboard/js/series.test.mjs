// Pure logic of the dashboard's line charts, run with node's test runner (tests/dashboard/test_js.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ema, emaStep, downsampleIndices, downsampleShared } from '../../../static/js/dashboard/series.js';

test('smoothing 0 leaves the values as they are', () => {
  assert.deepEqual(ema([3, 1, 2], 0), [3, 1, 2]);
});

test('smoothing is debiased: a constant stays constant from the first point', () => {
  for (const v of ema([5, 5, 5, 5], 0.9)) assert.ok(Math.abs(v - 5) < 1e-12);
});

test('smoothing damps a spike and is causal (appending never changes earlier values)', () => {
  const raw = [1, 1, 1, 10, 1, 1];
  const smooth = ema(raw, 0.6);
  assert.ok(smooth[3] < 10 && smooth[3] > 1);
  const longer = ema([...raw, 1, 1], 0.6);
  assert.deepEqual(longer.slice(0, raw.length), smooth);
  // emaStep continues from a state exactly like recomputing
  let state = { last: 0, count: 0 };
  const stepped = raw.map((v) => { const [out, next] = emaStep(state, v, 0.6); state = next; return out; });
  assert.deepEqual(stepped, smooth);
});

test('missing values pass through smoothing as gaps', () => {
  const out = ema([1, null, 1], 0.5);
  assert.equal(out[1], null);
  assert.equal(out[2], 1);
});

test('short series are not downsampled', () => {
  assert.deepEqual(downsampleIndices([1, 2, 3], 10), [0, 1, 2]);
});

test('downsampling 12,000 points keeps at most the limit, the last point and every spike', () => {
  const ys = Array.from({ length: 12000 }, (_, i) => Math.sin(i / 300));
  ys[7777] = 50; // a spike a chart must not hide
  ys[4321] = -50;
  const idx = downsampleIndices(ys, 1000);
  assert.ok(idx.length <= 1001, String(idx.length));
  assert.ok(idx.includes(7777) && idx.includes(4321));
  assert.equal(idx[idx.length - 1], 11999);
  assert.equal(idx[0], 0);
  for (let k = 1; k < idx.length; k++) assert.ok(idx[k] > idx[k - 1]);
});

test('shared downsampling keeps each series\' spikes at one set of x positions', () => {
  const a = Array.from({ length: 20000 }, () => 1);
  const b = Array.from({ length: 20000 }, () => 2);
  a[100] = 9;
  b[15000] = -9;
  const idx = downsampleShared([a, b], 2000);
  assert.ok(idx.length <= 2001);
  assert.ok(idx.includes(100) && idx.includes(15000) && idx.includes(19999));
});
