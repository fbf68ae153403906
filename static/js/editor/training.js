// Train: POST /api/runs with the editor's spec, then the run dashboard (static/js/dashboard/index.js,
// loaded when first needed) under the canvas, and the run's export links.
import { postJSON } from '../api.js';
import { t } from '../i18n.js';

export class Trainer {
  constructor({ button, status, exports, links, dashboardRoot, notify }) {
    this.button = button;
    this.status = status;
    this.exports = exports;
    this.links = links; // {pytorch, onnx, run}
    this.dashboardRoot = dashboardRoot;
    this.notify = notify;
    this.mounted = null;
    this.runId = null;
    for (const link of [links.pytorch, links.onnx]) link.addEventListener('click', (event) => this.download(event, link));
  }

  // The export links fetch first, so that "still training" or "no saved weights" shows as a message
  // instead of a JSON page; a good answer is saved under the server's file name.
  async download(event, link) {
    event.preventDefault();
    let response;
    try {
      response = await fetch(link.href, { credentials: 'same-origin' });
    } catch (err) {
      this.notify(t('error.network'), true);
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      this.notify(body && body.errors ? body.errors.map((e) => e.message).join('; ') : t('error.http', { status: response.status }), true);
      return;
    }
    const name = (response.headers.get('Content-Disposition') || '').match(/filename="([^"]+)"/);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await response.blob());
    a.download = name ? name[1] : 'export';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async train(spec) {
    this.button.disabled = true;
    this.status.textContent = t('editor.starting');
    try {
      const run = await postJSON('/api/runs', spec);
      this.runId = run.id;
      this.status.textContent = t('editor.training_run', { id: run.id.slice(0, 8) });
      this.showExports(run.id);
      await this.showDashboard(run.id);
      return run;
    } catch (err) {
      this.status.textContent = '';
      this.notify(err.message, true);
      return null;
    } finally {
      this.button.disabled = false;
    }
  }

  showExports(runId) {
    this.links.pytorch.href = `/api/runs/${runId}/export/pytorch`;
    this.links.onnx.href = `/api/runs/${runId}/export/onnx`;
    this.links.run.href = `/runs/${runId}`;
    this.exports.hidden = false;
  }

  async showDashboard(runId) {
    if (this.mounted) this.mounted.destroy();
    this.mounted = null;
    this.dashboardRoot.hidden = false;
    this.dashboardRoot.replaceChildren();
    try {
      const { mountDashboard } = await import('../dashboard/index.js');
      this.mounted = mountDashboard(this.dashboardRoot, { runId });
    } catch (err) {
      // the dashboard module is missing or broken: the run page still shows the run
      const a = document.createElement('a');
      a.href = `/runs/${runId}`;
      a.textContent = t('editor.run_page');
      this.dashboardRoot.append(a);
    }
  }
}
