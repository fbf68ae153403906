"""The run websocket with Channels' WebsocketCommunicator against the real ASGI app (embedded mode)."""
import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from playground.asgi import router
from playground.runs.dispatch import submit
from playground.runs.models import Run, RunStatus
from playground.runs.notify import remember_server_loop
from tests.conftest import make_spec

from .conftest import make_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
FINAL = {"succeeded", "failed", "cancelled"}


@database_sync_to_async
def create_run(session_key, epochs=20, start=True, **training):
    run = Run.objects.create(session_key=session_key, spec=make_spec(epochs=epochs, **training))
    if start:
        submit(run)  # outside a transaction: dispatched at once, onto the embedded thread pool
    return run


async def connect(run_id, session_key):
    remember_server_loop(asyncio.get_running_loop())  # the embedded server's loop is this test's
    comm = WebsocketCommunicator(router, f"/ws/runs/{run_id}/",
                                 headers=[(b"cookie", f"sessionid={session_key}".encode()),
                                          (b"origin", b"http://testserver")])
    connected, _ = await comm.connect()
    assert connected
    return comm


async def receive_until(comm, predicate, timeout=60):
    """Collects messages until one satisfies `predicate` (included)."""
    seen = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await comm.receive_json_from(timeout=max(0.1, deadline - loop.time()))
        seen.append(message)
        if predicate(message):
            return seen


def is_final(m):
    return m["type"] == "status" and m["status"] in FINAL


async def test_it_sends_a_snapshot_then_live_messages_until_the_final_status():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, epochs=30)
    comm = await connect(run.id, key)
    messages = await receive_until(comm, is_final)
    await comm.disconnect()

    assert messages[0]["type"] == "snapshot"
    assert {"data", "history", "latest", "spec", "seq"} <= set(messages[0])
    live = messages[1:]
    types = {m["type"] for m in live}
    assert {"status", "metrics", "gradients", "boundary", "neurons", "weights"} <= types
    assert all(m["run"] == str(run.id) and "step" in m and "seq" in m for m in live)
    seqs = [m["seq"] for m in live]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) and seqs[0] > messages[0]["seq"]
    last = live[-1]
    assert last["status"] == "succeeded" and last["final"]["test_loss"] >= 0
    # every epoch's point arrives exactly once across snapshot + live messages
    epochs = [p["epoch"] for p in messages[0]["history"]["metrics"]]
    epochs += [p["epoch"] for m in live if m["type"] == "metrics" for p in m["points"]]
    assert epochs == list(range(31))


async def test_a_late_subscriber_gets_the_whole_history_in_the_snapshot():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, epochs=10)
    comm = await connect(run.id, key)
    await receive_until(comm, is_final)
    await comm.disconnect()

    again = await connect(run.id, key)
    snapshot = await again.receive_json_from(timeout=10)
    assert snapshot["type"] == "snapshot" and snapshot["status"] == "succeeded"
    assert [p["epoch"] for p in snapshot["history"]["metrics"]] == list(range(11))
    assert snapshot["latest"]["boundary"]["z"] and snapshot["final"]["test_loss"] >= 0
    assert len(snapshot["data"]["train"]) == 250
    assert await again.receive_nothing(timeout=0.3)
    await again.disconnect()


async def test_it_pauses_steps_one_epoch_changes_settings_and_stops():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, epochs=10_000)
    comm = await connect(run.id, key)
    before = await receive_until(comm, lambda m: m["type"] == "metrics" and m["epoch"] >= 2)

    await comm.send_json_to({"action": "pause"})
    # a loaded machine may pause before another epoch's metrics arrive: the last one seen counts too
    seen = before[-1:] + await receive_until(comm, lambda m: m["type"] == "status" and m["status"] == "paused")
    await asyncio.sleep(0.3)
    while not await comm.receive_nothing(timeout=0.2):  # what was in flight
        seen.append(await comm.receive_json_from())
    paused_epoch = max(m["epoch"] for m in seen if m["type"] == "metrics")
    assert await comm.receive_nothing(timeout=0.5)  # paused: nothing trains

    await comm.send_json_to({"action": "step"})
    stepped = await receive_until(comm, lambda m: m["type"] == "metrics")
    assert stepped[-1]["epoch"] == paused_epoch + 1
    assert await database_sync_to_async(lambda: Run.objects.get(id=run.id).status)() == RunStatus.PAUSED

    await comm.send_json_to({"action": "set_weight", "node": "h1", "row": 0, "col": 1, "value": 0.75})
    edited = await receive_until(comm, lambda m: m["type"] == "weights" and m["layers"]["h1"]["weight"][0][1] == 0.75, timeout=5)
    assert {"boundary", "neurons"} <= {m["type"] for m in edited}  # the pictures follow the edit

    await comm.send_json_to({"action": "set", "learning_rate": 0.2, "batch_size": 25})
    settings = await receive_until(comm, lambda m: m["type"] == "settings")
    assert settings[-1]["learning_rate"] == 0.2 and settings[-1]["batch_size"] == 25

    await comm.send_json_to({"action": "resume"})
    await receive_until(comm, lambda m: m["type"] == "status" and m["status"] == "running")
    await comm.send_json_to({"action": "stop"})
    final = await receive_until(comm, is_final, timeout=5)
    assert final[-1]["status"] == "cancelled" and final[-1]["final"]["epochs"] > paused_epoch
    await comm.disconnect()


