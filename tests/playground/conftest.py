import asyncio
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore

from playground.runs.models import ACTIVE_STATUSES, FINAL_STATUSES, Run, RunControl, RunStatus


def wait_for_status(run_id, statuses, timeout=60):
    """Polls the run row until its status is one of `statuses`; returns the run."""
    statuses = {statuses} if isinstance(statuses, str) else set(statuses)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = Run.objects.get(id=run_id)
        if run.status in statuses:
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} is {Run.objects.get(id=run_id).status}, expected {statuses} within {timeout} s")


def wait_until_final(run_id, timeout=120):
    return wait_for_status(run_id, FINAL_STATUSES, timeout)


def make_session():
    session = SessionStore()
    session.create()
    return session.session_key


@pytest.fixture(autouse=True)
def stop_runs_left_training(request):
    """A test that fails midway must not leave a run training into the next test's database."""
    yield
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        return
    Run.objects.filter(status=RunStatus.QUEUED).update(status=RunStatus.CANCELLED)
    active = list(Run.objects.filter(status__in=ACTIVE_STATUSES).values_list("id", flat=True))
    for run_id in active:
        RunControl.objects.create(run_id=run_id, message={"action": "stop"})
    for run_id in active:
        try:
            wait_until_final(run_id, timeout=5)
        except AssertionError:
            pass
