"""The JSON API, as a browser uses it (embedded mode: the task runs on the web process's thread pool)."""
import json
import time

import pytest
from django.test import Client, override_settings

from playground.runs.models import Run, RunControl, RunEvent, RunStatus
from tests.conftest import make_spec

from .conftest import wait_for_status, wait_until_final

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, path, body, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.post(path, data=data, content_type="application/json")


def test_it_answers_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["ok"] is True
    assert r.json()["mode"] == "embedded"


def test_it_lists_blocks_with_params_bounds_and_defaults(client):
    blocks = {b["type"]: b for b in client.get("/api/blocks").json()["blocks"]}
    assert {"input", "dense", "activation"} <= set(blocks)
    units = next(p for p in blocks["dense"]["params"] if p["name"] == "units")
    assert units["min"] == 1 and units["max"] == 16 and units["default"] >= 1
    fn = next(p for p in blocks["activation"]["params"] if p["name"] == "fn")
    assert {"linear", "step", "sigmoid", "tanh", "relu"} <= set(fn["choices"])


def test_it_lists_datasets_and_features(client):
    body = client.get("/api/datasets").json()
    names = {d["name"]: d for d in body["datasets"]}
    assert set(names) >= {"circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "multi_gauss"}
    assert names["plane"]["problem"] == "regression" and names["spiral"]["problem"] == "classification"
    assert body["features"] == ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]


def test_it_previews_a_dataset_with_the_requested_split(client):
    r = post(client, "/api/datasets/preview", {"name": "circle", "samples": 200, "train_fraction": 0.25, "seed": 3})
    assert r.status_code == 200
    body = r.json()
    assert len(body["train"]) == 50 and len(body["test"]) == 150
    assert all(-6.5 <= x1 <= 6.5 and -6.5 <= x2 <= 6.5 for x1, x2, _ in body["train"])
    assert post(client, "/api/datasets/preview", {"name": "nope"}).status_code == 400


def test_it_validates_a_spec_and_reports_shapes_and_parameters(client):
    r = post(client, "/api/validate", make_spec())
    assert r.status_code == 200
    body = r.json()
    assert body["nodes"]["h1"]["shape"] == [8] and body["nodes"]["h1"]["params"] == 2 * 8 + 8
    assert body["total_params"] == (2 * 8 + 8) + (8 * 8 + 8) + (8 + 1)


def test_it_creates_a_run_that_trains_to_success_with_final_metrics(client):
    r = post(client, "/api/runs", make_spec(epochs=15))
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "queued" and body["id"]
    run = wait_until_final(body["id"])
    assert run.status == RunStatus.SUCCEEDED, run.reason
    detail = client.get(f"/api/runs/{body['id']}").json()
    assert detail["status"] == "succeeded"
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert isinstance(detail["final"][key], float)
    assert detail["started_at"] and detail["finished_at"]
    # the history is kept: metric points for every epoch (plus the epoch-0 point), in seq order
    points = [p for e in RunEvent.objects.filter(run=run, type="metrics") for p in e.payload["points"]]
    assert [p["epoch"] for p in points] == list(range(0, 16))
    seqs = list(RunEvent.objects.filter(run=run).values_list("seq", flat=True))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # the visitor's list shows it
    listed = client.get("/api/runs").json()["runs"]
    assert [x["id"] for x in listed] == [body["id"]] and listed[0]["status"] == "succeeded"


@pytest.mark.parametrize("mutate, path_part", [
    (lambda s: s["network"]["edges"].append(["a2", "h1"]), "network"),
    (lambda s: s["dataset"].update(name="mnist"), "dataset.name"),
    (lambda s: s["network"]["nodes"][1].update(type="conv9"), "network.nodes[1]"),
    (lambda s: s["network"]["nodes"][1]["params"].update(units=10_000), "network.nodes[1].params.units"),
    (lambda s: s["training"].update(epochs=-5), "training.epochs"),
    (lambda s: s["training"].update(batch_size=10**9), "training.batch_size"),
    (lambda s: s["dataset"].update(samples=10**7), "dataset.samples"),
    (lambda s: s["network"]["nodes"].append({"id": "h9", "type": "dense", "params": {"units": 3}}), "network"),
])
def test_it_rejects_bad_specs_with_a_specific_error(client, mutate, path_part):
    spec = make_spec()
    mutate(spec)
    r = post(client, "/api/runs", spec)
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert errors and all({"path", "node", "message"} <= set(e) for e in errors)
    assert any(e["path"].startswith(path_part) for e in errors), errors
    assert Run.objects.count() == 0


def test_it_names_the_node_in_an_error(client):
    spec = make_spec()
    spec["network"]["nodes"][1]["params"]["units"] = 99
    error = post(client, "/api/runs", spec).json()["errors"][0]
    assert error["node"] == "h1" and "16" in error["message"]


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "", "\xff\xfe"])
def test_it_rejects_malformed_bodies(client, raw):
    r = post(client, "/api/runs", None, raw=raw)
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"]


