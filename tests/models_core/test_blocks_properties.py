"""
Property tests over random graphs of every block: whatever validates builds and runs a forward and a
backward pass with exactly the shapes and parameter counts it announced; whatever does not gives
SpecInvalid with structured errors, never another exception.
"""

import json

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models_core import SpecError, SpecInvalid, validate_spec
from models_core.blocks import REGISTRY, ShapeError
from models_core.blocks.base import kind_of
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph

from .test_fuzz import junk

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TYPES = [t for t in REGISTRY if t != "input"]
SMALL = 8  # caps sizes so that every example runs in milliseconds


def param_value(p, bad):
    if bad:
        return junk
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "choice":
        return st.sampled_from(p.choices)
    if p.kind == "float":
        return st.floats(p.min, p.max if p.max is not None else 1.0)
    if p.kind == "shape":
        return st.lists(st.sampled_from([-1, 1, 2, 3, 4, 6, 8, 16]), min_size=1, max_size=3)
    lo = int(p.min)
    return st.integers(lo, max(lo, min(SMALL, p.max if p.max is not None else SMALL)))


@st.composite
def params_of(draw, block, junk_rate=0.0):
    out = {}
    for p in block.params:
        if draw(st.booleans()):
            out[p.name] = draw(param_value(p, junk_rate and chance(draw, junk_rate)))
    return out


def chance(draw, percent):
    """True `percent` times in a hundred (hypothesis' floats and integers lean on their bounds)."""
    return draw(st.sampled_from(range(100))) < percent


def _shape_of(block, params, ins):
    """What the node would give (None if it cannot), as the generator's guide; the test checks the real thing."""
    params, errors = block.check_params(params)
    arity_ok = len(ins) >= block.inputs if block.many_inputs else len(ins) == max(block.inputs, 1)
    if errors or not arity_ok or any(s is None or (block.accepts and kind_of(s) not in block.accepts) for s in ins):
        return None
    try:
        return block.infer_shape(params, ins)
    except (ShapeError, KeyError):
        return None


@st.composite
def networks(draw, kinds=("tabular", "image", "sequence", "tokens"), junk_rate=0.0, width=2):
    """A random graph grown mostly with blocks that fit what they are fed, so that many validate."""
    kind = draw(st.sampled_from(kinds))
    inp = {**draw(params_of(REGISTRY["input"])), "kind": kind}
    nodes, edges, ids = [{"id": "in", "type": "input", "params": inp}], [], ["in"]
    shapes = {"in": _shape_of(REGISTRY["input"], inp, [[width]])}
    for i in range(draw(st.integers(1, 7))):
        nid = f"n{i}"
        first = ids[-1] if chance(draw, 90) else draw(st.sampled_from(ids))
        got = shapes[first]
        fits = [t for t in TYPES if got is not None and kind_of(got) in REGISTRY[t].accepts
                for _ in range(4 if len(REGISTRY[t].accepts) == 1 else 1)]  # more of the specialised blocks
        type_ = draw(st.sampled_from(fits)) if fits and chance(draw, 90) else draw(st.sampled_from(TYPES))
        block = REGISTRY[type_]
        srcs = [first]
        if block.many_inputs or chance(draw, 3):
            same = [n for n in ids if n != first and shapes[n] is not None and got is not None
                    and kind_of(shapes[n]) == kind_of(got) and (type_ != "add" or list(shapes[n]) == list(got))]
            pool = same if same and chance(draw, 80) else [n for n in ids if n != first] or ids
            srcs += draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
        srcs = list(dict.fromkeys(srcs))
        edges += [[src, nid] for src in srcs]
        params = draw(params_of(block, junk_rate))
        nodes.append({"id": nid, "type": type_, "params": params})
        ids.append(nid)
        shapes[nid] = _shape_of(block, params, [shapes[src] for src in srcs])
    return {"nodes": nodes, "edges": edges}


def example_input(info, batch):
    (shape, vocab) = info["shape"], info.get("vocab")
    return torch.randint(0, vocab, (batch, *shape)) if vocab else torch.randn(batch, *shape)


def check_runs(g, batch=3):
    """The built model gives every node the announced shape, counts its parameters right, and backprops."""
    torch.manual_seed(0)
    json.dumps(g.network)
    json.dumps(g.nodes)
    model = GraphModel(g)
    y, outs = model(example_input(g.nodes[g.input_id], batch), keep=True)
    for nid, info in g.nodes.items():
        assert list(outs[nid].shape) == [batch] + info["shape"], (nid, info)
        if nid != g.input_id:
            module = model.blocks[model.ids.index(nid)]
            assert sum(p.numel() for p in module.parameters()) == info["params"], nid
    assert sum(p.numel() for p in model.parameters()) == g.total_params
    y.float().sum().backward()
    return model


def structured(exc):
    assert exc.errors and all(isinstance(e, SpecError) for e in exc.errors)
    for e in exc.errors:
        d = e.as_dict()
        assert isinstance(d["path"], str) and d["path"].startswith("network") and d["message"]
        assert d["node"] is None or isinstance(d["node"], str)
    json.dumps(exc.as_list())


@SETTINGS
@given(networks())
def test_random_graphs_validate_then_build_and_run_with_the_announced_shapes(net):
    width = 2
    try:
        g = infer_graph(net, input_shape=[width])
    except SpecInvalid as exc:
        structured(exc)
        return
    check_runs(g)
    assert infer_graph(g.network, input_shape=[width]).nodes == g.nodes  # the normalised network is a fixed point


@SETTINGS
@given(networks(junk_rate=30))
def test_random_graphs_with_junk_params_give_structured_errors(net):
    try:
        g = infer_graph(net)
    except SpecInvalid as exc:
        structured(exc)
        return
    check_runs(g, batch=2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(kinds=("tabular",)), st.sampled_from(["circle", "spiral", "blobs", "plane"]))
def test_random_tabular_graphs_on_the_two_d_datasets(net, name):
    spec = {"network": net, "dataset": {"name": name, "samples": 50}}
    try:
        v = validate_spec(spec)
    except SpecInvalid as exc:
        structured(exc)
        return
    assert len(v.nodes[v.output_id]["shape"]) == 1
    check_runs(v)
    assert validate_spec(v.spec).spec == v.spec
