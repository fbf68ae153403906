"""Image and token runs through the API, the real task and the publisher: the views they stream are
stored for late joiners (the snapshot) and the preview shows examples of the data."""
import json

import pytest

from playground.runs.models import RunStatus
from playground.runs.snapshot import build_snapshot

from .conftest import wait_until_final

pytestmark = pytest.mark.django_db(transaction=True)

CNN_ON_DIGITS = {
    "network": {"nodes": [{"id": "in", "type": "input", "params": {"kind": "image"}},
                          {"id": "c1", "type": "conv2d", "params": {"channels": 4, "kernel": 3}},
                          {"id": "r1", "type": "activation", "params": {"fn": "relu"}},
                          {"id": "p1", "type": "maxpool2d"},
                          {"id": "f", "type": "flatten"},
                          {"id": "out", "type": "dense", "params": {"units": 10}}],
                "edges": [["in", "c1"], ["c1", "r1"], ["r1", "p1"], ["p1", "f"], ["f", "out"]]},
    "dataset": {"name": "digits16", "samples": 300},
    "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "epochs": 3},
}


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_an_image_run_streams_and_stores_its_views(client):
    r = post(client, "/api/runs", CNN_ON_DIGITS)
    assert r.status_code == 201, r.content
    run = wait_until_final(r.json()["id"])
    assert run.status == RunStatus.SUCCEEDED, run.reason
    assert 0 <= run.final["test_accuracy"] <= 1 and run.final["epochs"] == 3
    snap = build_snapshot(run.id)
    latest = snap["latest"]
    assert latest["conv"]["layers"][0]["node"] == "c1" and latest["conv"]["probe"]["image"]
    assert sum(map(sum, latest["confusion"]["matrix"])) == 60  # the test set: 20 % of 300
    assert latest["histograms"]["layers"][0]["node"] == "c1"
    assert latest["boundary"] is None and snap["data"]["kind"] == "image"
    assert snap["history"]["histograms"] and snap["history"]["histograms"][-1]["layers"]
    assert len(json.dumps(snap)) < 512 * 1024


def test_the_preview_shows_examples_of_images_and_token_tasks(client):
    body = post(client, "/api/datasets/preview", {"name": "digits16", "samples": 100}).json()
    assert body["kind"] == "image" and body["class_names"][3] == "3"
    assert len(body["examples"]) == 12 and len(body["examples"][0]["image"]) == 16
    assert body["examples"][0]["label"] in body["class_names"]
    body = post(client, "/api/datasets/preview", {"name": "reverse", "length": 5}).json()
    first = body["examples"][0]
    assert body["kind"] == "tokens" and first["target"] == first["tokens"][::-1]
    bad = post(client, "/api/datasets/preview", {"name": "delayed_recall", "lag": 30, "length": 10})
    assert bad.status_code == 400 and "lag must be below length" in bad.json()["errors"][0]["message"]


def test_the_run_page_of_an_image_run_is_its_dashboard(client):
    r = post(client, "/api/runs", {**CNN_ON_DIGITS, "training": {**CNN_ON_DIGITS["training"], "epochs": 1}})
    run_id = r.json()["id"]
    page = client.get(f"/runs/{run_id}")
    assert page.status_code == 302 and page["Location"] == f"/runs/{run_id}/dashboard"
    wait_until_final(run_id)


def test_a_finished_run_keeps_its_trained_weights_for_export(client):
    from playground.editor.models import RunWeights

    r = post(client, "/api/runs", {**CNN_ON_DIGITS, "training": {**CNN_ON_DIGITS["training"], "epochs": 1}})
    run = wait_until_final(r.json()["id"])
    assert run.status == RunStatus.SUCCEEDED and RunWeights.objects.filter(run_id=run.id).exists()
    export = client.get(f"/api/runs/{run.id}/export/pytorch")
    assert export.status_code == 200 and len(export.content) > 1000

