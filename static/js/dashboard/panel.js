// One panel of the dashboard: a titled card with optional controls, a note line ("downsampled"),
// and a body. Panels are created when their first message arrives, so a run shows the views its
// messages call for. Subclasses implement reset() (a snapshot starts over) and message(msg).
import { t, apply } from '../i18n.js';
import { later, plotly, purge, uniqueKey } from './plot.js';

export class Panel {
  constructor(dashboard, { id, title, help, wide = false }) {
    this.dashboard = dashboard;
    this.id = id;
    this.destroyed = false;
    this.el = document.createElement('section');
    this.el.className = `db-panel${wide ? ' wide' : ''}`;
    this.el.dataset.panel = id;
    this.el.dataset.testid = `panel-${id}`;
    const head = document.createElement('header');
    head.className = 'db-panel-head';
    const h = document.createElement('h3');
    h.id = `${dashboard.prefix}-${id}-title`;
    h.dataset.i18n = title;
    this.el.setAttribute('aria-labelledby', h.id);
    head.append(h);
    if (help) {
      const p = document.createElement('span');
      p.className = 'db-help';
      p.dataset.i18n = help;
      head.append(p);
    }
    this.controls = document.createElement('div');
    this.controls.className = 'db-controls';
    head.append(this.controls);
    this.note = document.createElement('p');
    this.note.className = 'db-note';
    this.note.hidden = true;
    this.note.setAttribute('role', 'note');
    this.body = document.createElement('div');
    this.body.className = 'db-body';
    this.el.append(head, this.note, this.body);
    this.charts = [];
  }

  // a Plotly chart element in the body
  chart(className, label) {
    const el = document.createElement('div');
    el.className = `db-chart ${className}`;
    el.setAttribute('role', 'img');
    if (label) el.dataset.i18nAriaLabel = label;
    this.charts.push(el);
    return el;
  }

  // a labelled control in the header: <label><span>text</span> input</label>
  control(labelKey, input) {
    const label = document.createElement('label');
    label.className = 'db-control';
    const span = document.createElement('span');
    span.dataset.i18n = labelKey;
    label.append(span, input);
    this.controls.append(label);
    return input;
  }

  select(labelKey, onChange) {
    const select = document.createElement('select');
    select.addEventListener('change', () => onChange(select.value));
    return this.control(labelKey, select);
  }

  // options: [[value, text or {key}]]; keeps the current choice where it still exists
  setOptions(select, options) {
    const current = select.value;
    select.replaceChildren(...options.map(([value, text]) => {
      const option = document.createElement('option');
      option.value = String(value);
      if (text && text.key) {
        option.dataset.i18n = text.key;
        option.textContent = t(text.key, text.params);
      } else {
        option.textContent = text;
      }
      return option;
    }));
    if (options.some(([value]) => String(value) === current)) select.value = current;
    select.closest('label').hidden = options.length < 2;
  }

  setNote(text) {
    this.note.textContent = text || '';
    this.note.hidden = !text;
  }

  // re-translate after a language change (the dashboard calls it); charts with text also redraw
  relabel() {
    apply(this.el);
    this.redraw();
  }

  redraw() {}

  reset() {}

  message() {}

  mount(parent) {
    apply(this.el);
    parent.append(this.el);
  }

  destroy() {
    this.destroyed = true;
    for (const el of this.charts) purge(el);
    this.el.remove();
  }
}

// A panel that shows the newest message of its kind in one Plotly chart (this.plotEl, made by the
// subclass): message() keeps it, and the render loop calls render(P, latest) once the chart is on
// screen — latest is null after a reset, so render draws the empty state too.
export class LatestChartPanel extends Panel {
  constructor(dashboard, options) {
    super(dashboard, options);
    this.key = uniqueKey(options.id);
    this.latest = null;
  }

  reset() {
    this.latest = null;
    this.draw();
  }

  message(msg) {
    this.latest = msg;
    this.draw();
  }

  draw() {
    later(this.key, () => {
      const P = plotly();
      if (P && this.plotEl.isConnected) this.render(P, this.latest);
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}
