"""Every status change of a run happens here, as a compare-and-swap on the row, with its reason.

A CAS (`UPDATE … WHERE status IN (...)`) means two workers can never both start a run and a late
cancel never resurrects a finished one.
"""
from django.utils import timezone

from .models import FINAL_STATUSES, Run, RunStatus

S = RunStatus

# to-status → the statuses it may come from
ALLOWED_FROM = {
    S.RUNNING: {S.QUEUED, S.PAUSED},
    S.PAUSED: {S.RUNNING},
    S.SUCCEEDED: {S.RUNNING, S.PAUSED},
    S.FAILED: {S.QUEUED, S.RUNNING, S.PAUSED},
    S.CANCELLED: {S.QUEUED, S.RUNNING, S.PAUSED},
}


def transition(run_id, to, reason="", **fields):
    """Moves the run to `to` if its current status allows it. Returns True when this call did it."""
    now = timezone.now()
    if to in FINAL_STATUSES:
        fields.setdefault("finished_at", now)
    updated = Run.objects.filter(id=run_id, status__in=ALLOWED_FROM[to]).update(
        status=to, reason=reason or "", **fields
    )
    return updated == 1


def start(run_id, worker):
    """queued → running, only from queued: a redelivered task for a started or finished run does nothing."""
    now = timezone.now()
    return (
        Run.objects.filter(id=run_id, status=S.QUEUED).update(
            status=S.RUNNING, started_at=now, heartbeat_at=now, worker=worker, reason=""
        )
        == 1
    )


def fail_stale(stale_after_s):
    """The safety net for a lost worker: active runs whose heartbeat stopped are failed, with why."""
    cutoff = timezone.now() - timezone.timedelta(seconds=stale_after_s)
    stale = list(
        Run.objects.filter(status__in=[S.RUNNING, S.PAUSED], heartbeat_at__lt=cutoff).values_list("id", flat=True)
    )
    reason = f"worker lost: no heartbeat for {stale_after_s} s"
    return [run_id for run_id in stale if transition(run_id, S.FAILED, reason)]
