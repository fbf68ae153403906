"""The sink a run's training loop writes to: coalesce, persist, then notify.

The loop may emit hundreds of events a second; this object keeps that cheap for the loop (`emit` only
appends) and does the I/O on its own thread, at most every `interval` seconds:
  1. coalesce: every metrics/gradients point is kept (merged into one message per type), of the large
     kinds (boundary, neurons, weights, settings) only the newest;
  2. persist first (history rows + the latest large messages + `last_seq`), so a client that
     misses a live message can always resync from the snapshot;
  3. notify the run's group with ONE channel-layer message, fanned out to frames by the consumer.
"""
import logging
import threading
import time

from django.db import close_old_connections, transaction
from django.utils import timezone

from . import states
from .models import Run, RunEvent
from .notify import Notifier

log = logging.getLogger(__name__)

POINT_TYPES = ("metrics", "gradients")  # every point kept, in the history
LATEST_TYPES = ("boundary", "neurons", "weights", "settings")  # only the newest matters
HISTORY_TYPES = {"metrics", "gradients", "status", "settings"}  # stored as RunEvent rows


def coalesce(events):
    """Events since the last flush → at most one message per type (status messages kept in order)."""
    statuses, points, latest = [], {t: [] for t in POINT_TYPES}, {}
    for event in events:
        kind = event["type"]
        if kind in POINT_TYPES:
            points[kind].append(event)
        elif kind in LATEST_TYPES:
            latest[kind] = event
        else:
            statuses.append(event)
    messages = list(statuses)
    if points["metrics"]:
        last = points["metrics"][-1]
        fields = {k: v for k, v in last.items() if k != "type"}
        messages.append({"type": "metrics", **fields, "points": [_strip_type(e) for e in points["metrics"]]})
    if points["gradients"]:
        last = points["gradients"][-1]
        messages.append({
            "type": "gradients", "step": last["step"], "epoch": last.get("epoch"), "layers": last["layers"],
            "points": [{k: e[k] for k in ("step", "epoch", "norms", "mean_abs") if k in e} for e in points["gradients"]],
        })
    messages.extend(latest[k] for k in LATEST_TYPES if k in latest)
    return messages


def _strip_type(event):
    return {k: v for k, v in event.items() if k != "type"}


def persist(run_id, messages):
    """Assigns each message its per-run `seq` and stores it. Returns the messages as sent."""
    run_key = str(run_id)
    with transaction.atomic():
        run = Run.objects.select_for_update().only("id", "last_seq", "latest").get(id=run_id)
        seq = run.last_seq
        stamped, rows = [], []
        for message in messages:
            seq += 1
            message = {**message, "run": run_key, "seq": seq, "step": message.get("step", 0)}
            stamped.append(message)
            if message["type"] in HISTORY_TYPES:
                rows.append(RunEvent(run_id=run_id, seq=seq, type=message["type"], step=message["step"] or 0, payload=message))
            if message["type"] in LATEST_TYPES:
                run.latest[message["type"]] = message
        RunEvent.objects.bulk_create(rows)
        Run.objects.filter(id=run_id).update(last_seq=seq, latest=run.latest, heartbeat_at=timezone.now())
    return stamped


def publish(run_id, messages, notifier=None):
    """Persist then notify, now (used for statuses decided outside a training loop, e.g. a cancel)."""
    stamped = persist(run_id, messages)
    notifier = notifier or Notifier()
    try:
        notifier.send(run_id, stamped)
    except Exception:  # the history is stored: a client resyncs from the snapshot
        log.exception("could not notify run %s", run_id)
    return stamped


class RunPublisher:
    def __init__(self, run_id, interval=0.05):
        self.run_id = run_id
        self.interval = interval
        self.notifier = Notifier()
        self.sent_messages = 0  # channel-layer messages, for the benchmark's coalescing check
        self._pending = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"publisher-{run_id}", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def emit(self, event):
        if event["type"] == "status" and not self._apply_status(event):
            return
        if event["type"] == "metrics":
            event["t"] = round(time.time(), 4)  # when the worker had it: clients measure latency from it
        with self._lock:
            self._pending.append(event)

    __call__ = emit

    def _apply_status(self, event):
        """A pause/resume announced by the loop is a state transition first; one that is not allowed
        (the run was cancelled meanwhile) is dropped."""
        return states.transition(self.run_id, event["status"], event.get("reason", ""))

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                self.flush()
        finally:
            close_old_connections()

    def flush(self):
        with self._lock:
            events, self._pending = self._pending, []
        if not events:
            return
        try:
            stamped = persist(self.run_id, coalesce(events))
        except Exception:
            log.exception("could not persist events of run %s", self.run_id)
            return
        try:
            self.notifier.send(self.run_id, stamped)
            self.sent_messages += 1
        except Exception:
            log.exception("could not notify run %s", self.run_id)

    def drain(self):
        """Stops the publisher thread and flushes what is left: the history is complete after this."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.flush()

    def close(self, final_messages=()):
        """Drains, then publishes `final_messages` as the very last messages of the run."""
        self.drain()
        if final_messages:
            with self._lock:
                self._pending.extend(final_messages)
            self.flush()
        self.notifier.close()
