// The dataset picker: one tile per dataset (a radio button with a thumbnail of its points).
import { postJSON } from './api.js';
import { t, helpText } from './i18n.js';
import { DATASETS } from './spec.js';
import { classColor, BLUE, ORANGE } from './colors.js';

const THUMBNAIL = 48;

// onPick(name): the visitor chose this dataset
export function buildDatasetTiles(container, onPick) {
  for (const name of Object.keys(DATASETS)) {
    const label = document.createElement('label');
    label.className = 'dataset-tile';
    label.dataset.dataset = name;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'dataset';
    input.value = name;
    input.id = `dataset-${name}`;
    input.className = 'visually-hidden';
    const canvas = document.createElement('canvas');
    canvas.width = THUMBNAIL;
    canvas.height = THUMBNAIL;
    canvas.setAttribute('aria-hidden', 'true');
    const caption = document.createElement('span');
    caption.className = 'tile-caption';
    caption.dataset.i18n = `dataset.${name}`;
    caption.textContent = t(`dataset.${name}`);
    label.append(input, canvas, caption);
    container.append(label);
    input.addEventListener('change', () => {
      if (input.checked) onPick(name);
    });
  }
}

// The tiles' pictures come from the preview endpoint (small samples, fixed seed).
export function drawThumbnails(container) {
  return Promise.all(Object.keys(DATASETS).map((name) => drawThumbnail(container, name)));
}

async function drawThumbnail(container, name) {
  const canvas = container.querySelector(`.dataset-tile[data-dataset="${name}"] canvas`);
  const body = { name, samples: 200, noise: 0.1, train_fraction: 0.9, seed: 1 };
  if (name === 'blobs') body.classes = 3;
  let data;
  try {
    data = await postJSON('/api/datasets/preview', body);
  } catch (err) {
    return; // a missing thumbnail is not worth an error message
  }
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f3f4f5';
  ctx.fillRect(0, 0, THUMBNAIL, THUMBNAIL);
  for (const [x, y, label] of [...data.train, ...data.test]) {
    if (data.problem === 'regression') {
      ctx.fillStyle = label >= 0 ? BLUE : ORANGE;
      ctx.globalAlpha = Math.min(1, 0.25 + Math.abs(label));
    } else {
      ctx.fillStyle = classColor(label, data.classes || 2);
    }
    ctx.fillRect(((x + 6) / 12) * THUMBNAIL - 1, ((6 - y) / 12) * THUMBNAIL - 1, 2, 2);
    ctx.globalAlpha = 1;
  }
}

// Tooltips from GET /api/datasets ("A disc inside a ring."), in the page's language.
export function applyDatasetHelp(container, catalogue) {
  if (!catalogue) return;
  for (const d of catalogue.datasets || []) {
    const tile = container.querySelector(`.dataset-tile[data-dataset="${d.name}"]`);
    if (tile) tile.title = helpText(d.help);
  }
}
