// Convolution: the probe image, and per conv/pool layer its kernels (input channel 0, diverging
// colours: orange negative, blue positive) and its feature maps of the probe (grey).
import { t } from '../../i18n.js';
import { Panel } from '../panel.js';
import { figure } from '../pictures.js';
import { later, uniqueKey } from '../plot.js';

export class ConvPanel extends Panel {
  static types = ['conv'];

  constructor(dashboard) {
    super(dashboard, { id: 'conv', title: 'dashboard.conv.title', help: 'dashboard.conv.help', wide: true });
    this.node = null;
    this.layerSelect = this.select('dashboard.layer', (value) => { this.node = value; this.draw(); });
    this.layerSelect.dataset.testid = 'conv-layer';
    this.probe = document.createElement('div');
    this.probe.className = 'db-probe';
    this.kernels = document.createElement('div');
    this.kernels.className = 'db-gallery kernels';
    this.kernels.dataset.testid = 'conv-kernels';
    this.maps = document.createElement('div');
    this.maps.className = 'db-gallery maps';
    this.maps.dataset.testid = 'conv-maps';
    const kernelsHead = heading('dashboard.conv.kernels');
    const mapsHead = heading('dashboard.conv.maps');
    this.kernelsHead = kernelsHead;
    const right = document.createElement('div');
    right.className = 'db-conv-right';
    right.append(kernelsHead, this.kernels, mapsHead, this.maps);
    const row = document.createElement('div');
    row.className = 'db-conv';
    row.append(this.probe, right);
    this.body.append(row);
    this.key = uniqueKey('conv');
    this.reset();
  }

  reset() {
    this.latest = null;
    this.draw();
  }

  message(msg) {
    this.latest = msg;
    const layers = msg.layers || [];
    this.setOptions(this.layerSelect, layers.map((l) => [l.node, `${this.dashboard.nodeLabel(l.node)} (${l.type})`]));
    if (!layers.some((l) => l.node === this.node) && layers.length) this.node = layers[0].node;
    this.layerSelect.value = this.node || '';
    this.draw();
  }

  draw() {
    later(this.key, () => {
      const m = this.latest;
      if (!m) {
        this.probe.replaceChildren();
        this.kernels.replaceChildren();
        this.maps.replaceChildren();
        return;
      }
      const probe = m.probe || {};
      this.probe.replaceChildren();
      if (probe.image) this.probe.append(figure(probe.image, t('dashboard.conv.probe', { label: probe.label ?? '?' }), 'grey', 'large'));
      const layer = (m.layers || []).find((l) => l.node === this.node);
      const kernels = (layer && layer.kernels) || [];
      this.kernelsHead.hidden = !kernels.length;
      this.kernels.hidden = !kernels.length;
      this.kernels.replaceChildren(...kernels.map((k, i) => figure(k, String(i + 1), 'diverging')));
      this.maps.replaceChildren(...((layer && layer.maps) || []).map((map, i) => figure(map, String(i + 1), 'grey')));
    }, { el: this.body });
  }

  redraw() {
    this.draw();
  }
}

export function heading(key) {
  const h = document.createElement('h4');
  h.dataset.i18n = key;
  h.textContent = t(key);
  return h;
}
