"""The Celery task on a real (in-process) Celery worker, and the publisher that is its sink."""
import time

import pytest
from celery.contrib.testing.worker import start_worker

from playground.celery import app as celery_app
from playground.runs import execute
from playground.runs.models import Run, RunEvent, RunStatus
from playground.runs.publisher import coalesce
from playground.runs.tasks import train_run
from tests.conftest import make_spec

from .conftest import wait_until_final

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def celery_worker():
    # A real worker consuming the `cpu` queue over Celery's in-memory transport.
    celery_app.conf.update(broker_url="memory://", task_default_queue="cpu")
    with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=["cpu"], loglevel="WARNING") as worker:
        yield worker


def test_a_worker_takes_the_task_from_the_queue_and_trains_the_run(celery_worker):
    run = Run.objects.create(spec=make_spec(epochs=5))
    train_run.apply_async(args=[str(run.id)], queue="cpu")
    run = wait_until_final(run.id)
    assert run.status == RunStatus.SUCCEEDED
    assert run.final["epochs"] == 5 and run.worker
    # the status turns final first, then the worker publishes it as the run's last message
    deadline = time.monotonic() + 10
    while (last := RunEvent.objects.filter(run=run).last()).type != "status" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert last.type == "status" and last.payload["final"]["test_loss"] == run.final["test_loss"]


def test_a_redelivered_task_for_a_finished_run_does_nothing(celery_worker):
    run = Run.objects.create(spec=make_spec(epochs=2))
    train_run.apply_async(args=[str(run.id)], queue="cpu")
    wait_until_final(run.id)
    events_before = RunEvent.objects.filter(run=run).count()
    assert execute.execute_run(str(run.id)) is None
    assert RunEvent.objects.filter(run=run).count() == events_before
    assert Run.objects.get(id=run.id).status == RunStatus.SUCCEEDED


def test_a_crash_inside_training_ends_the_run_failed_with_its_history(monkeypatch):
    def broken_train(spec, sink, control, **kwargs):
        sink({"type": "metrics", "step": 0, "epoch": 0, "train_loss": 0.7, "test_loss": 0.7})
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(execute, "train", broken_train)
    run = Run.objects.create(spec=make_spec())
    execute.execute_run(str(run.id))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "out of cheese" in run.reason
    kinds = list(RunEvent.objects.filter(run=run).values_list("type", flat=True))
    assert kinds[0] == "status" and "metrics" in kinds and kinds[-1] == "status"


def test_coalescing_keeps_every_point_and_only_the_newest_picture():
    events = [{"type": "metrics", "step": i, "epoch": i, "train_loss": 1 / (i + 1), "test_loss": 1.0} for i in range(100)]
    events += [{"type": "boundary", "step": i, "epoch": i, "z": [[i]]} for i in range(5)]
    events += [{"type": "gradients", "step": i, "epoch": i, "layers": ["h1"], "norms": [i], "mean_abs": [i]} for i in range(3)]
    messages = coalesce(events)
    assert [m["type"] for m in messages] == ["metrics", "gradients", "boundary"]
    metrics = messages[0]
    assert len(metrics["points"]) == 100 and metrics["epoch"] == 99 and metrics["train_loss"] == 1 / 100
    assert messages[1]["points"][-1]["norms"] == [2]
    assert messages[2]["z"] == [[4]]


def test_a_one_shot_message_is_stored_with_the_flush_that_sends_it():
    from playground.runs.publisher import RunPublisher

    run = Run.objects.create(spec=make_spec(), status="running")
    publisher = RunPublisher(run.id, interval=0.05)
    publisher.flush()  # the first flush stores; the next picture would wait LATEST_EVERY_S
    publisher.emit({"type": "boundary", "step": 1, "epoch": 0, "z": [[0.5]]})
    publisher.emit({"type": "kv_cache", "step": 1, "epoch": 0, "blocks": [{"node": "t", "bytes_per_token": 128}]})
    publisher.flush()
    run.refresh_from_db()
    assert run.latest["kv_cache"]["blocks"][0]["bytes_per_token"] == 128
    assert run.latest["kv_cache"]["seq"] <= run.last_seq
    publisher.close()
