"""`submit(run)`: the one place that decides how a run reaches a worker.

Each submit enqueues one token for the run's queue; the token starts the *fairest* queued run there
(classroom/scheduler.py), so one student's burst cannot starve a class.

Production (REDIS_URL): the Celery task goes to the run's queue (`cpu` or `gpu`) on Redis.
Embedded: the very same task runs on a thread pool inside the web process — not `task_always_eager`,
which would train inside the HTTP request.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction

from . import states
from .models import Run, RunStatus
from .tasks import train_run

log = logging.getLogger(__name__)
_executor = None
_executor_lock = threading.Lock()


def submit(run):
    """Enqueues a token for `run`'s queue once the transaction commits (also used to requeue)."""
    run_id = str(run.id)
    if settings.MODE == "production":
        transaction.on_commit(lambda: train_run.apply_async(args=[run_id], queue=run.queue))
    else:
        transaction.on_commit(lambda: _embedded_executor().submit(_run_embedded, run_id))


def _embedded_executor():
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=settings.EMBEDDED_WORKERS, thread_name_prefix="run")
        return _executor


def _run_embedded(run_id):
    try:
        train_run(run_id)  # calling a task object runs its body right here, on this pool thread
    except Exception:
        log.exception("embedded run %s failed outside the training loop", run_id)
    finally:
        close_old_connections()


def recover_embedded_runs():
    """At start-up of the embedded server: runs that were training in a previous process are lost
    (their thread died with it), runs still queued are submitted again."""
    if settings.MODE != "embedded":
        return
    for run_id in Run.objects.filter(status__in=[RunStatus.RUNNING, RunStatus.PAUSED]).values_list("id", flat=True):
        states.transition(run_id, RunStatus.FAILED, "the server restarted while this run was training")
    for run in Run.objects.filter(status=RunStatus.QUEUED):
        _embedded_executor().submit(_run_embedded, str(run.id))
