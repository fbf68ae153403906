// /runs/<id>/dashboard: one dashboard on one run (and the error page, which only needs translating).
import { startPage } from './page.js';
import { mountDashboard } from './index.js';

try {
  await startPage();
  const idScript = document.getElementById('run-id');
  const host = document.getElementById('dashboard');
  if (idScript && host) {
    window.neuralDashboard = mountDashboard(host, { runId: JSON.parse(idScript.textContent) }); // tests and the benchmark read it
  }
} finally {
  document.body.dataset.ready = 'true'; // even half-started: a test then fails on what is missing, not on a timeout
}
