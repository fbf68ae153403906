"""The PyTorch and ONNX exports give the server's outputs: the generated file runs in a fresh interpreter
that cannot import models_core, the ONNX file runs in onnxruntime, both compared with GraphModel."""
import ast
import subprocess
import sys
import textwrap

import numpy as np
import onnxruntime as ort
import pytest
import torch

from models_core import export
from models_core.blocks import REGISTRY
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph

from .networks import NETWORKS

ATOL = 1e-5
STDLIB_ALLOWED = {"argparse", "math", "pathlib"}


def _prepared(name):
    """(GraphInfo, GraphModel with non-trivial weights and batch-norm statistics, a test batch)."""
    network, width = NETWORKS[name]
    graph = infer_graph(network, input_shape=(width or 2,))
    torch.manual_seed(7)
    model = GraphModel(graph)
    info = graph.nodes[graph.input_id]
    shape = info["shape"]

    def batch(n):
        if "vocab" in info:
            return torch.randint(0, info["vocab"], (n, *shape))
        return torch.randn(n, *shape) * 2

    with torch.no_grad():  # move batch norm's running statistics away from 0 and 1
        for _ in range(3):
            model(batch(16))
    return graph, model.eval(), batch(6)


def test_it_has_a_writer_for_every_block_type():
    assert set(REGISTRY) - {"input"} <= set(export.WRITERS)


def test_it_tests_every_block_type():
    used = {n["type"] for network, _ in NETWORKS.values() for n in network["nodes"]}
    assert used == set(REGISTRY)


def test_it_writes_a_file_that_imports_only_torch():
    graph, _, _ = _prepared("transformer")
    tree = ast.parse(export.python_source(graph))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"torch"} | STDLIB_ALLOWED


def test_it_names_awkward_ids_as_python_identifiers():
    names = export.python_names(["in", "1st layer", "class", "train", "x", "x", "数"])
    assert names["in"] == "in_" and names["1st layer"] == "n1st_layer" and names["class"] == "class_"
    assert names["train"] == "train_"  # nn.Module.train must not be shadowed
    assert len(set(names.values())) == len(names) and all(v.isidentifier() for v in names.values())


def test_the_exported_files_give_the_servers_outputs_in_a_fresh_interpreter(tmp_path):
    expected = {}
    for name in NETWORKS:
        graph, model, x = _prepared(name)
        folder = tmp_path / name
        folder.mkdir()
        for filename, data in export.pytorch_files(graph, model, x, title=name).items():
            (folder / filename).write_bytes(data)
        with torch.no_grad():
            expected[name] = model(x)
    # One fresh, isolated interpreter (-I: no PYTHONPATH, no cwd on the path, so models_core cannot be
    # imported) runs every exported file as a script, as a student would.
    driver = textwrap.dedent("""
        import runpy, sys
        for folder in sys.argv[1:]:
            sys.argv = [folder + "/network.py", "--save", folder + "/outputs.pt"]
            runpy.run_path(folder + "/network.py", run_name="__main__")
            print("=== done", folder)
    """)
    result = subprocess.run([sys.executable, "-I", "-c", driver, *[str(tmp_path / n) for n in NETWORKS]],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "largest difference from the playground's outputs" in result.stdout
    for name in NETWORKS:
        got = torch.load(tmp_path / name / "outputs.pt", weights_only=True)
        assert got.shape == expected[name].shape, name
        assert torch.allclose(got, expected[name], atol=ATOL), (name, (got - expected[name]).abs().max())


@pytest.mark.parametrize("name", list(NETWORKS))
def test_the_onnx_file_gives_the_servers_outputs_in_onnxruntime(name):
    graph, model, x = _prepared(name)
    source = export.python_source(graph)
    data = export.onnx_bytes(source, export.exported_state_dict(graph, model), x)
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    bigger = torch.cat([x, x, x[:1]])  # another batch size than the one exported with
    (got,) = session.run(["y"], {"x": bigger.numpy()})
    with torch.no_grad():
        want = model(bigger).numpy()
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=ATOL)


def test_the_weights_load_strictly_into_the_generated_module():
    graph, model, _ = _prepared("recurrent")
    weights = export.exported_state_dict(graph, model)
    assert all(not k.startswith("blocks.") for k in weights)
    del weights[next(iter(weights))]
    with pytest.raises(RuntimeError, match="Missing key"):
        export.build_exported(export.python_source(graph), weights)
