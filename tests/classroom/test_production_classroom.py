"""The classroom in the production shape: Redis as broker and channel layer, PostgreSQL, a separate
Celery worker (one slot) and daphne. The fair scheduler works through Celery's queue: each submit is a
token, the worker starts the fairest queued run; the worker's heartbeat reaches the admin dashboard;
the websocket refuses another student's run. Under CI=true these run, never skip."""
import json
import os
import time
import urllib.parse
import urllib.request
import uuid

import psycopg
import pytest
import redis
from websockets.exceptions import ConnectionClosed

from tests.conftest import make_spec
from tests.support.live import Processes, WebClient, require

pytestmark = pytest.mark.production

# A Redis database of its own (11): db 9 is the runs' production tests', 10 the benchmarks'.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/11"
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "fair-share-of-workers-3"


@pytest.fixture(scope="module")
def production():
    require("Redis", lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb())
    require("PostgreSQL", lambda: psycopg.connect(PG_ADMIN, connect_timeout=3).close())
    db_name = f"playground_classroom_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    procs = Processes({"REDIS_URL": REDIS_URL, "DATABASE_URL": f"{PG_ADMIN.rsplit('/', 1)[0]}/{db_name}",
                       "OMP_NUM_THREADS": "1"})
    try:
        procs.manage("migrate", "--noinput")
        for name in ("alice", "bob"):
            procs.manage("classroom_user", name, "--password", PASSWORD)
        procs.manage("classroom_user", "tina", "--teacher", "--password", PASSWORD)
        procs.manage("classroom_user", "root", "--admin", "--password", PASSWORD)
        procs.start_worker("cpu", concurrency=1)
        yield procs.start_web()
    finally:
        procs.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def logged_in(base, username):
    client = WebClient(base)
    client.status("/accounts/login/")  # the csrftoken cookie
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrfmiddlewaretoken": client.cookie("csrftoken")}).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=form, method="POST",
                                     headers={"Referer": base + "/accounts/login/"})
    client.opener.open(request, timeout=30)
    client._first_visit = True
    assert client.cookie("sessionid"), f"{username} could not log in"
    return client


def wait_final(client, run_id, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}")
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def test_a_burst_from_one_student_does_not_starve_another_on_a_celery_worker(production):
    alice, bob = logged_in(production, "alice"), logged_in(production, "bob")
    alice_runs = []
    for _ in range(5):  # the default student quota: 5 at once
        status, run = alice.post("/api/runs", make_spec(epochs=150))
        assert status == 201, run
        alice_runs.append(run["id"])
    status, refused = alice.post("/api/runs", make_spec(epochs=150))
    assert status == 429 and "your limit is 5" in refused["errors"][0]["message"]
    status, bob_run = bob.post("/api/runs", make_spec(epochs=150))
    assert status == 201
    queued = bob.get(f"/api/runs/{bob_run['id']}")
    if queued["status"] == "queued":
        assert queued["queue_position"]["ahead"] == 0  # the next one the worker starts is bob's

    bob_done = wait_final(bob, bob_run["id"])
    assert bob_done["status"] == "succeeded", bob_done["reason"]
    starts = sorted(s for s in (alice.get(f"/api/runs/{i}")["started_at"] for i in alice_runs) if s)
    alice_first = [s for s in starts if s < bob_done["started_at"]]
    assert len(alice_first) <= 2, f"bob's run started after {len(alice_first)} of alice's: not fair"

    # the websocket: bob may not watch alice's run
    with bob.websocket(f"/ws/runs/{alice_runs[-1]}/") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4404

    # the admin sees the worker (its heartbeat), the queue, and can cancel what is left
    root = logged_in(production, "root")
    deadline = time.monotonic() + 30
    while not (workers := root.get("/api/admin/overview")["workers"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert any("cpu" in w["queues"] and w["concurrency"] == 1 for w in workers), workers
    for run_id in alice_runs:
        status, _ = root.post(f"/api/admin/runs/{run_id}/cancel", {})
        assert status == 200


def test_the_admin_forbids_gpu_runs_for_students_with_a_clear_message(production):
    root = logged_in(production, "root")
    status, _ = root.post("/api/admin/limits", {"role": "student", "gpu_allowed": False})
    assert status == 200
    status, body = logged_in(production, "alice").post("/api/runs", make_spec(epochs=2, device="cuda"))
    assert status == 400 and "GPU runs are not allowed" in body["errors"][0]["message"]
    assert body["errors"][0]["path"] == "training.device"


def test_the_teachers_class_socket_streams_a_students_run_through_redis(production):
    tina, alice = logged_in(production, "tina"), logged_in(production, "alice")
    status, classroom = tina.post("/api/classrooms", {"name": "7C"})
    assert status == 201
    status, assignment = tina.post(f"/api/classrooms/{classroom['id']}/assignments",
                                   {"title": "Spiral", "preset": make_spec(epochs=600)})
    assert status == 201
    status, _ = alice.post("/api/classrooms/join", {"code": classroom["join_code"]})
    assert status == 200
    with tina.websocket(f"/ws/assignments/{assignment['id']}/") as ws:
        assert json.loads(ws.recv(timeout=10)) == {"type": "subscribed", "runs": []}
        # long enough that the socket (re-checking every second) joins while it trains
        status, run = alice.post("/api/runs", {**make_spec(epochs=600), "assignment": assignment["id"]})
        assert status == 201
        messages = []
        while not (messages and messages[-1]["type"] == "status" and messages[-1]["status"] in ("succeeded", "failed", "cancelled")):
            messages.append(json.loads(ws.recv(timeout=120)))
    assert {m["run"] for m in messages} == {run["id"]}
    assert messages[-1]["status"] == "succeeded"
    assert any(m["type"] == "metrics" and m["points"] for m in messages)
    # bob, not in the class and no teacher, is refused
    with logged_in(production, "bob").websocket(f"/ws/assignments/{assignment['id']}/") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4404
