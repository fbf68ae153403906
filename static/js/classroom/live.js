// One run followed live: its websocket (../stream.js: snapshot, then messages, resync by seq),
// reduced to what the classroom pages draw: the loss points, the status and the final metrics.
import { RunStream, FINAL_STATUSES } from '../stream.js';

const toPoint = (p) => [p.epoch, p.train_loss, p.test_loss];

export class LiveRun {
  // onChange({points, status, final, reason}) after every update
  constructor(runId, onChange) {
    this.runId = runId;
    this.points = [];
    this.status = 'queued';
    this.final = null;
    this.reason = null;
    this.onChange = onChange;
    this.stream = new RunStream(runId, {
      snapshot: (m) => {
        this.points = ((m.history && m.history.metrics) || []).map(toPoint);
        this.update(m);
      },
      metrics: (m) => {
        this.points.push(...(m.points || [m]).map(toPoint));
        this.changed();
      },
      status: (m) => this.update(m),
      refused: () => {
        this.status = 'refused';
        this.changed();
      },
    });
  }

  update(m) {
    this.status = m.status;
    this.final = m.final || this.final;
    this.reason = m.reason || null;
    this.changed();
    if (FINAL_STATUSES.has(this.status)) this.close(); // nothing more will come
  }

  changed() {
    this.onChange(this);
  }

  get finished() {
    return FINAL_STATUSES.has(this.status);
  }

  close() {
    this.stream.close();
  }
}
