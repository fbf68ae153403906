// A small loss curve as SVG (train and test): cheap enough for a grid of 200 students, unlike a
// Plotly chart per card. Points: [[epoch, train_loss, test_loss], ...].
const NS = 'http://www.w3.org/2000/svg';
const W = 200;
const H = 80;

function path(points, index, scale) {
  return points
    .filter((p) => Number.isFinite(p[index]))
    .map((p, i) => `${i ? 'L' : 'M'}${scale.x(p[0]).toFixed(1)},${scale.y(p[index]).toFixed(1)}`)
    .join('');
}

export function drawCurve(container, points) {
  let svg = container.querySelector('svg');
  if (!svg) {
    svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    for (const kind of ['train', 'test']) {
      const line = document.createElementNS(NS, 'path');
      line.setAttribute('class', `cr-line-${kind}`);
      svg.append(line);
    }
    container.append(svg);
  }
  container.dataset.points = String(points.length);
  if (!points.length) return;
  const xs = points.map((p) => p[0]);
  const ys = points.flatMap((p) => [p[1], p[2]]).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys, 0), Math.max(...ys, 1e-9)];
  const scale = {
    x: (x) => (x1 === x0 ? W / 2 : ((x - x0) / (x1 - x0)) * (W - 4) + 2),
    y: (y) => H - 2 - ((y - y0) / (y1 - y0 || 1)) * (H - 4),
  };
  const [train, test] = svg.querySelectorAll('path');
  train.setAttribute('d', path(points, 1, scale));
  test.setAttribute('d', path(points, 2, scale));
}
