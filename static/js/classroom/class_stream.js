// The class websocket (/ws/assignments/<id>/): metrics points and statuses of every active run of
// the assignment on one socket. Reconnects with backoff; after each (re)connect `open` is called so
// the page can refetch what it may have missed (the curves carry the seq they cover).
const MAX_BACKOFF_MS = 10000;
const CLOSE_REFUSED = new Set([4403, 4404]);

export class ClassStream {
  // handlers: open(), metrics(msg), status(msg), refused(code)
  constructor(assignmentId, handlers) {
    this.path = `/ws/assignments/${assignmentId}/`;
    this.handlers = handlers;
    this.attempt = 0;
    this.closed = false;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${this.path}`);
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      if (message.type === 'subscribed') {
        this.attempt = 0;
        this.emit('open');
      } else {
        this.emit(message.type, message);
      }
    });
    socket.addEventListener('close', (event) => {
      if (this.closed) return;
      if (CLOSE_REFUSED.has(event.code)) {
        this.emit('refused', event.code);
        return;
      }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
      this.attempt += 1;
      setTimeout(() => this.connect(), delay);
    });
  }

  emit(name, ...args) {
    if (this.handlers[name]) this.handlers[name](...args);
  }

  close() {
    this.closed = true;
    if (this.socket) this.socket.close(1000);
  }
}
