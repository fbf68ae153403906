import logging

from celery import shared_task

from . import hooks
from .execute import execute_run
from .models import Run

log = logging.getLogger(__name__)
MAX_CLAIM_TRIES = 20  # picks lost to other workers' compare-and-swap before giving up the token


@shared_task(name="runs.train", bind=True)
def train_run(self, run_id):
    """A token for one slot on the queue of `run_id`: it starts the fairest queued run there (often,
    but not always, `run_id` itself: hooks.next_run, the classroom's fair scheduler). Idempotent: a
    redelivered token starts at most one queued run and never restarts a started or finished one
    (acks_late + reject_on_worker_lost are set in settings)."""
    return run_fairest(run_id, worker=self.request.hostname or "embedded")


def run_fairest(token_run_id, worker):
    queue = Run.objects.filter(id=token_run_id).values_list("queue", flat=True).first() or "cpu"
    for _ in range(MAX_CLAIM_TRIES):
        run_id = hooks.next_run(queue)
        if run_id is None:
            return None
        run = execute_run(str(run_id), worker=worker)
        if run is not None:
            return run  # we started and trained it
        # another worker won the compare-and-swap on that run: pick again
    log.warning("token for queue %s gave up after %d lost picks", queue, MAX_CLAIM_TRIES)
    return None
