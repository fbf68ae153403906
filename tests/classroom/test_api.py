"""The classroom API and the runs API's classroom rules, as teachers and students use them."""
import csv
import io
import json

import pytest
from django.test import Client

from playground.classroom.models import Classroom, Comment, InstanceLimits, Membership
from playground.runs.models import Run, RunStatus

from .conftest import PASSWORD, finished_run, small_spec

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def message(response):
    return response.json()["errors"][0]["message"]


# --- quotas ---------------------------------------------------------------------------------------

def test_it_refuses_a_run_over_the_teachers_step_limit_and_names_it(world):
    world.classroom.max_steps = 50
    world.classroom.save()
    r = post(world.client("student"), "/api/runs", small_spec(epochs=20))  # 20 epochs × 5 batches = 100 steps
    assert r.status_code == 400
    assert "100 steps" in message(r) and "limit is 50" in message(r) and "teacher" in message(r)
    assert r.json()["errors"][0]["path"] == "training.epochs"
    assert post(world.client("student"), "/api/runs", small_spec(epochs=10)).status_code == 201


def test_it_refuses_more_concurrent_runs_than_allowed_with_429(world):
    InstanceLimits.objects.create(role="student", max_concurrent_runs=2)
    client = world.client("student")
    assert post(client, "/api/runs", small_spec()).status_code == 201
    assert post(client, "/api/runs", small_spec()).status_code == 201
    r = post(client, "/api/runs", small_spec())
    assert r.status_code == 429 and "2 runs queued or training" in message(r) and "the instance" in message(r)


def test_it_refuses_too_many_parameters_too_big_a_dataset_and_gpu(world):
    InstanceLimits.objects.create(role="student", max_params=50, max_samples=80, gpu_allowed=False)
    client = world.client("student")
    r = post(client, "/api/runs", small_spec())
    assert r.status_code == 400 and "parameters; your limit is 50" in message(r)
    InstanceLimits.objects.filter(role="student").update(max_params=None)
    r = post(client, "/api/runs", small_spec())
    assert r.status_code == 400 and "100 points; your limit is 80" in message(r)
    assert r.json()["errors"][0]["path"] == "dataset.samples"


def test_admins_have_no_quotas(world):
    InstanceLimits.objects.create(role="student", max_steps=1)
    InstanceLimits.objects.create(role="teacher", max_steps=1)
    assert post(world.client("admin"), "/api/runs", small_spec()).status_code == 201


def test_a_teacher_cannot_loosen_the_admins_limits(world):
    InstanceLimits.objects.create(role="student", max_steps=1000, gpu_allowed=False)
    client = world.client("teacher")
    r = post(client, f"/api/classrooms/{world.classroom.id}/limits", {"max_steps": 5000})
    assert r.status_code == 400 and "at most 1,000" in message(r)
    r = post(client, f"/api/classrooms/{world.classroom.id}/limits", {"gpu_allowed": True})
    assert r.status_code == 400 and "does not allow GPU" in message(r)
    r = post(client, f"/api/classrooms/{world.classroom.id}/limits", {"max_steps": 500})
    assert r.status_code == 200 and r.json()["limits"]["max_steps"] == 500


# --- assignments ------------------------------------------------------------------------------------

def test_a_run_for_an_assignment_must_keep_the_locked_and_hidden_controls(world):
    client = world.client("student")
    spec = small_spec()
    spec["dataset"]["name"] = "xor"  # dataset is locked
    r = post(client, "/api/runs", {**spec, "assignment": world.assignment.id})
    assert r.status_code == 400 and "fixes dataset" in message(r) and r.json()["errors"][0]["path"] == "dataset.name"
    spec = small_spec()
    spec["dataset"]["noise"] = 0.4  # noise is hidden
    assert post(client, "/api/runs", {**spec, "assignment": world.assignment.id}).status_code == 400
    spec = small_spec(learning_rate=0.1)  # free to change
    r = post(client, "/api/runs", {**spec, "assignment": world.assignment.id})
    assert r.status_code == 201 and r.json()["assignment"] == world.assignment.id
    assert Run.objects.get(id=r.json()["id"]).params == r.json()["params"] > 0


def test_a_queued_run_says_how_many_runs_start_before_it(world):
    client = world.client("student")
    Run.objects.create(owner=world.users["other_student"], spec=small_spec())  # bob queued first, has run nothing
    r = post(client, "/api/runs", small_spec())
    assert r.json()["queue_position"]["ahead"] >= 0
    detail = client.get(f"/api/runs/{r.json()['id']}").json()
    assert detail["status"] == "queued" and detail["queue_position"]["ahead"] == 1


