// What every classroom page shares: the language switch, small DOM helpers, errors in the API's shape.
import * as i18n from '../i18n.js';

export const { t, formatNumber } = i18n;
export { getJSON, postJSON, ApiError } from '../api.js';

export const $ = (id) => document.getElementById(id);

// el('li', {class: 'x', dataset: {testid: 'card'}}, 'text', child): a small hyperscript
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function data(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

export function showError(box, err) {
  if (!err) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  const errors = err.errors || [{ message: String(err.message || err) }];
  box.textContent = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
  box.hidden = false;
}

export function statusBadge(status) {
  return el('span', { class: 'cr-badge', dataset: { status: status || 'none' } }, t(`classroom.status_${status || 'none'}`));
}

export function metricName(metric) {
  return t(`classroom.metric_${metric}`);
}

// "test accuracy ≥ 0.9 with ≤ 100 parameters"
export function targetText(target) {
  if (!target || target.threshold === null || target.threshold === undefined) return t('classroom.target_none');
  let text = `${metricName(target.metric)} ${target.comparison === '>=' ? '≥' : '≤'} ${target.threshold}`;
  if (target.max_params) text += ` · ${t('classroom.target_params', { n: target.max_params })}`;
  return `${t('classroom.target')}: ${text}`;
}

export function every(ms, job) {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await job();
    } catch (err) {
      console.warn(err); // a missed refresh is retried at the next tick
    }
    if (!stopped) setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; };
}

// i18n, the language buttons; `body[data-ready]` once the page's first render is done
export async function startPage(render) {
  await i18n.init();
  const buttons = document.querySelectorAll('.cr-lang button');
  const mark = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === i18n.language())));
  buttons.forEach((b) => b.addEventListener('click', () => i18n.setLanguage(b.dataset.lang).then(mark)));
  mark();
  if (render) {
    await render();
    i18n.onLanguageChange(() => render());
  }
  document.body.dataset.ready = 'true';
}
