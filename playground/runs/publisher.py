"""The sink a run's training loop writes to: coalesce, persist, then notify.

The loop may emit hundreds of events a second; `emit` appends, and at most every `interval` seconds
one flush does the work, on the training thread itself: measured, a second thread doing the same
work cost the loop twice as much (its many GIL hand-offs stall the loop far beyond its own CPU time).
A timer thread only flushes what a quiet loop (paused, or in a long epoch) left pending. What a flush
does with each type follows its declared retention (models_core/messages.py):
  1. coalesce: every point of a POINTS type (metrics, gradients) is kept, merged into one message per
     type; of the LATEST and ONCE types (the pictures, settings, ...) only the newest; HISTORY types
     (status) are kept as they are, in order;
  2. persist first (history rows + `last_seq`; histograms too, at most 2 a second), so a client that misses a live message can always
     resync from the snapshot; the large pictures are stored at most every `LATEST_EVERY_S` (and at
     the end): a snapshot's picture may be that old, the next live one replaces it within 0.1 s, and
     rewriting ~60 KB twenty times a second would cost the training loop more than 10 %;
  3. notify the run's group with ONE channel-layer message, fanned out to frames by the consumer.
A type that is not declared, or not one a publisher carries (snapshot, error), is refused with
UndeclaredMessage where it is handed in: a run that emits one fails loudly instead of losing it.
"""
import functools
import json
import logging
import threading
import time

from django.db import close_old_connections, connection, transaction

from models_core import messages as schema

from . import states
from .models import Run, RunEvent
from .notify import Notifier

log = logging.getLogger(__name__)

# Derived once, at import: emit() runs on the training thread's hot path.
POINT_TYPES = schema.names(schema.POINTS)  # every point kept, in the history
LATEST_TYPES = schema.names(schema.LATEST, schema.ONCE)  # only the newest matters, kept in Run.latest
ONE_SHOT_TYPES = frozenset(schema.names(schema.ONCE))  # sent once a run: stored with the flush that sends them
IN_ORDER_TYPES = frozenset(schema.names(schema.HISTORY))  # relayed as they are, in order
HISTORY_TYPES = frozenset(m.name for m in schema.MESSAGES  # stored as RunEvent rows
                          if m.retention in (schema.POINTS, schema.HISTORY) or m.rows)
PUBLISHED_TYPES = frozenset(schema.names(*schema.PUBLISHED))
_LATEST = frozenset(LATEST_TYPES)


def _split(m):
    """A POINTS type's (point-only, message-only) field names: a merged message's top level leaves out
    the former (gradients' norms), each of its points the latter (gradients' layers)."""
    top, each = {*schema.COMMON, *m.field_names}, set(m.point_names)
    return tuple(sorted(each - top | {"type"})), tuple(sorted(top - each | {"type"}))


_SPLIT = {kind: _split(schema.declared(kind)) for kind in POINT_TYPES}
LATEST_EVERY_S = 2.0


def refuse_undeclared(kind):
    """Raises UndeclaredMessage unless a publisher may carry `kind`: never store or relay it silently."""
    if kind not in PUBLISHED_TYPES:
        schema.declared(kind)  # raises for a type not declared at all
        raise schema.UndeclaredMessage(f"message type {kind!r} is sent by the consumer only, never published")


def coalesce(events):
    """Events since the last flush → at most one message per type (HISTORY types, status, kept in order)."""
    statuses, points, latest = [], {t: [] for t in POINT_TYPES}, {}
    for event in events:
        kind = event["type"]
        if kind in points:
            points[kind].append(event)
        elif kind in _LATEST:
            latest[kind] = event
        elif kind in IN_ORDER_TYPES:
            statuses.append(event)
        else:
            refuse_undeclared(kind)
    messages = statuses
    messages.extend(_merge_points(kind, group) for kind, group in points.items() if group)
    messages.extend(latest[k] for k in LATEST_TYPES if k in latest)
    return messages


def _merge_points(kind, events):
    """One message of a POINTS type: the newest event's own fields, then every event as a point."""
    point_only, message_only = _SPLIT[kind]
    return {"type": kind, **_without(events[-1], point_only), "points": [_without(e, message_only) for e in events]}


def _without(event, names):
    # a copy and a few pops: measured ~1.5x quicker than a filtering comprehension (the hot path)
    out = dict(event)
    for name in names:
        out.pop(name, None)
    return out


def persist(run_id, messages, store_latest=True, held=None, last_seq=None):
    """Assigns each message its per-run `seq` and stores it. The large kinds go into `Run.latest` only
    if `store_latest`, together with `held`: large messages sent earlier but not stored yet.
    `last_seq` may be given by the run's one publisher (it alone numbers a training run's messages),
    which saves a locking read per flush. Returns the messages as sent."""
    run_key = str(run_id)
    with transaction.atomic():
        if last_seq is None or store_latest:
            columns = ("id", "last_seq", "latest") if store_latest else ("id", "last_seq")
            run = Run.objects.select_for_update().only(*columns).get(id=run_id)
            last_seq = run.last_seq
        seq = last_seq
        stamped, rows = [], []
        for message in messages:
            seq += 1
            message = {**message, "run": run_key, "seq": seq, "step": message.get("step", 0)}
            stamped.append(message)
            if message["type"] in HISTORY_TYPES:
                rows.append((seq, message["type"], message["step"] or 0, message))
        _insert_events(run_id, rows)
        newest = {**(held or {}), **{m["type"]: m for m in stamped if m["type"] in _LATEST}}
        if store_latest and newest:
            Run.objects.filter(id=run_id).update(last_seq=seq, latest={**run.latest, **newest})
        else:
            _set_last_seq(run_id, seq)
    return stamped


