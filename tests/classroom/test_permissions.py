"""The permission matrix: every endpoint (the classroom's and the runs API) and the run websocket, for
every role, with the answer each must get. Roles (tests/classroom/conftest.py): anonymous, student
(alice, owner of the private run A), other_student (bob, classmate, owner of the shared run B), teacher
(tina, teaches their class), other_teacher (tom, another class), admin (root, staff)."""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from playground.asgi import router

from .conftest import ROLES, World, small_spec

A, B = "{run_a}", "{run_b}"
C, ASG, ALICE, BOB = "{classroom}", "{assignment}", "{alice}", "{bob}"

# (method, path, body, expected status per role in ROLES order:
#  anonymous, student, other_student, teacher, other_teacher, admin)
MATRIX = [
    # the runs API: alice's private run A
    ("GET", f"/api/runs/{A}", None, (404, 200, 404, 200, 404, 200)),
    ("POST", f"/api/runs/{A}/cancel", {}, (404, 200, 404, 200, 404, 200)),
    # bob's run B, shared with the class: classmates look, never touch
    ("GET", f"/api/runs/{B}", None, (404, 200, 200, 200, 404, 200)),
    ("POST", f"/api/runs/{B}/cancel", {}, (404, 403, 200, 200, 404, 200)),
    ("GET", "/api/runs", None, (200, 200, 200, 200, 200, 200)),
    # the editor's exports ask the same rules (visitors.visible_run); these runs kept no weights: 409
    ("GET", f"/api/runs/{A}/export/pytorch", None, (404, 409, 404, 409, 404, 409)),
    ("GET", f"/api/runs/{B}/export/onnx", None, (404, 409, 409, 409, 404, 409)),
    ("GET", "/api/blocks", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/datasets", None, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/validate", "spec", (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/datasets/preview", {"name": "circle", "samples": 50}, (200, 200, 200, 200, 200, 200)),
    ("POST", "/api/runs", "run-for-assignment", (403, 201, 201, 201, 400, 201)),
    # comments and sharing
    ("GET", f"/api/runs/{A}/comments", None, (403, 200, 404, 200, 404, 200)),
    ("POST", f"/api/runs/{A}/comments", {"text": "Try a lower learning rate"}, (403, 201, 404, 201, 404, 201)),
    ("POST", f"/api/runs/{B}/comments", {"text": "nice"}, (403, 403, 201, 201, 404, 201)),
    ("POST", f"/api/runs/{A}/share", {"shared": True}, (403, 200, 404, 404, 404, 404)),
    ("GET", f"/api/curves?runs={A}", None, (403, 200, 200, 200, 200, 200)),
    # classrooms
    ("GET", "/api/classrooms", None, (403, 200, 200, 200, 200, 200)),
    ("POST", "/api/classrooms", {"name": "8C"}, (403, 403, 403, 201, 201, 201)),
    ("GET", f"/api/classrooms/{C}", None, (403, 200, 200, 200, 404, 200)),
    ("POST", "/api/classrooms/join", {"code": "NOSUCH"}, (403, 400, 400, 400, 400, 400)),
    ("POST", f"/api/classrooms/{C}/students", {"names": ["Dan Brown"]}, (403, 403, 403, 201, 404, 201)),
    ("POST", f"/api/classrooms/{C}/students/{ALICE}/reset", {}, (403, 403, 403, 200, 404, 200)),
    ("POST", f"/api/classrooms/{C}/students/{BOB}/remove", {}, (403, 403, 403, 200, 404, 200)),
    ("POST", f"/api/classrooms/{C}/limits", {"max_steps": 1000}, (403, 403, 403, 200, 404, 200)),
    ("POST", f"/api/classrooms/{C}/assignments", "assignment", (403, 403, 403, 201, 404, 201)),
    ("GET", "/api/presets", None, (403, 403, 403, 200, 200, 200)),
    ("GET", f"/api/classrooms/{C}/gallery", None, (403, 200, 200, 200, 404, 200)),
    ("GET", f"/api/classrooms/{C}/spotlight", None, (403, 200, 200, 200, 404, 200)),
    ("POST", f"/api/classrooms/{C}/spotlight", {"run": A}, (403, 403, 403, 200, 404, 200)),
    # assignments
    ("GET", f"/api/assignments/{ASG}", None, (403, 200, 200, 200, 404, 200)),
    ("GET", f"/api/assignments/{ASG}/mine", None, (403, 200, 200, 200, 404, 200)),
    ("GET", f"/api/assignments/{ASG}/class", None, (403, 404, 404, 200, 404, 200)),
    ("GET", f"/api/assignments/{ASG}/leaderboard", None, (403, 404, 404, 200, 404, 200)),
    ("GET", f"/api/assignments/{ASG}/results.csv", None, (403, 404, 404, 200, 404, 200)),
    # the admin's
    ("GET", "/api/admin/overview", None, (403, 403, 403, 403, 403, 200)),
    ("GET", "/api/admin/limits", None, (403, 403, 403, 403, 403, 200)),
    ("POST", "/api/admin/limits", {"role": "student", "max_steps": 50000}, (403, 403, 403, 403, 403, 200)),
    ("POST", f"/api/admin/runs/{A}/cancel", {}, (403, 403, 403, 403, 403, 200)),
    ("POST", f"/api/admin/runs/{A}/requeue", {}, (403, 403, 403, 403, 403, 201)),
    # pages (302: to the login page)
    ("GET", "/classroom/", None, (302, 200, 200, 200, 200, 200)),
    ("GET", f"/classroom/{C}/", None, (302, 200, 200, 200, 404, 200)),
    ("GET", f"/classroom/{C}/projector", None, (302, 200, 200, 200, 404, 200)),
    ("GET", f"/classroom/{C}/credentials.csv", None, (302, 404, 404, 200, 404, 200)),
    ("GET", f"/assignments/{ASG}/", None, (302, 200, 200, 200, 404, 200)),
    ("GET", "/admin-dashboard/", None, (302, 403, 403, 403, 403, 200)),
    ("GET", "/accounts/password/", None, (302, 200, 200, 200, 200, 200)),
    ("GET", "/admin/classroom/classroom/", None, (302, 302, 302, 302, 302, 200)),
    ("GET", "/admin/runs/run/", None, (302, 302, 302, 302, 302, 200)),
    ("GET", "/admin/runs/workerheartbeat/", None, (302, 302, 302, 302, 302, 200)),
]


def fill(text, w: World):
    return (text.replace(A, str(w.run_alice.id)).replace(B, str(w.run_bob.id))
            .replace(C, str(w.classroom.id)).replace(ASG, str(w.assignment.id))
            .replace(ALICE, str(w.users["student"].id)).replace(BOB, str(w.users["other_student"].id)))


def body_for(kind, w):
    if kind == "run-for-assignment":
        return {**small_spec(), "assignment": w.assignment.id}
    if kind == "spec":
        return small_spec()
    if kind == "assignment":
        return {"title": "XOR", "preset": small_spec(), "target": {"metric": "test_accuracy", "threshold": 0.9}}
    return kind


CASES = [pytest.param(method, path, body, role, expected[i], id=f"{method} {path} as {role}")
         for method, path, body, expected in MATRIX for i, role in enumerate(ROLES)]


@pytest.mark.django_db
@pytest.mark.parametrize("method,path,body,role,expected", CASES)
def test_endpoint_answers_each_role_as_expected(world, method, path, body, role, expected):
    client = world.client(role)
    url = fill(path, world)
    if method == "GET":
        response = client.get(url)
    else:
        payload = body_for(body, world)
        response = client.post(url, data=fill(json.dumps(payload), world), content_type="application/json")
    assert response.status_code == expected, response.content[:300]
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        assert response.json()["errors"][0]["message"]  # a clear message, in the API's shape


@pytest.mark.django_db
def test_with_anonymous_use_off_only_accounts_reach_the_runs_api(world, settings):
    settings.PLAYGROUND_ALLOW_ANONYMOUS = False
    assert world.client("anonymous").get("/api/runs").status_code == 403
    assert world.client("anonymous").post("/api/runs", data=json.dumps(small_spec()),
                                          content_type="application/json").status_code == 403
    assert world.client("student").get(f"/api/runs/{world.run_alice.id}").status_code == 200


@pytest.mark.django_db
def test_curves_leave_out_runs_the_visitor_may_not_see(world):
    url = f"/api/curves?runs={world.run_alice.id},{world.run_bob.id}"
    assert set(world.client("other_student").get(url).json()["curves"]) == {str(world.run_bob.id)}
    assert set(world.client("other_teacher").get(url).json()["curves"]) == set()
    assert len(world.client("teacher").get(url).json()["curves"]) == 2


@pytest.mark.django_db
def test_posts_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["teacher"])
    response = client.post("/api/classrooms", data=json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["errors"][0]["message"]


# --- the websocket ------------------------------------------------------------------------------

WS_MATRIX = [
    # run, expected per role: "open" (snapshot sent) or the close code
    ("run_alice", ("4404", "open", "4404", "open", "4404", "open")),
    ("run_bob", ("4404", "open", "open", "open", "4404", "open")),
]
WS_CASES = [pytest.param(run, role, expected[i], id=f"ws {run} as {role}")
            for run, expected in WS_MATRIX for i, role in enumerate(ROLES)]


def _session_cookie(world, role):
    client = world.client(role)
    if role == "anonymous":
        client.get("/")  # an anonymous session of its own
    cookie = client.cookies.get("sessionid")
    return cookie.value if cookie else ""


async def _connect(world, role, run=None, path=None):
    key = await database_sync_to_async(_session_cookie)(world, role)
    comm = WebsocketCommunicator(router, path or f"/ws/runs/{run.id}/",
                                 headers=[(b"cookie", f"sessionid={key}".encode()), (b"origin", b"http://testserver")])
    connected, _ = await comm.connect()
    assert connected
    return comm


async def _outcome(comm):
    first = await comm.receive_output(timeout=10)
    if first["type"] == "websocket.close":
        return str(first["code"])
    assert json.loads(first["text"])["type"] in ("snapshot", "subscribed")
    return "open"


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("run_name,role,expected", WS_CASES)
async def test_websocket_answers_each_role_as_expected(world, run_name, role, expected):
    comm = await _connect(world, role, getattr(world, run_name))
    try:
        assert await _outcome(comm) == expected
    finally:
        await comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_classmate_watching_a_shared_run_cannot_control_it(world):
    comm = await _connect(world, "student", world.run_bob)
    try:
        assert await _outcome(comm) == "open"
        await comm.send_json_to({"action": "pause"})
        answer = await comm.receive_json_from(timeout=10)
        assert answer["type"] == "error" and "only its owner or teacher" in answer["errors"][0]["message"]
    finally:
        await comm.disconnect()


CLASS_CASES = [pytest.param(role, expected, id=f"ws class view as {role}")
               for role, expected in zip(ROLES, ("4403", "4404", "4404", "open", "4404", "open"))]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("role,expected", CLASS_CASES)
async def test_the_class_websocket_answers_each_role_as_expected(world, role, expected):
    comm = await _connect(world, role, path=f"/ws/assignments/{world.assignment.id}/")
    try:
        assert await _outcome(comm) == expected
    finally:
        await comm.disconnect()
