from celery import shared_task

from .execute import execute_run


@shared_task(name="runs.train", bind=True)
def train_run(self, run_id):
    """Thin: the run id in, the work in execute_run. Idempotent: a redelivered task for a run that is
    not queued does nothing (acks_late + reject_on_worker_lost are set in settings)."""
    execute_run(run_id, worker=self.request.hostname or "embedded")
