"""The publisher, the snapshot and the consumer follow the one message declaration
(models_core/messages.py): each retention is stored as declared, a type that is not declared is
refused, and every message a client gets, live or in a snapshot, passes the declaration's check."""
import pytest
from channels.db import database_sync_to_async

from models_core import messages
from models_core.train import train
from playground.runs import publisher as pub
from playground.runs.models import Run, RunEvent, RunStatus
from playground.runs.snapshot import build_snapshot
from tests.conftest import make_spec
from tests.models_core.helpers import ScriptedControl

from .conftest import make_session

PUBLISHED = [messages.declared(kind) for kind in messages.names(*messages.PUBLISHED)]
SAMPLE = {"int": 1, "float": 0.5, "str": "x"}


def sample(m, step):
    """A minimal event of a declared type, as a training loop emits it (required fields only)."""
    event = {"type": m.name, "step": step}
    for name, kind in (*m.fields.items(), *m.point.items()):
        if name.endswith("?") or name in m.added or name in event:
            continue
        first = messages._alternatives(kind)[0]
        event[name] = [] if first.startswith("[") else {} if first.startswith("{") else SAMPLE[first]
    if m.name == "status":
        event["status"] = "paused" if step % 2 else "running"  # transitions the loop may announce
    return event


def stored(run):
    """{type: [payloads]} of the run's history rows, oldest first."""
    out = {}
    for kind, payload in RunEvent.objects.filter(run=run).order_by("seq").values_list("type", "payload"):
        out.setdefault(kind, []).append(payload)
    return out


@pytest.mark.django_db
def test_each_declared_retention_is_stored_as_declared():
    run = Run.objects.create(spec=make_spec(), status=RunStatus.RUNNING)
    publisher = pub.RunPublisher(run.id, interval=60)  # not started: only the flushes below
    for step in (1, 2):
        for m in PUBLISHED:
            publisher.emit(sample(m, step))
    publisher.flush()
    run.refresh_from_db()
    rows = stored(run)
    for m in PUBLISHED:
        if m.retention == messages.POINTS:  # every point, merged into one message and row
            assert [[p["step"] for p in r["points"]] for r in rows[m.name]] == [[1, 2]], m.name
        elif m.retention == messages.HISTORY:  # every one, in order
            assert [r["step"] for r in rows[m.name]] == [1, 2], m.name
        else:  # the newest only; a row too where declared
            assert run.latest[m.name]["step"] == 2, m.name
            assert [r["step"] for r in rows.get(m.name, [])] == ([2] if m.rows else []), m.name
    assert set(rows) == pub.HISTORY_TYPES
    for payload in (*(p for ps in rows.values() for p in ps), *run.latest.values()):
        messages.check(payload)
    publisher.close()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", messages.names(messages.ONCE))
def test_a_type_sent_once_is_stored_with_the_flush_that_sends_it_and_the_newest_others_wait(kind):
    run = Run.objects.create(spec=make_spec(), status=RunStatus.RUNNING)
    publisher = pub.RunPublisher(run.id, interval=60)
    publisher.emit(sample(messages.declared("metrics"), 0))
    publisher.flush()  # the first store: the next LATEST picture waits LATEST_EVERY_S ...
    publisher.emit(sample(messages.declared("boundary"), 1))
    publisher.flush()
    run.refresh_from_db()
    assert "boundary" not in run.latest
    publisher.emit(sample(messages.declared(kind), 2))  # ... unless a ONCE type comes with it
    publisher.flush()
    run.refresh_from_db()
    assert run.latest[kind]["step"] == 2 and run.latest["boundary"]["step"] == 1
    publisher.close()


@pytest.mark.django_db
def test_an_undeclared_type_is_refused_wherever_it_is_handed_in():
    run = Run.objects.create(spec=make_spec(), status=RunStatus.RUNNING)
    publisher = pub.RunPublisher(run.id, interval=0)
    for kind in ("samples", "snapshot", "error"):  # not declared; declared but sent by the consumer only
        event = {"type": kind, "step": 1, "epoch": 0}
        with pytest.raises(messages.UndeclaredMessage, match=repr(kind)):
            publisher.emit(event)
        with pytest.raises(messages.UndeclaredMessage):
            publisher.announce(event)
        with pytest.raises(messages.UndeclaredMessage):
            pub.publish(run.id, [event])
        with pytest.raises(messages.UndeclaredMessage):
            pub.coalesce([sample(messages.declared("metrics"), 1), event])
    publisher.close()
    run.refresh_from_db()
    assert run.last_seq == 0 and not RunEvent.objects.filter(run=run).exists()


@pytest.mark.django_db(transaction=True)  # the publisher's timer thread writes too
def test_a_run_that_emits_an_undeclared_type_fails_saying_which(monkeypatch):
    from playground.runs import execute

    def train_with_a_new_view(spec, sink, control, **kwargs):
        sink({"type": "samples", "step": 0, "epoch": 0, "images": []})

    monkeypatch.setattr(execute, "train", train_with_a_new_view)
    run = Run.objects.create(spec=make_spec())
    execute.execute_run(str(run.id))
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "'samples' is not declared" in run.reason


STEERED = [[{"action": "pause"}], [{"action": "set", "learning_rate": 0.1}], [{"action": "resume"}]]


@pytest.mark.django_db
@pytest.mark.parametrize("training", [{"epochs": 3}, {"epochs": 2, "folds": 3}], ids=["steered", "crossval"])
def test_what_a_real_run_stores_and_its_snapshot_follow_the_declaration(training):
    spec = make_spec(**training)
    spec["dataset"]["samples"] = 100
    run = Run.objects.create(spec=spec, status=RunStatus.RUNNING)
    publisher = pub.RunPublisher(run.id, interval=0.01)
    result = train(spec, publisher, ScriptedControl(STEERED) if "folds" not in training else None, visual_interval=0)
    publisher.drain()
    publisher.close(final_messages=[{"type": "status", "status": "succeeded", "reason": None,
                                     "final": result.final, "step": result.steps}])
    run.refresh_from_db()
    rows = stored(run)
    for payload in (*(p for ps in rows.values() for p in ps), *run.latest.values()):
        messages.check(payload)
    snapshot = messages.check(build_snapshot(run.id))
    assert set(snapshot["latest"]) == set(pub.LATEST_TYPES)
    assert [p["epoch"] for p in snapshot["history"]["metrics"]] == list(range(result.epochs + 1))
    for kind, message in snapshot["latest"].items():
        assert message is None or messages.check(message)["type"] == kind


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_every_message_a_websocket_client_gets_follows_the_declaration():
    from .test_consumer import connect, create_run, is_final, receive_until

    key = await database_sync_to_async(make_session)()
    run = await create_run(key, epochs=5)
    comm = await connect(run.id, key)
    received = await receive_until(comm, is_final)
    await comm.send_json_to({"action": "explode"})  # a bad control: answered with an error
    received.append(await comm.receive_json_from(timeout=10))
    await comm.disconnect()
    assert received[0]["type"] == "snapshot" and received[-1]["type"] == "error"
    for message in received:
        messages.check(message)
