"""Exports of several networks (a GAN's generator and discriminator): one file with a class each, a
weights file each; run in a fresh interpreter and in onnxruntime, compared with the GraphModels. The
graphs come from infer_graph, as a spec's `networks` will give them."""
import ast
import io
import subprocess
import sys
import types
import zipfile

import numpy as np
import onnxruntime as ort
import pytest
import torch
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from models_core import export, validate_spec
from models_core.datasets import make_dataset
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph
from playground.editor import weights as run_weights
from playground.runs.models import Run, RunStatus

from .networks import NETWORKS, chain

ATOL = 1e-5
NOISE = 6

GENERATOR = chain(("z", "input", {}), ("h", "dense", {"units": 16}), ("bn", "batchnorm", {}),
                  ("a", "activation", {"fn": "relu"}), ("px", "regression_head", {"outputs": 64}),
                  ("t", "activation", {"fn": "tanh"}), ("img", "reshape", {"target": [1, 8, 8]}))
DISCRIMINATOR = chain(("img", "input", {"kind": "image", "channels": 1, "height": 8, "width": 8}),
                      ("c", "conv2d", {"channels": 3}), ("bn", "batchnorm", {}), ("a", "activation", {"fn": "leaky_relu"}),
                      ("f", "flatten", {}), ("o", "dense", {"units": 1}))


def _gan():
    """({name: GraphInfo}, {name: GraphModel in eval mode, with batch-norm statistics})."""
    graphs = {"generator": infer_graph(GENERATOR, input_shape=(NOISE,)), "discriminator": infer_graph(DISCRIMINATOR)}
    torch.manual_seed(11)
    models = {name: GraphModel(g) for name, g in graphs.items()}
    with torch.no_grad():
        fake = models["generator"](torch.randn(16, NOISE))
        models["discriminator"](fake + torch.randn_like(fake))
    return graphs, {name: m.eval() for name, m in models.items()}


def _digits():
    """A validated spec on digits8 (images 1×8×8): its dataset and limits."""
    return validate_spec({"network": chain(("img", "input", {"kind": "image"}), ("f", "flatten", {}),
                                           ("o", "classification_head", {"classes": 10})),
                          "dataset": {"name": "digits8"}})


def test_it_names_a_class_and_files_after_each_network():
    names = export.network_names(["generator", "discriminator", "my critic", "Generator", "attention", "path", "2nd"])
    assert names["generator"] == ("Generator", "generator") and names["discriminator"] == ("Discriminator", "discriminator")
    assert names["my critic"] == ("MyCritic", "my_critic")
    assert names["Generator"] == ("Generator2", "generator_2")  # distinct from "generator"
    assert names["attention"][0] == "AttentionNetwork"  # not the copied Attention class
    assert names["path"][0] == "PathNetwork"  # nor pathlib's Path
    assert all(c.isidentifier() and s.isidentifier() for c, s in names.values())


def test_a_single_network_called_network_is_todays_export():
    graph = infer_graph(NETWORKS["mlp_activations"][0], input_shape=(3,))
    assert export.python_source_networks({"network": graph}, "t", "n") == export.python_source(graph, "t", "n")
    model = GraphModel(graph).eval()
    x = torch.randn(4, 3)
    files = export.pytorch_files_networks({"network": graph}, {"network": model}, {"network": (x, None)})
    assert sorted(files) == ["network.py", "sample.pt", "weights.pt"]


def test_one_file_defines_a_class_per_network_and_each_helper_once():
    graphs, _ = _gan()
    source = export.python_source_networks(graphs, title="gan")
    tree = ast.parse(source)
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert classes.count("BatchNorm") == 1 and {"Generator", "Discriminator", "Reshape"} <= set(classes)
    assert "Network" not in classes
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported == {"argparse", "math", "torch"}
    assert {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} == {"pathlib"}
    module = export.load_source(source)
    assert set(module.NETWORKS) == {"generator", "discriminator"}
    assert module.NETWORKS["generator"][1:] == ((NOISE,), torch.float32)


