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
