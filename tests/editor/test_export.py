"""The PyTorch and ONNX exports give the server's outputs: the generated file runs in a fresh interpreter
that cannot import models_core, the ONNX file runs in onnxruntime, both compared with GraphModel."""
import ast
import inspect
import subprocess
import sys
import textwrap

import numpy as np
import onnxruntime as ort
import pytest
import torch

from models_core import export
from models_core.blocks import REGISTRY, modules
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph

from .networks import NETWORKS, chain

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


# -----------------------------------------------------------------------------
# one source: the exported file carries blocks/modules.py's own code, and builds what the blocks build

def _top_level_sources(source):
    """{name: the literal source} of every class and function a file defines at the top level."""
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            out[node.name] = "\n".join(lines[start - 1:node.end_lineno])
    return out


def test_the_exported_definitions_are_literally_the_blocks_own_source():
    copied = set()
    for name in NETWORKS:
        graph, _, _ = _prepared(name)
        defined = _top_level_sources(export.python_source(graph))
        assert {"Network", "main"} <= set(defined), name
        for helper, source in defined.items():
            if helper not in ("Network", "main"):
                assert source == inspect.getsource(getattr(modules, helper)).rstrip(), (name, helper)
                copied.add(helper)
    # every class and function of modules.py is used by some network, so all of them are checked
    assert copied == {n for n, obj in vars(modules).items()
                      if (inspect.isclass(obj) or inspect.isfunction(obj)) and obj.__module__ == modules.__name__}


def test_modules_py_imports_only_what_the_exported_file_imports():
    def imports(source):
        tree = ast.parse(source)
        found = {(a.name, a.asname) for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        return found | {(f"{n.module}.{a.name}", a.asname) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                        for a in n.names}
    graph, _, _ = _prepared("mlp_activations")
    assert imports(inspect.getsource(modules)) <= imports(export.python_source(graph))


def _plain_attributes(module):
    return {k: v for k, v in vars(module).items() if not k.startswith("_") and k != "training"}


def test_the_exported_modules_are_built_as_the_servers_blocks():
    """The writers' constructor calls build what the blocks' build() builds: the same classes (torch's,
    or the copies of modules.py's), the same settings, the same sub-modules, module by module."""
    for name in NETWORKS:
        graph, model, _ = _prepared(name)
        net = export.build_exported(export.python_source(graph), export.exported_state_dict(graph, model))
        names = export.python_names(graph.order)
        for nid, block in zip(model.ids, model.blocks):
            mine = getattr(net, names[nid])
            assert repr(mine) == repr(block), (name, nid)
            for theirs, ours in zip(block.modules(), mine.modules(), strict=True):
                cls = type(theirs)
                assert type(ours).__name__ == cls.__name__, (name, nid)
                assert cls.__module__.startswith("torch.nn.") or cls.__module__ == modules.__name__, (name, nid, cls)
                assert (type(ours) is cls) == cls.__module__.startswith("torch.nn."), (name, nid)  # a copy, not an import
                assert _plain_attributes(ours) == _plain_attributes(theirs), (name, nid)


BATCHNORMED = {  # a batch norm on each kind of tensor; a batch of one has one value per feature on the first two
    "vector": chain(("in", "input", {}), ("bn", "batchnorm", {"momentum": 0.3}), ("o", "dense", {"units": 2})),
    "one_step": chain(("in", "input", {"kind": "sequence", "length": 1, "features": 4}), ("bn", "batchnorm", {}),
                      ("f", "flatten", {})),
    "steps": chain(("in", "input", {"kind": "sequence", "length": 5, "features": 4}), ("bn", "batchnorm", {}),
                   ("f", "flatten", {})),
    "image": chain(("in", "input", {"kind": "image", "channels": 2, "height": 3, "width": 3}),
                   ("bn", "batchnorm", {}), ("f", "flatten", {})),
}


@pytest.mark.parametrize("kind", list(BATCHNORMED))
def test_the_exported_batchnorm_trains_on_a_batch_of_one_as_the_server_does(kind):
    graph = infer_graph(BATCHNORMED[kind], input_shape=(3,))
    torch.manual_seed(5)
    model = GraphModel(graph)
    shape = graph.nodes[graph.input_id]["shape"]
    with torch.no_grad():  # running statistics away from 0 and 1
        for _ in range(3):
            model(torch.randn(16, *shape) * 3 + 1)
    net = export.build_exported(export.python_source(graph), export.exported_state_dict(graph, model)).train()
    model.train()
    x = torch.randn(1, *shape) * 2
    want = model(x)
    got = net(x)  # the same code: no "Expected more than 1 value per channel when training"
    assert torch.allclose(got, want, atol=1e-6)
    theirs, ours = model.blocks[model.ids.index("bn")].norm, net.bn.norm
    for stat in ("running_mean", "running_var", "num_batches_tracked"):
        assert torch.equal(getattr(ours, stat), getattr(theirs, stat)), stat
    got.sum().backward()  # and it trains: the gain and bias get the server's gradients
    want.sum().backward()
    assert torch.allclose(ours.weight.grad, theirs.weight.grad, atol=1e-6)
