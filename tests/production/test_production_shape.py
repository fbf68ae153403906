"""The production shape, for real: Redis as broker and channel layer, PostgreSQL, a separate
`celery -A playground worker -Q cpu` process and daphne, talked to over HTTP and a websocket.

Under CI=true these run, never skip: a missing Redis or PostgreSQL is a failure.
"""
import json
import os
import uuid

import psycopg
import pytest
import redis

from tests.conftest import make_spec
from tests.support.live import Processes, WebClient, require

pytestmark = pytest.mark.production

# A Redis database of its own (index 9), emptied first: no other worker shares its `cpu` queue.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/9"
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="module")
def production():
    require("Redis", lambda: redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb())
    require("PostgreSQL", lambda: psycopg.connect(PG_ADMIN, connect_timeout=3).close())
    db_name = f"playground_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    base_url = PG_ADMIN.rsplit("/", 1)[0]
    env = {"REDIS_URL": REDIS_URL, "DATABASE_URL": f"{base_url}/{db_name}"}
    procs = Processes(env)
    try:
        procs.manage("migrate", "--noinput")
        procs.start_worker("cpu")
        base = procs.start_web()
        yield base
    finally:
        procs.stop()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def test_healthz_reports_the_production_shape(production):
    health = WebClient(production).get("/healthz")
    assert health == {"ok": True, "mode": "production", "database": "postgresql", "broker": "redis"}


def test_a_separate_worker_trains_a_run_and_the_websocket_streams_it(production):
    client = WebClient(production)
    status, run = client.post("/api/runs", make_spec(epochs=40))
    assert status == 201 and run["status"] == "queued"
    messages = client.websocket_until_final(f"/ws/runs/{run['id']}/")
    types = [m["type"] for m in messages]
    assert types[0] == "snapshot"
    assert {"status", "metrics", "gradients", "boundary", "neurons"} <= set(types)
    assert messages[-1]["type"] == "status" and messages[-1]["status"] == "succeeded"
    epochs = [p["epoch"] for p in messages[0]["history"]["metrics"]]
    epochs += [p["epoch"] for m in messages if m["type"] == "metrics" for p in m["points"]]
    assert epochs == list(range(41))  # nothing lost, nothing twice, across snapshot + live

    detail = client.get(f"/api/runs/{run['id']}")
    assert detail["status"] == "succeeded" and isinstance(detail["final"]["test_loss"], float)
    late = client.websocket_messages(f"/ws/runs/{run['id']}/", count=1)
    assert late[0]["type"] == "snapshot" and late[0]["status"] == "succeeded"


def test_stop_reaches_the_separate_worker(production):
    client = WebClient(production)
    _, run = client.post("/api/runs", make_spec(epochs=10_000))
    client.websocket_until(f"/ws/runs/{run['id']}/", lambda m: m["type"] == "metrics" and m["epoch"] >= 3)
    status, _ = client.post(f"/api/runs/{run['id']}/cancel", {})
    assert status == 200
    messages = client.websocket_until_final(f"/ws/runs/{run['id']}/", timeout=10)
    assert messages[-1]["status"] == "cancelled"
    assert client.get(f"/api/runs/{run['id']}")["final"]["epochs"] < 10_000


def test_bad_input_is_a_400_in_the_production_shape_too(production):
    client = WebClient(production)
    status, body = client.post("/api/runs", raw="{not json")
    assert status == 400 and body["errors"]
    spec = make_spec()
    spec["network"]["edges"].append(["a2", "h1"])
    status, body = client.post("/api/runs", spec)
    assert status == 400 and "cycle" in json.dumps(body)


def test_a_cuda_run_waits_on_the_gpu_queue_not_the_cpu_workers(production):
    client = WebClient(production)
    status, run = client.post("/api/runs", make_spec(epochs=5, device="cuda"))
    assert status == 201 and run["queue"] == "gpu"
    queued = redis.Redis.from_url(REDIS_URL).llen("gpu")
    assert queued == 1  # on Redis, for a `-Q gpu` worker; the cpu worker leaves it alone
    assert client.get(f"/api/runs/{run['id']}")["status"] == "queued"
    status, cancelled = client.post(f"/api/runs/{run['id']}/cancel", {})
    assert cancelled["status"] == "cancelled"