def test_it_rejects_an_oversized_body_with_413(client):
    spec = make_spec()
    spec["padding"] = "x" * 300_000
    r = post(client, "/api/runs", spec)
    assert r.status_code == 413
    assert "KB" in r.json()["errors"][0]["message"]


def test_it_keeps_csrf_protection_on_posts():
    csrf_client = Client(enforce_csrf_checks=True)
    r = post(csrf_client, "/api/runs", make_spec())
    assert r.status_code == 403
    assert "CSRF" in r.json()["errors"][0]["message"]
    csrf_client.get("/")  # a first visit sets the cookie, as a browser's would
    token = csrf_client.cookies["csrftoken"].value
    r = csrf_client.post("/api/runs", data=json.dumps(make_spec(epochs=1)), content_type="application/json",
                         HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201
    wait_until_final(r.json()["id"])


def test_it_hides_a_run_from_other_visitors(client):
    run_id = post(client, "/api/runs", make_spec(epochs=1)).json()["id"]
    wait_until_final(run_id)
    stranger = Client()
    assert stranger.get(f"/api/runs/{run_id}").status_code == 404
    assert stranger.post(f"/api/runs/{run_id}/cancel").status_code == 404
    assert stranger.get("/api/runs").json()["runs"] == []
    assert client.get(f"/api/runs/{run_id}").status_code == 200


def test_it_answers_404_for_an_unknown_run(client):
    r = client.get("/api/runs/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404 and r.json()["errors"]


def test_it_cancels_a_queued_run_at_once(client, monkeypatch):
    monkeypatch.setattr("playground.runs.api.submit", lambda run: None)  # no worker picks it up
    run_id = post(client, "/api/runs", make_spec()).json()["id"]
    r = client.post(f"/api/runs/{run_id}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert Run.objects.get(id=run_id).reason == "stopped by the student"


def test_it_stops_a_training_run_within_a_second(client):
    run_id = post(client, "/api/runs", make_spec(epochs=5000)).json()["id"]
    wait_for_status(run_id, RunStatus.RUNNING)
    time.sleep(0.3)
    asked = time.monotonic()
    assert client.post(f"/api/runs/{run_id}/cancel").status_code == 200
    run = wait_until_final(run_id, timeout=5)
    assert time.monotonic() - asked < 1.0
    assert run.status == RunStatus.CANCELLED
    assert run.final is not None and run.final["epochs"] < 5000  # what it learned so far is kept


def test_it_leaves_a_finished_run_finished_when_cancelled(client):
    run_id = post(client, "/api/runs", make_spec(epochs=1)).json()["id"]
    wait_until_final(run_id)
    assert client.post(f"/api/runs/{run_id}/cancel").json()["status"] == "succeeded"
    assert not RunControl.objects.filter(run_id=run_id).exists()


def test_it_fails_a_diverging_run_with_a_readable_reason(client):
    spec = make_spec(epochs=50, learning_rate=10.0, optimizer="sgd")
    spec["dataset"] = {"name": "plane", "samples": 200, "features": ["x1", "x2", "x1_sq", "x2_sq"], "seed": 1}
    spec["network"]["nodes"][2]["params"]["fn"] = "relu"
    spec["network"]["nodes"][4]["params"]["fn"] = "relu"
    run_id = post(client, "/api/runs", spec).json()["id"]
    run = wait_until_final(run_id)
    assert run.status == RunStatus.FAILED
    assert "loss became" in run.reason and "at step" in run.reason and "lower learning rate" in run.reason


def test_it_rejects_cuda_when_this_instance_has_no_gpu(client):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")  # conditional: CI machines have none, so it runs there
    r = post(client, "/api/runs", make_spec(device="cuda"))
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == "training.device"


@override_settings(PLAYGROUND_ALLOW_ANONYMOUS=False)
def test_it_requires_an_account_when_anonymous_use_is_off(client, django_user_model):
    assert client.get("/api/runs").status_code == 403
    assert post(client, "/api/runs", make_spec()).status_code == 403
    alice = django_user_model.objects.create_user("alice", password="a-long-passphrase-42")
    client.force_login(alice)
    r = post(client, "/api/runs", make_spec(epochs=1))
    assert r.status_code == 201
    assert Run.objects.get(id=r.json()["id"]).owner == alice
    wait_until_final(r.json()["id"])


def test_the_janitor_fails_runs_whose_worker_stopped_beating(client):
    from django.utils import timezone

    from playground.runs import states

    run = Run.objects.create(spec=make_spec(), status=RunStatus.RUNNING,
                             heartbeat_at=timezone.now() - timezone.timedelta(seconds=600))
    assert states.fail_stale(60) == [run.id]
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "worker lost" in run.reason
