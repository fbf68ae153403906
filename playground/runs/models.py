import uuid

from django.conf import settings
from django.db import models


class RunStatus(models.TextChoices):
    """queued → running ⇄ paused → succeeded | failed | cancelled (transitions: runs/states.py)."""

    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL_STATUSES = {RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED}
ACTIVE_STATUSES = {RunStatus.RUNNING, RunStatus.PAUSED}


class Run(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A run belongs to a user, or to an anonymous visitor's session (as on TensorFlow Playground).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True)
    reason = models.TextField(blank=True, default="")
    spec = models.JSONField()
    queue = models.CharField(max_length=16, default="cpu")
    final = models.JSONField(null=True, blank=True)
    # The last message of each large kind (boundary, neurons, weights, settings): kept as the latest
    # only, so a late joiner sees the current picture without the DB storing every frame.
    latest = models.JSONField(default=dict, blank=True)
    last_seq = models.IntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, default="")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    # Classroom: the assignment this run answers (its teacher may see it), whether the student shared
    # it with the class, and its parameter count (the leaderboard's tie-break, the quotas' measure).
    assignment = models.ForeignKey("classroom.Assignment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="runs")
    shared = models.BooleanField(default=False)
    params = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "queue", "created_at"])]

    def __str__(self):
        return f"{self.id} ({self.status})"

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES


class RunEvent(models.Model):
    """Persisted history: the coarse messages (metrics, gradients, status, settings) in `seq` order."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.IntegerField()
    type = models.CharField(max_length=32)
    step = models.IntegerField(default=0)
    payload = models.JSONField()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="unique_run_seq")]


class RunControl(models.Model):
    """A control message (pause, step, set, stop…) on its way from a client to the worker, which
    polls these between batches: the same path in the embedded and the production shape."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="controls")
    message = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["run", "consumed_at"])]


class WorkerHeartbeat(models.Model):
    """A worker says it is alive (every few seconds, from its own process): the admin dashboard's
    list of workers per queue, and the scheduler's estimate of how many runs train at once."""

    name = models.CharField(max_length=200, primary_key=True)
    queues = models.JSONField(default=list)
    concurrency = models.PositiveIntegerField(default=1)
    last_seen = models.DateTimeField(db_index=True)
    gpu = models.JSONField(null=True, blank=True)  # {"name", "memory_used", "memory_total", "utilization"}

    class Meta:
        ordering = ["name"]
