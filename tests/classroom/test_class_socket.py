"""The class websocket: one socket brings the teacher every active run's points and statuses."""
import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from playground.asgi import router
from playground.classroom import consumers
from playground.runs.dispatch import submit
from playground.runs.models import Run
from playground.runs.notify import remember_server_loop

from .conftest import small_spec

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _teacher_cookie(world):
    client = world.client("teacher")
    return client.cookies["sessionid"].value


@database_sync_to_async
def _start_run(world, owner_role, epochs):
    run = Run.objects.create(owner=world.users[owner_role], assignment=world.assignment, spec=small_spec(epochs=epochs))
    submit(run)  # outside a transaction: onto the embedded pool at once
    return str(run.id)


async def test_a_run_started_after_the_teacher_connected_streams_its_points_and_final_status(world, monkeypatch):
    monkeypatch.setattr(consumers, "RESYNC_S", 0.1)  # pick up new runs quickly
    remember_server_loop(asyncio.get_running_loop())  # this test's loop is the embedded server's
    key = await database_sync_to_async(_teacher_cookie)(world)
    comm = WebsocketCommunicator(router, f"/ws/assignments/{world.assignment.id}/",
                                 headers=[(b"cookie", f"sessionid={key}".encode()), (b"origin", b"http://testserver")])
    connected, _ = await comm.connect()
    assert connected
    assert (await comm.receive_json_from(timeout=10)) == {"type": "subscribed", "runs": []}
    alice_run = await _start_run(world, "student", epochs=200)
    seen, kinds = [], set()
    try:
        while True:
            message = await comm.receive_json_from(timeout=60)
            assert message["run"] == alice_run and message["type"] in ("metrics", "status")
            seen.append(message)
            kinds.add(message["type"])
            if message["type"] == "status" and message["status"] in ("succeeded", "failed", "cancelled"):
                break
    finally:
        await comm.disconnect()
    assert seen[-1]["status"] == "succeeded" and seen[-1]["final"]["test_loss"] > 0
    points = [p for m in seen if m["type"] == "metrics" for p in m["points"]]
    assert points and all(len(p) == 3 for p in points)  # [epoch, train_loss, test_loss]: small
    assert points[-1][0] == 200
    seqs = [m["seq"] for m in seen]
    assert seqs == sorted(seqs)


async def test_a_teacher_stopping_a_run_over_its_websocket_is_recorded_as_the_teacher(world):
    run = await database_sync_to_async(Run.objects.create)(owner=world.users["student"], assignment=world.assignment,
                                                           spec=small_spec())  # queued, never submitted
    key = await database_sync_to_async(_teacher_cookie)(world)
    comm = WebsocketCommunicator(router, f"/ws/runs/{run.id}/",
                                 headers=[(b"cookie", f"sessionid={key}".encode()), (b"origin", b"http://testserver")])
    connected, _ = await comm.connect()
    assert connected
    try:
        assert (await comm.receive_json_from(timeout=10))["type"] == "snapshot"
        await comm.send_json_to({"action": "stop"})
        status = await comm.receive_json_from(timeout=10)
        assert status["type"] == "status" and status["status"] == "cancelled"
    finally:
        await comm.disconnect()
    run = await database_sync_to_async(Run.objects.get)(id=run.id)
    assert run.reason == "stopped by the teacher"