async def test_it_answers_bad_controls_with_an_error_to_that_client_only():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, start=False)
    comm = await connect(run.id, key)
    await comm.receive_json_from()  # snapshot

    await comm.send_json_to({"action": "explode"})
    assert (await comm.receive_json_from())["type"] == "error"
    await comm.send_json_to({"action": "set", "learning_rate": -1})
    error = await comm.receive_json_from()
    assert error["type"] == "error" and "learning_rate" in error["errors"][0]["path"]
    await comm.send_json_to({"action": "set_weight", "node": "h1", "row": 0, "col": 0, "value": 1.0})
    error = await comm.receive_json_from()
    assert "pause" in error["errors"][0]["message"]
    await comm.send_to(text_data="{not json")
    assert (await comm.receive_json_from())["type"] == "error"
    await comm.disconnect()


async def test_stop_on_a_queued_run_cancels_it_at_once():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, start=False)
    comm = await connect(run.id, key)
    await comm.receive_json_from()  # snapshot
    await comm.send_json_to({"action": "stop"})
    message = await comm.receive_json_from(timeout=5)
    assert message["type"] == "status" and message["status"] == "cancelled"
    await comm.disconnect()


async def test_it_closes_with_4404_on_an_unknown_or_foreign_run():
    owner = await database_sync_to_async(make_session)()
    stranger = await database_sync_to_async(make_session)()
    run = await create_run(owner, start=False)
    for run_id, key in ((run.id, stranger), ("00000000-0000-0000-0000-000000000000", owner), ("not-a-uuid", owner)):
        comm = await connect(run_id, key)
        assert (await comm.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4404}
        await comm.disconnect()


@override_settings(PLAYGROUND_ALLOW_ANONYMOUS=False)
async def test_it_closes_with_4403_for_anonymous_visitors_when_accounts_are_required():
    key = await database_sync_to_async(make_session)()
    run = await create_run(key, start=False)
    comm = await connect(run.id, key)
    assert (await comm.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()


async def test_a_curve_fit_run_streams_the_fitted_curve_and_keeps_it_for_late_joiners():
    key = await database_sync_to_async(make_session)()
    spec = {"network": {"nodes": [{"id": "in", "type": "input"}, {"id": "w", "type": "dense", "params": {"units": 1}}],
                        "edges": [["in", "w"]]},
            "dataset": {"name": "curve_fit", "samples": 10, "degree": 3, "seed": 1},
            "training": {"solver": "closed_form"}}

    @database_sync_to_async
    def create():
        from models_core import validate_spec

        run = Run.objects.create(session_key=key, spec=validate_spec(spec).spec)
        submit(run)
        return run

    run = await create()
    comm = await connect(run.id, key)
    messages = await receive_until(comm, is_final)
    await comm.disconnect()
    assert messages[-1]["status"] == "succeeded"
    assert messages[-1]["final"]["train_rms"] < messages[-1]["final"]["test_rms"] < 0.5
    assert any(m["type"] == "curve" for m in messages)

    late = await connect(run.id, key)
    snapshot = await late.receive_json_from(timeout=10)
    assert len(snapshot["latest"]["curve"]["x"]) == len(snapshot["latest"]["curve"]["y"]) > 50
    assert len(snapshot["data"]["train"]) == 10
    await late.disconnect()
