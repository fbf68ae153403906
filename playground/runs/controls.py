"""The worker's side of control messages: polled by the training loop between batches."""
import time

from django.conf import settings
from django.utils import timezone

from .models import FINAL_STATUSES, Run, RunControl


class DbControl:
    """`poll()` returns the run's new control messages, oldest first, and marks them consumed.

    It also beats the run's heartbeat, and turns a run that was finished from outside (a teacher's or
    the janitor's decision) into a stop, so the loop never trains a run nobody will see.
    """

    def __init__(self, run_id, heartbeat_interval=None):
        self.run_id = run_id
        self.heartbeat_interval = heartbeat_interval or settings.HEARTBEAT_INTERVAL_S
        self._last_beat = 0.0

    def poll(self):
        messages = []
        pending = list(RunControl.objects.filter(run_id=self.run_id, consumed_at__isnull=True).order_by("id"))
        if pending:
            RunControl.objects.filter(id__in=[c.id for c in pending]).update(consumed_at=timezone.now())
            messages = [c.message for c in pending]
        if time.monotonic() - self._last_beat >= self.heartbeat_interval:
            self._last_beat = time.monotonic()
            Run.objects.filter(id=self.run_id).update(heartbeat_at=timezone.now())
            status = Run.objects.filter(id=self.run_id).values_list("status", flat=True).first()
            if status in FINAL_STATUSES:
                messages.append({"action": "stop", "reason": "the run was ended from outside"})
        return messages
