import asyncio
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore

from playground.runs.models import FINAL_STATUSES, Run


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