def test_the_exported_networks_give_the_servers_outputs_in_a_fresh_interpreter(tmp_path):
    graphs, models = _gan()
    z = torch.randn(5, NOISE)
    with torch.no_grad():
        fake = models["generator"](z)
    samples = {"generator": (z, None), "discriminator": (fake, torch.zeros(5, 1))}
    files = export.pytorch_files_networks(graphs, models, samples, title="gan", note="a generator and its critic")
    assert sorted(files) == ["network.py", "sample_discriminator.pt", "sample_generator.pt",
                             "weights_discriminator.pt", "weights_generator.pt"]
    for filename, data in files.items():
        (tmp_path / filename).write_bytes(data)
    result = subprocess.run([sys.executable, "-I", str(tmp_path / "network.py"), "--save", str(tmp_path / "out.pt")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "generator: largest difference from the playground's outputs" in result.stdout
    got = torch.load(tmp_path / "out.pt", weights_only=True)
    with torch.no_grad():
        assert torch.allclose(got["generator"], fake, atol=ATOL)
        assert torch.allclose(got["discriminator"], models["discriminator"](fake), atol=ATOL)


def test_the_exported_networks_compose_as_on_the_server():
    graphs, models = _gan()
    source = export.python_source_networks(graphs)
    names = export.network_names(graphs)
    nets = {n: export.build_exported(source, export.exported_state_dict(graphs[n], models[n]), names[n][0])
            for n in graphs}
    z = torch.randn(7, NOISE)
    with torch.no_grad():
        want = models["discriminator"](models["generator"](z))
        assert torch.allclose(nets["discriminator"](nets["generator"](z)), want, atol=ATOL)


def test_each_network_exports_to_onnx():
    graphs, models = _gan()
    samples = {"generator": torch.randn(4, NOISE), "discriminator": torch.randn(4, 1, 8, 8)}
    files = export.onnx_files_networks(graphs, models, samples)
    assert sorted(files) == ["discriminator.onnx", "generator.onnx"]
    for name, x in samples.items():
        bigger = torch.cat([x, x[:1]])
        (got,) = ort.InferenceSession(files[f"{name}.onnx"], providers=["CPUExecutionProvider"]).run(
            ["y"], {"x": bigger.numpy()})
        with torch.no_grad():
            np.testing.assert_allclose(got, models[name](bigger).numpy(), atol=ATOL)


def test_sample_inputs_take_the_dataset_where_it_fits_else_noise():
    v = _digits()
    dataset = make_dataset(v.spec["dataset"], v.limits)
    graphs, _ = _gan()
    x, y = export.sample_inputs(graphs["discriminator"], dataset)
    assert torch.equal(x, export.sample_batch(dataset)[0]) and y is not None
    z, none = export.sample_inputs(graphs["generator"], dataset)
    assert z.shape == (8, NOISE) and none is None
    assert torch.equal(z, export.sample_inputs(graphs["generator"], dataset)[0])  # seeded


@pytest.mark.django_db
def test_a_run_with_several_networks_exports_a_class_and_weights_each(client, tmp_path, monkeypatch):
    # the spec's `networks` is the lead's to add: until then the run's validated spec is stood in for
    single = _digits()
    graphs, models = _gan()
    v = types.SimpleNamespace(networks=graphs, spec=single.spec, limits=single.limits)
    monkeypatch.setattr(run_weights, "validate_spec", lambda spec: v)
    session = SessionStore()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    run = Run.objects.create(session_key=session.session_key, spec=single.spec, status=RunStatus.SUCCEEDED)
    run_weights.save_run_weights(run.id, torch.nn.ModuleDict(models))

    folder = f"run-{str(run.id)[:8]}"
    r = client.get(f"/api/runs/{run.id}/export/pytorch")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert sorted(zf.namelist()) == [f"{folder}/{f}" for f in (
            "network.py", "sample_discriminator.pt", "sample_generator.pt", "weights_discriminator.pt",
            "weights_generator.pt")]
        zf.extractall(tmp_path)
    result = subprocess.run([sys.executable, "-I", str(tmp_path / folder / "network.py"), "--save",
                             str(tmp_path / "out.pt")], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    got = torch.load(tmp_path / "out.pt", weights_only=True)
    x, _ = export.sample_batch(make_dataset(single.spec["dataset"], single.limits))  # the digits fit the discriminator
    with torch.no_grad():
        assert torch.allclose(got["discriminator"], models["discriminator"](x), atol=ATOL)

    r = client.get(f"/api/runs/{run.id}/export/onnx")
    assert r.status_code == 200 and f'filename="{folder}-onnx.zip"' in r["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        onnx = zf.read(f"{folder}/discriminator.onnx")
        assert sorted(zf.namelist()) == [f"{folder}/discriminator.onnx", f"{folder}/generator.onnx"]
    (y,) = ort.InferenceSession(onnx, providers=["CPUExecutionProvider"]).run(["y"], {"x": x.numpy()})
    with torch.no_grad():
        np.testing.assert_allclose(y, models["discriminator"](x).numpy(), atol=ATOL)
