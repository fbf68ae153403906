"""Fair scheduling: which queued run a free worker slot starts next.

Celery (or the embedded thread pool) stays the transport: every submit still enqueues one task, a
token. What a token does is "start the fairest queued run on my queue now", not "start run X". Every
submit adds a token and a token starts at most one run, so every queued run is eventually started;
a cancelled run leaves a spare token that finds nothing (or helps another run along).

Fairest = round robin across people: the owner with the fewest runs training now, then the one whose
last start is oldest (never started counts as oldest), then the earliest-queued; within one owner,
their oldest queued run. So one student's burst of 20 runs cannot starve a classmate's single run.
Two workers may pick the same run at once: `states.start` is a compare-and-swap, the loser picks again.
"""
import heapq
import math
import statistics
from datetime import datetime, timedelta, timezone as dt_timezone

from django.conf import settings
from django.db.models import Count, F, Max
from django.utils import timezone

from playground.runs.models import ACTIVE_STATUSES, Run, RunStatus, WorkerHeartbeat

LONG_AGO = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
HEARTBEAT_FRESH_S = 30  # a worker not heard from this long is not counted as a slot
RECENT_RUNS = 20  # finished runs the estimate's typical duration comes from


def owner_key(owner_id, session_key):
    return f"user:{owner_id}" if owner_id is not None else f"session:{session_key}"


def _owners_load(owner_keys):
    """Per owner: (runs training now, last start)."""
    users = [int(k[5:]) for k in owner_keys if k.startswith("user:")]
    sessions = [k[8:] for k in owner_keys if k.startswith("session:")]
    active, last_start = {}, {}
    for rows in (Run.objects.filter(owner_id__in=users), Run.objects.filter(owner__isnull=True, session_key__in=sessions)):
        for row in rows.filter(status__in=ACTIVE_STATUSES).values("owner_id", "session_key").annotate(n=Count("id")):
            active[owner_key(row["owner_id"], row["session_key"])] = row["n"]
        started = rows.filter(started_at__isnull=False).values("owner_id", "session_key").annotate(last=Max("started_at"))
        for row in started:
            last_start[owner_key(row["owner_id"], row["session_key"])] = row["last"]
    return active, last_start


def fair_order(queue):
    """The queued runs of `queue` in the order free slots would start them (ids)."""
    queued = list(Run.objects.filter(status=RunStatus.QUEUED, queue=queue)
                  .order_by("created_at", "id").values("id", "owner_id", "session_key", "created_at"))
    if not queued:
        return []
    per_owner = {}
    for row in queued:
        per_owner.setdefault(owner_key(row["owner_id"], row["session_key"]), []).append(row)
    active, last_start = _owners_load(per_owner)
    heap = [(active.get(k, 0), last_start.get(k, LONG_AGO), runs[0]["created_at"], k) for k, runs in per_owner.items()]
    heapq.heapify(heap)
    order, virtual_start = [], timezone.now()
    while heap:
        running, _, _, key = heapq.heappop(heap)
        runs = per_owner[key]
        order.append(runs.pop(0)["id"])
        if runs:  # as if that run had just started: one more training, the newest start
            virtual_start += timedelta(microseconds=1)
            heapq.heappush(heap, (running + 1, virtual_start, runs[0]["created_at"], key))
    return order


def next_run(queue):
    order = fair_order(queue)
    return order[0] if order else None


def slots(queue):
    """How many runs of `queue` train at once: the embedded pool's size, or the fresh workers'."""
    if settings.MODE == "embedded":
        return settings.EMBEDDED_WORKERS
    cutoff = timezone.now() - timedelta(seconds=HEARTBEAT_FRESH_S)
    fresh = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff)
    return max(1, sum(w.concurrency for w in fresh if queue in w.queues))


def typical_duration_s(queue):
    recent = (Run.objects.filter(queue=queue, status=RunStatus.SUCCEEDED, started_at__isnull=False)
              .order_by("-finished_at").annotate(took=F("finished_at") - F("started_at"))
              .values_list("took", flat=True)[:RECENT_RUNS])
    durations = [d.total_seconds() for d in recent if d is not None]
    return statistics.median(durations) if durations else None


def queue_position(run):
    """{"ahead": runs that start before this one, "estimate_s": seconds until it starts or None}."""
    order = fair_order(run.queue)
    if run.id not in order:
        return None
    ahead = order.index(run.id)
    typical = typical_duration_s(run.queue)
    estimate = None
    if typical is not None:
        waves = math.floor(ahead / slots(run.queue)) + 1  # a slot frees up about every `typical` seconds
        estimate = round(waves * typical, 1)
    return {"ahead": ahead, "estimate_s": estimate}