def test_it_creates_an_assignment_and_explains_a_bad_preset(world):
    client = world.client("teacher")
    url = f"/api/classrooms/{world.classroom.id}/assignments"
    bad = small_spec()
    bad["training"]["learning_rate"] = -1
    r = post(client, url, {"title": "x", "preset": bad})
    assert r.status_code == 400 and r.json()["errors"][0]["path"].startswith("preset.training.learning_rate")
    r = post(client, url, {"title": "x", "preset": small_spec(), "locked": ["nonsense"]})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == "locked"
    r = post(client, url, {"title": "Circle", "preset": small_spec(), "due_at": "2026-12-01T09:00:00Z",
                           "target": {"metric": "test_loss", "threshold": 0.2, "max_params": 100}, "hidden": ["epochs"]})
    assert r.status_code == 201
    body = r.json()
    assert body["target"] == {"metric": "test_loss", "comparison": "<=", "threshold": 0.2, "max_params": 100}
    assert body["hidden"] == ["epochs"] and body["preset"]["training"]["optimizer"] == "sgd"
    student_view = world.client("student").get(f"/api/assignments/{body['id']}").json()
    assert student_view["preset"] == body["preset"]


def test_leaderboard_ranks_by_the_target_metric_then_fewer_parameters_with_the_diff(world):
    carol = Membership.objects.create(classroom=world.classroom, student=world.users["other_teacher"]).student
    dan_run = finished_run(carol, world.assignment, accuracy=0.95, params=40)  # bob has 0.95 with 97 params
    dan_run.spec["training"]["learning_rate"] = 0.3
    dan_run.save()
    board = world.client("teacher").get(f"/api/assignments/{world.assignment.id}/leaderboard").json()["leaderboard"]
    assert [row["owner"] for row in board] == ["tom", "bob", "alice"]
    assert board[0]["diff"] == [{"path": "training.learning_rate", "preset": 0.03, "run": 0.3}]
    assert board[0]["meets_target"] is True and board[2]["meets_target"] is False


