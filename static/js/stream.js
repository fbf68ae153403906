// The websocket of one run: a snapshot, then live messages; controls go back on the same socket.
//
// Sequence numbers: the snapshot says up to which `seq` it covers; any live message with a `seq` not
// above the highest seen is a duplicate and is dropped. When the socket closes before the run has
// finished, it reconnects with backoff; the new snapshot replaces everything drawn so far, so nothing
// is drawn twice.

export const FINAL_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);
const CLOSE_NOT_FOUND = 4404;
const CLOSE_FORBIDDEN = 4403;
const MAX_BACKOFF_MS = 10000;

export class RunStream {
  // handlers: snapshot(msg), status(msg), metrics(msg), gradients(msg), boundary(msg), neurons(msg),
  // weights(msg), settings(msg), error(errors), connection(state, detail), refused(code)
  constructor(runId, handlers) {
    this.runId = runId;
    this.handlers = handlers;
    this.lastSeq = -1;
    this.attempt = 0;
    this.finished = false;
    this.closed = false;
    this.socket = null;
    this.timer = null;
    this.connect();
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws/runs/${this.runId}/`;
  }

  connect() {
    this.timer = null;
    const socket = new WebSocket(this.url());
    this.socket = socket;
    this.emit('connection', this.attempt ? 'reconnecting' : 'connecting');
    socket.addEventListener('open', () => {
      if (this.socket === socket) this.emit('connection', 'open');
    });
    socket.addEventListener('message', (event) => {
      if (this.socket !== socket) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (err) {
        return; // not ours to draw
      }
      this.receive(message);
    });
    socket.addEventListener('close', (event) => this.onClose(socket, event));
  }

  onClose(socket, event) {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.closed) return;
    if (event.code === CLOSE_NOT_FOUND || event.code === CLOSE_FORBIDDEN) {
      this.closed = true;
      this.emit('refused', event.code);
      return;
    }
    if (this.finished) {
      this.emit('connection', 'closed');
      return;
    }
    // exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... up to 10 s
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
    this.attempt += 1;
    this.emit('connection', 'waiting', Math.round(delay));
    this.timer = setTimeout(() => this.connect(), delay);
  }

  receive(message) {
    if (message.type === 'snapshot') {
      this.lastSeq = message.seq;
      this.attempt = 0;
      this.finished = FINAL_STATUSES.has(message.status);
      this.emit('snapshot', message);
      return;
    }
    if (message.type === 'error') {
      this.emit('error', message.errors || []);
      return;
    }
    if (typeof message.seq !== 'number' || message.seq <= this.lastSeq) return; // seen already
    this.lastSeq = message.seq;
    if (message.type === 'status' && FINAL_STATUSES.has(message.status)) this.finished = true;
    this.emit(message.type, message);
  }

  emit(name, ...args) {
    const handler = this.handlers[name];
    if (handler) handler(...args);
  }

  get open() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN);
  }

  send(control) {
    if (!this.open) return false;
    this.socket.send(JSON.stringify(control));
    return true;
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    // closing a socket that is still connecting makes the browser log an error: close it once open
    if (socket.readyState === WebSocket.CONNECTING) socket.addEventListener('open', () => socket.close(1000));
    else if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  }
}
