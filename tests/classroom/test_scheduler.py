"""Fair scheduling: a worker slot starts the fairest queued run, not the oldest token's run."""
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from playground.classroom.scheduler import fair_order, queue_position
from playground.runs import dispatch
from playground.runs.models import Run, RunStatus
from tests.playground.conftest import wait_until_final

from .conftest import make_user, small_spec


def queued(owner, n, **fields):
    return [Run.objects.create(owner=owner, spec=small_spec(), **fields) for _ in range(n)]


@pytest.mark.django_db
def test_it_takes_turns_across_students_not_first_come_first_served():
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    a = queued(alice, 5)
    b = queued(bob, 1)
    c = queued(carol, 2)
    assert fair_order("cpu") == [a[0].id, b[0].id, c[0].id, a[1].id, c[1].id, a[2].id, a[3].id, a[4].id]


@pytest.mark.django_db
def test_a_student_with_a_run_training_waits_behind_one_without():
    alice, bob = make_user("alice"), make_user("bob")
    Run.objects.create(owner=alice, spec=small_spec(), status=RunStatus.RUNNING, started_at=timezone.now())
    a = queued(alice, 2)
    b = queued(bob, 1)
    assert fair_order("cpu")[0] == b[0].id


@pytest.mark.django_db
def test_among_idle_students_the_one_who_started_longest_ago_goes_first():
    alice, bob = make_user("alice"), make_user("bob")
    now = timezone.now()
    Run.objects.create(owner=alice, spec=small_spec(), status=RunStatus.SUCCEEDED, started_at=now)
    Run.objects.create(owner=bob, spec=small_spec(), status=RunStatus.SUCCEEDED, started_at=now - timedelta(minutes=5))
    a = queued(alice, 1)
    b = queued(bob, 1)
    assert fair_order("cpu") == [b[0].id, a[0].id]


@pytest.mark.django_db
def test_queues_are_scheduled_separately_and_anonymous_sessions_count_as_people():
    alice = make_user("alice")
    gpu = queued(alice, 1, queue="gpu")
    anon = Run.objects.create(session_key="s1", spec=small_spec())
    mine = queued(alice, 2)
    assert fair_order("gpu") == [gpu[0].id]
    assert fair_order("cpu")[:2] == [anon.id, mine[0].id]  # alice already has a gpu run queued, not running


@pytest.mark.django_db
def test_the_queue_position_counts_the_runs_that_start_first_and_estimates_the_wait():
    alice, bob = make_user("alice"), make_user("bob")
    now = timezone.now()
    for seconds in (4, 6, 8):  # recent durations: median 6 s
        Run.objects.create(owner=alice, spec=small_spec(), status=RunStatus.SUCCEEDED,
                           started_at=now - timedelta(seconds=seconds), finished_at=now)
    a = queued(alice, 3)
    b = queued(bob, 1)
    position = queue_position(b[0])
    assert position["ahead"] == 0  # bob has started nothing lately: he goes first
    late = queue_position(a[2])
    assert late["ahead"] == 3
    # 2 embedded slots: 3 ahead → the second wave, about 2 typical durations
    assert late["estimate_s"] == pytest.approx(12.0)


@pytest.mark.django_db(transaction=True)
def test_under_a_burst_the_second_student_starts_before_the_first_ones_third_run(monkeypatch, settings):
    """One student submits 20 runs, another 1, all in the same moment, on the real embedded pool."""
    settings.EMBEDDED_WORKERS = 2
    monkeypatch.setattr(dispatch, "_executor", None)  # a fresh pool of that size
    alice, bob = make_user("alice"), make_user("bob")
    try:
        _burst_then_check(alice, bob)
    finally:  # the burst leaves tokens behind: let the pool finish before the database goes away
        Run.objects.filter(status=RunStatus.QUEUED).update(status=RunStatus.CANCELLED)
        dispatch._executor.shutdown(wait=True)


def _burst_then_check(alice, bob):
    with transaction.atomic():  # every token is enqueued at commit: a true burst
        alice_runs = [Run.objects.create(owner=alice, spec=small_spec(epochs=3)) for _ in range(20)]
        bob_run = Run.objects.create(owner=bob, spec=small_spec(epochs=3))
        for run in [*alice_runs, bob_run]:
            dispatch.submit(run)
    bob_run = wait_until_final(bob_run.id, timeout=120)
    assert bob_run.status == RunStatus.SUCCEEDED, bob_run.reason
    deadline = time.monotonic() + 60
    while Run.objects.filter(owner=alice, started_at__isnull=False).count() < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    starts = sorted(Run.objects.filter(owner=alice, started_at__isnull=False).values_list("started_at", flat=True))
    assert len(starts) >= 3
    assert bob_run.started_at < starts[2], "the second student waited behind the first one's burst"

