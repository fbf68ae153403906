// Classification: the confusion matrix over the test set (rows: true class, columns: predicted,
// counts written in the cells) and examples of mistakes (images, or token sequences).
import { t } from '../../i18n.js';
import { LatestChartPanel } from '../panel.js';
import { figure } from '../pictures.js';
import { heading } from './conv.js';
import { baseLayout, axis, CONFIG } from '../plot.js';

const BLUES = [[0, '#f7fbff'], [0.5, '#6baed6'], [1, '#08306b']];

export class ConfusionPanel extends LatestChartPanel {
  static types = ['confusion'];

  constructor(dashboard) {
    super(dashboard, { id: 'confusion', title: 'dashboard.confusion.title', help: 'dashboard.confusion.help' });
    this.plotEl = this.chart('confusion-chart', 'dashboard.confusion.title');
    this.plotEl.dataset.testid = 'confusion-chart';
    this.mistakesHead = heading('dashboard.confusion.mistakes');
    this.mistakes = document.createElement('div');
    this.mistakes.className = 'db-gallery mistakes';
    this.mistakes.dataset.testid = 'confusion-mistakes';
    this.body.append(this.plotEl, this.mistakesHead, this.mistakes);
    this.reset();
  }

  render(P, m) {
    const layout = baseLayout({ hovermode: 'closest', showlegend: false });
    layout.xaxis = axis(t('dashboard.confusion.predicted'), { type: 'category', side: 'bottom' });
    layout.yaxis = axis(t('dashboard.confusion.true'), { type: 'category', autorange: 'reversed' });
    if (!m || !m.matrix) {
      P.react(this.plotEl, [], layout, CONFIG);
      this.mistakes.replaceChildren();
      return;
    }
    const classes = (m.classes || m.matrix.map((_, i) => i)).map(String);
    const max = Math.max(1, ...m.matrix.flat());
    layout.annotations = [];
    m.matrix.forEach((row, r) => row.forEach((count, c) => {
      if (!count) return;
      layout.annotations.push({ x: classes[c], y: classes[r], text: String(count), showarrow: false,
        font: { size: classes.length > 8 ? 8 : 10, color: count > max / 2 ? '#fff' : '#222' } });
    }));
    const trace = {
      type: 'heatmap', x: classes, y: classes, z: m.matrix, colorscale: BLUES, zmin: 0, showscale: false,
      hovertemplate: `${t('dashboard.confusion.true')} %{y} → ${t('dashboard.confusion.predicted')} %{x}: %{z}<extra></extra>`,
    };
    P.react(this.plotEl, [trace], layout, CONFIG);
    this.plotEl.dataset.total = String(m.matrix.flat().reduce((s, v) => s + v, 0));
    this.drawMistakes(m.mistakes || []);
  }

  drawMistakes(mistakes) {
    this.mistakesHead.hidden = !mistakes.length;
    this.mistakes.replaceChildren(...mistakes.map((mistake) => {
      // per-step targets (sequence tasks) give a class per step: show them as a string of classes
      const name = (v) => (Array.isArray(v) ? v.map((c) => c ?? '·').join('') : v);
      const caption = t('dashboard.confusion.mistake', { true: name(mistake.true), pred: name(mistake.pred) });
      if (mistake.image) return figure(mistake.image, caption, 'grey');
      const fig = document.createElement('figure');
      fig.className = 'db-figure tokens';
      const code = document.createElement('code');
      code.textContent = (mistake.tokens || []).join(' ');
      const cap = document.createElement('figcaption');
      cap.textContent = caption;
      fig.append(code, cap);
      return fig;
    }));
  }
}