def test_results_csv_has_a_row_per_student_with_their_best(world):
    r = world.client("teacher").get(f"/api/assignments/{world.assignment.id}/results.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [row["username"] for row in rows] == ["alice", "bob"]
    assert rows[1]["best_test_accuracy"] == "0.95" and rows[1]["meets_target"] == "True"


def test_the_class_view_shows_each_students_latest_run(world):
    newer = finished_run(world.users["student"], world.assignment, accuracy=0.5)
    body = world.client("teacher").get(f"/api/assignments/{world.assignment.id}/class").json()
    runs = {s["username"]: s["run"] for s in body["students"]}
    assert runs["alice"]["id"] == str(newer.id) and runs["alice"]["metric"] == 0.5
    assert runs["bob"]["id"] == str(world.run_bob.id)


# --- students, sharing, comments ----------------------------------------------------------------------

def test_bulk_created_students_get_working_credentials_once(world, settings):
    client = world.client("teacher")
    r = post(client, f"/api/classrooms/{world.classroom.id}/students", {"names": "Dan Brown\nEve\n"})
    assert r.status_code == 201
    created = r.json()["students"]
    assert [s["username"] for s in created] == ["dan.brown", "eve"]
    sheet = client.get(r.json()["csv"]).content.decode()
    assert created[0]["password"] in sheet and "dan.brown" in sheet
    assert "dan.brown" in client.get(r.json()["print"]).content.decode()
    login = Client().post("/accounts/login/", {"username": "eve", "password": created[1]["password"]})
    assert login.status_code == 302
    assert Classroom.objects.get(id=world.classroom.id).memberships.count() == 4


def test_reset_password_and_remove_student(world):
    client = world.client("teacher")
    alice = world.users["student"]
    new = post(client, f"/api/classrooms/{world.classroom.id}/students/{alice.id}/reset", {}).json()["password"]
    assert Client().login(username="alice", password=new)
    assert post(client, f"/api/classrooms/{world.classroom.id}/students/{alice.id}/remove", {}).status_code == 200
    alice.refresh_from_db()  # the new password hash: a session for the old one would be logged out
    assert world.client("student").get(f"/api/classrooms/{world.classroom.id}").status_code == 404
    # the teacher's own account is not reset from the class
    Membership.objects.create(classroom=world.classroom, student=world.users["other_teacher"])
    r = post(client, f"/api/classrooms/{world.classroom.id}/students/{world.users['other_teacher'].id}/reset", {})
    assert r.status_code == 403


def test_a_student_joins_with_the_code(world):
    client = world.client("other_teacher")
    r = post(client, "/api/classrooms/join", {"code": world.classroom.join_code.lower()})
    assert r.status_code == 200 and r.json()["name"] == "7A"
    assert world.classroom.memberships.filter(student=world.users["other_teacher"]).exists()


def test_sharing_lets_classmates_look(world):
    bob = world.client("other_student")
    url = f"/api/runs/{world.run_alice.id}"
    assert bob.get(url).status_code == 404
    assert post(world.client("student"), f"{url}/share", {"shared": True}).status_code == 200
    assert bob.get(url).status_code == 200
    gallery = bob.get(f"/api/classrooms/{world.classroom.id}/gallery").json()["runs"]
    assert {r["id"] for r in gallery} == {str(world.run_alice.id), str(world.run_bob.id)}


def test_a_teachers_comment_reaches_the_student(world):
    r = post(world.client("teacher"), f"/api/runs/{world.run_alice.id}/comments", {"text": "Fewer units?"})
    assert r.status_code == 201
    mine = world.client("student").get(f"/api/assignments/{world.assignment.id}/mine").json()["runs"]
    assert mine[0]["comments"][0] == {**mine[0]["comments"][0], "author": "tina", "text": "Fewer units?"}


def test_spotlight_shares_the_run_with_the_class(world):
    r = post(world.client("teacher"), f"/api/classrooms/{world.classroom.id}/spotlight", {"run": str(world.run_alice.id)})
    assert r.status_code == 200
    assert world.client("other_student").get(f"/api/classrooms/{world.classroom.id}/spotlight").json()["run"] == str(world.run_alice.id)
    assert world.client("other_student").get(f"/api/runs/{world.run_alice.id}").status_code == 200
    other = finished_run(world.users["other_teacher"], None)
    r = post(world.client("teacher"), f"/api/classrooms/{world.classroom.id}/spotlight", {"run": str(other.id)})
    assert r.status_code == 400


def test_a_teacher_stops_a_students_run_and_the_reason_says_so(world):
    run = Run.objects.create(owner=world.users["student"], assignment=world.assignment, spec=small_spec())
    r = post(world.client("teacher"), f"/api/runs/{run.id}/cancel", {})
    assert r.json()["status"] == "cancelled" and r.json()["reason"] == "stopped by the teacher"


# --- admin ------------------------------------------------------------------------------------------

def test_admin_overview_requeue_and_limits(world):
    admin = world.client("admin")
    queued = Run.objects.create(owner=world.users["student"], assignment=world.assignment, spec=small_spec())
    overview = admin.get("/api/admin/overview").json()
    assert overview["queues"]["cpu"]["depth"] == 1 and overview["queues"]["cpu"]["next"] == [str(queued.id)]
    assert overview["runs_last_hour"]["succeeded"] == 2
    assert overview["workers"][0]["name"].startswith("embedded@") and overview["workers"][0]["concurrency"] >= 1
    assert overview["classrooms"][0]["name"] == "7A" and overview["classrooms"][0]["active"] == 1
    r = post(admin, f"/api/admin/runs/{world.run_alice.id}/requeue", {})
    assert r.status_code == 201 and r.json()["requeued_from"] == str(world.run_alice.id)
    copy = Run.objects.get(id=r.json()["id"])
    assert copy.status == RunStatus.QUEUED and copy.spec == world.run_alice.spec and copy.owner == world.users["student"]
    assert post(admin, f"/api/admin/runs/{queued.id}/cancel", {}).json()["reason"] == "cancelled by an admin"
    r = post(admin, "/api/admin/limits", {"role": "student", "max_steps": 0})
    assert r.status_code == 400
    r = post(admin, "/api/admin/limits", {"role": "student", "max_steps": 777})
    assert r.json()["limits"]["student"]["max_steps"] == 777


# --- accounts -----------------------------------------------------------------------------------------

def test_login_is_rate_limited_per_username(world):
    for _ in range(5):
        assert Client().post("/accounts/login/", {"username": "alice", "password": "wrong"}).status_code == 400
    blocked = Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert blocked.status_code == 429 and b"Too many failed logins" in blocked.content
    assert Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_register_uses_djangos_password_validators_and_joins_by_code(world):
    r = Client().post("/accounts/register/", {"username": "zoe", "password": "password", "password2": "password"})
    assert r.status_code == 400 and b"too common" in r.content
    r = Client().post("/accounts/register/", {"username": "zoe", "password": PASSWORD, "password2": PASSWORD,
                                              "code": world.classroom.join_code})
    assert r.status_code == 302
    assert world.classroom.memberships.filter(student__username="zoe").exists()


def test_the_join_link_sends_a_visitor_to_register_with_the_code(world):
    r = Client().get(f"/join/{world.classroom.join_code}")
    assert r.status_code == 302 and r["Location"] == f"/accounts/register/?code={world.classroom.join_code}"
    assert Client().get("/join/NOPE00").status_code == 404


def test_steps_count_an_explicit_step_budget_and_cross_validation(world):
    from playground.classroom.quotas import run_size

    spec = small_spec(epochs=20)  # 100 points, half for training, batches of 10: 5 a epoch
    assert run_size(spec) == (100, 100)
    spec["training"]["steps"] = 30
    assert run_size(spec) == (30, 100)
    spec["training"]["folds"] = 4
    assert run_size(spec) == (150, 100)


def test_csv_cells_never_start_a_formula(world):
    client = world.client("teacher")
    r = post(client, f"/api/classrooms/{world.classroom.id}/students", {"names": ["=HYPERLINK(\"http://x\")"]})
    sheet = client.get(r.json()["csv"]).content.decode()
    assert "'=HYPERLINK" in sheet
    results = client.get(f"/api/assignments/{world.assignment.id}/results.csv").content.decode()
    assert "'=HYPERLINK" in results


def test_presets_offer_the_classic_setups_and_the_lessons_library_all_valid(world):
    presets = world.client("teacher").get("/api/presets").json()["presets"]
    names = [p["name"] for p in presets]
    assert "circle: one hidden layer of 4" in names
    assert any(n.startswith("lesson: ") for n in names)
    lesson = next(p for p in presets if p["name"].startswith("lesson: "))
    r = post(world.client("teacher"), f"/api/classrooms/{world.classroom.id}/assignments",
             {"title": lesson["name"], "preset": lesson["spec"]})
    assert r.status_code == 201


def test_meeting_the_target_needs_the_threshold_and_the_parameter_budget(world):
    from playground.classroom.api import meets_target

    a, run = world.assignment, world.run_bob  # test accuracy 0.95, 97 parameters; target ≥ 0.9
    assert meets_target(a, run) is True
    a.target_max_params = 50
    assert meets_target(a, run) is False
    a.target_threshold = None
    a.target_max_params = None
    assert meets_target(a, run) is None  # no target: nothing to meet
    a.target_max_params = 100
    assert meets_target(a, run) is True


def test_a_student_changes_the_printed_password(world):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "my-own-secret-42",
                                            "new_password2": "my-own-secret-42"})
    assert r.status_code == 302
    assert Client().login(username="alice", password="my-own-secret-42")
    r = client.post("/accounts/password/", {"old_password": "my-own-secret-42", "new_password1": "123",
                                            "new_password2": "123"})
    assert r.status_code == 200 and b"too short" in r.content


def test_the_credentials_sheet_is_gone_after_an_hour(world, monkeypatch):
    from playground.classroom import views

    client = world.client("teacher")
    r = post(client, f"/api/classrooms/{world.classroom.id}/students", {"names": ["Dan"]})
    assert b"dan" in client.get(r.json()["csv"]).content
    monkeypatch.setattr(views, "CREDENTIALS_KEPT_S", -1)
    assert b"dan" not in client.get(r.json()["csv"]).content


def test_a_stopped_run_with_metrics_counts_on_the_leaderboard_a_failed_one_not(world):
    stopped = finished_run(world.users["student"], world.assignment, accuracy=0.99)
    Run.objects.filter(id=stopped.id).update(status=RunStatus.CANCELLED)
    failed = finished_run(world.users["other_student"], world.assignment, accuracy=1.0)
    Run.objects.filter(id=failed.id).update(status=RunStatus.FAILED)
    board = world.client("teacher").get(f"/api/assignments/{world.assignment.id}/leaderboard").json()["leaderboard"]
    assert [(row["owner"], row["id"]) for row in board] == [("alice", str(stopped.id)), ("bob", str(world.run_bob.id))]