# Every flush (20 a second) stores its rows and the run's last_seq. Through the ORM that cost ~1 ms
# (bulk_create 0.66 ms, update 0.29 ms, measured on SQLite), several times the SQL itself, and it runs
# on the training thread: a third of what streaming costs the loop. Plain SQL does the same writes.

@functools.lru_cache(maxsize=4)
def _sql(vendor):
    """(insert an event row, set a run's last_seq) for a database vendor: written once, not per flush."""
    qn, e, r = connection.ops.quote_name, RunEvent._meta, Run._meta
    columns = ", ".join(qn(e.get_field(name).column) for name in ("run", "seq", "type", "step", "payload"))
    cast = "::jsonb" if vendor == "postgresql" else ""  # Django's JSONField is jsonb there
    insert = f"INSERT INTO {qn(e.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s{cast})"
    update = (f"UPDATE {qn(r.db_table)} SET {qn(r.get_field('last_seq').column)} = %s "
              f"WHERE {qn(r.pk.column)} = %s")
    return insert, update


def _insert_events(run_id, rows):
    """RunEvent rows as one executemany (rows: (seq, type, step, payload))."""
    if not rows:
        return
    key = _run_key(run_id)
    with connection.cursor() as cursor:
        cursor.executemany(_sql(connection.vendor)[0],
                           [(key, seq, kind, step, json.dumps(payload)) for seq, kind, step, payload in rows])


def _set_last_seq(run_id, seq):
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor)[1], [seq, _run_key(run_id)])


def _run_key(run_id):
    """A run's id as its column holds it (a uuid, or 32 hex digits where the database has no uuid type)."""
    return Run._meta.pk.get_db_prep_value(Run._meta.pk.to_python(run_id), connection)


def publish(run_id, messages, notifier=None):
    """Persist then notify, now (used for statuses decided outside a training loop, e.g. a cancel)."""
    for message in messages:
        refuse_undeclared(message["type"])
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
        self._held = {}  # large messages sent but not stored yet (see LATEST_EVERY_S)
        self._last_seq = None  # known after the first flush
        self._latest_stored_at = 0.0
        self._last_flush = time.monotonic()
        self._lock = threading.Lock()  # guards _pending
        self._flush_lock = threading.Lock()  # one flush at a time: seq numbers stay in order
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"publisher-{run_id}", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def emit(self, event):
        if event["type"] not in PUBLISHED_TYPES:  # raised to the loop: the run fails, saying which type
            refuse_undeclared(event["type"])
        if event["type"] == "status":
            if not self._apply_status(event):
                return
            event["reason"] = event.get("reason") or None  # the API's "text or null"
        if event["type"] == "metrics":
            event["t"] = round(time.time(), 4)  # when the worker had it: clients measure latency from it
        with self._lock:
            self._pending.append(event)
        if time.monotonic() - self._last_flush >= self.interval:
            self.flush()

    __call__ = emit

    def _apply_status(self, event):
        """A pause/resume announced by the loop is a state transition first; one that is not allowed
        (the run was cancelled meanwhile) is dropped."""
        return states.transition(self.run_id, event["status"], event.get("reason", ""))

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                if time.monotonic() - self._last_flush >= 2 * self.interval:
                    self.flush()
        finally:
            close_old_connections()

    def flush(self, final=False):
        with self._flush_lock:
            self._last_flush = time.monotonic()
            self._flush(final)

    def _flush(self, final):
        with self._lock:
            events, self._pending = self._pending, []
        # a kind sent only once (kv_cache, crossval) is stored at once: a snapshot taken before the next
        # store would cover its seq without holding it, and the client would never see it
        store_latest = (final or time.monotonic() - self._latest_stored_at >= LATEST_EVERY_S
                        or any(e["type"] in ONE_SHOT_TYPES for e in events))
        if not events and not (store_latest and self._held):
            return
        try:
            stamped = persist(self.run_id, coalesce(events), store_latest, self._held, self._last_seq)
            self._last_seq = stamped[-1]["seq"] if stamped else self._last_seq
        except Exception:
            log.exception("could not persist events of run %s", self.run_id)
            return
        if store_latest:
            self._held, self._latest_stored_at = {}, time.monotonic()
        else:
            self._held.update({m["type"]: m for m in stamped if m["type"] in _LATEST})
        if not stamped:
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
        self.flush(final=True)

    def announce(self, *messages):
        """Queues messages as they are: no status transition (the caller has made it already)."""
        for message in messages:
            refuse_undeclared(message["type"])
        with self._lock:
            self._pending.extend(messages)

    def close(self, final_messages=()):
        """Drains, then publishes `final_messages` as the very last messages of the run."""
        self.drain()
        if final_messages:
            self.announce(*final_messages)
            self.flush()
        self.notifier.close()
