"""GET /api/runs/<id>/export/pytorch and /export/onnx: the trained run as files that run elsewhere."""
import io
import subprocess
import sys
import zipfile

import numpy as np
import onnxruntime as ort
import pytest
import torch
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from models_core import validate_spec
from models_core.datasets import make_dataset
from models_core.export import sample_batch
from models_core.graph_model import GraphModel
from playground.editor.weights import save_run_weights
from playground.runs.models import Run, RunStatus
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def _visitor(client):
    session = SessionStore()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _finished_run(session_key, with_weights=True, status=RunStatus.SUCCEEDED, spec=None):
    """A run as the worker leaves it: finished, its trained weights saved."""
    v = validate_spec(spec or make_spec())
    run = Run.objects.create(session_key=session_key, spec=v.spec, status=status)
    torch.manual_seed(3)
    model = GraphModel(v)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p))  # "trained": anything but the seed's initial weights
    if with_weights:
        save_run_weights(run.id, model)
    return run, v, model.eval()


def _expected(v, model):
    x, _ = sample_batch(make_dataset(v.spec["dataset"]))
    with torch.no_grad():
        return x, model(x)


def test_it_exports_a_zip_whose_file_runs_and_matches_the_run(client, tmp_path):
    run, v, model = _finished_run(_visitor(client))
    r = client.get(f"/api/runs/{run.id}/export/pytorch")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert f'filename="run-{str(run.id)[:8]}-pytorch.zip"' in r["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = sorted(zf.namelist())
        zf.extractall(tmp_path)
    folder = tmp_path / f"run-{str(run.id)[:8]}"
    assert names == [f"run-{str(run.id)[:8]}/{f}" for f in ("network.py", "sample.pt", "weights.pt")]
    result = subprocess.run([sys.executable, "-I", str(folder / "network.py"), "--save", str(tmp_path / "out.pt")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path, env={"OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    assert "largest difference from the playground's outputs" in result.stdout
    _, want = _expected(v, model)
    assert torch.allclose(torch.load(tmp_path / "out.pt", weights_only=True), want, atol=1e-5)


def test_it_exports_onnx_that_runs_in_onnxruntime(client):
    run, v, model = _finished_run(_visitor(client))
    r = client.get(f"/api/runs/{run.id}/export/onnx")
    assert r.status_code == 200
    assert f'filename="run-{str(run.id)[:8]}.onnx"' in r["Content-Disposition"]
    x, want = _expected(v, model)
    (got,) = ort.InferenceSession(r.content, providers=["CPUExecutionProvider"]).run(["y"], {"x": x.numpy()})
    np.testing.assert_allclose(got, want.numpy(), atol=1e-5)


def test_it_hides_another_visitors_run(client):
    run, _, _ = _finished_run("someone-else")
    _visitor(client)
    for kind in ("pytorch", "onnx"):
        r = client.get(f"/api/runs/{run.id}/export/{kind}")
        assert r.status_code == 404 and "does not exist or belongs to someone else" in r.json()["errors"][0]["message"]


def test_it_explains_why_a_run_cannot_be_exported_yet(client):
    key = _visitor(client)
    running, _, _ = _finished_run(key, status=RunStatus.RUNNING)
    r = client.get(f"/api/runs/{running.id}/export/pytorch")
    assert r.status_code == 409 and "once it has finished" in r.json()["errors"][0]["message"]
    no_weights, _, _ = _finished_run(key, with_weights=False)
    r = client.get(f"/api/runs/{no_weights.id}/export/onnx")
    assert r.status_code == 409 and "no saved weights" in r.json()["errors"][0]["message"]


def _chain(*nodes):
    return {"nodes": [{"id": i, "type": t, "params": p} for i, t, p in nodes],
            "edges": [[a[0], b[0]] for a, b in zip(nodes, nodes[1:])]}


KINDS = {  # a network of each input kind, on a dataset of that kind
    "image": {"network": _chain(("in", "input", {"kind": "image"}), ("c", "conv2d", {"channels": 2}),
                                ("p", "maxpool2d", {}), ("f", "flatten", {}), ("out", "classification_head", {"classes": 10})),
              "dataset": {"name": "digits16", "samples": 100}},
    "sequence": {"network": _chain(("in", "input", {"kind": "sequence"}), ("l", "lstm", {"hidden": 4}),
                                   ("out", "classification_head", {"classes": 2})),
                 "dataset": {"name": "parity", "samples": 100}},
    "tokens": {"network": _chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 8}),
                                 ("t", "transformer_block", {"heads": 2}), ("out", "token_logits", {})),
               "dataset": {"name": "reverse", "samples": 100}},
    "curve": {"network": _chain(("in", "input", {}), ("out", "dense", {"units": 1})),
              "dataset": {"name": "curve_fit", "degree": 3}, "training": {"solver": "closed_form"}},
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_exports_every_kind_of_input(client, tmp_path, kind):
    run, v, model = _finished_run(_visitor(client), spec=KINDS[kind])
    x, want = _expected(v, model)
    with zipfile.ZipFile(io.BytesIO(client.get(f"/api/runs/{run.id}/export/pytorch").content)) as zf:
        zf.extractall(tmp_path)
    (script,) = tmp_path.glob("*/network.py")
    result = subprocess.run([sys.executable, "-I", str(script), "--save", str(tmp_path / "out.pt")],
                            capture_output=True, text=True, timeout=120, env={"OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr
    assert torch.allclose(torch.load(tmp_path / "out.pt", weights_only=True), want.float(), atol=1e-4)
    r = client.get(f"/api/runs/{run.id}/export/onnx")
    assert r.status_code == 200
    (got,) = ort.InferenceSession(r.content, providers=["CPUExecutionProvider"]).run(["y"], {"x": x.numpy()})
    np.testing.assert_allclose(got, want.float().numpy(), atol=1e-4)
