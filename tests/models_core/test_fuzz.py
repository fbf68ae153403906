"""Junk in, SpecInvalid (or a valid spec) out: never any other exception."""

import json

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models_core import SpecInvalid, ValidatedSpec, validate_spec
from models_core.controls import validate_control
from models_core.datasets import check_dataset
from models_core.features import FEATURES
from models_core.graph_model import GraphModel

from .helpers import make_spec

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

leaf = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
        | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12))
junk = st.recursive(leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=16)

ids = st.sampled_from(["in", "h1", "a1", "h2", "out", "zz", ""]) | junk
node = st.fixed_dictionaries({"id": ids}, optional={
    "type": st.sampled_from(["input", "dense", "activation", "conv9"]) | junk,
    "params": st.fixed_dictionaries({}, optional={
        "units": st.integers(-2, 20) | junk, "bias": st.booleans() | junk,
        "fn": st.sampled_from(["tanh", "step", "relu", "softmax"]) | junk}) | junk,
}) | junk
edge = st.lists(ids, min_size=2, max_size=2) | junk
dataset = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["circle", "xor", "blobs", "plane", "mnist"]) | junk,
    "samples": st.integers(0, 3000) | junk, "noise": st.floats(-1, 2) | junk,
    "features": st.lists(st.sampled_from(["x1", "x2", "x1_sq", "sin_x2", "x9"]), max_size=4) | junk,
    "classes": st.integers(2, 6) | junk, "extra_points": st.lists(st.lists(leaf, max_size=4), max_size=3) | junk,
}) | junk
training = st.fixed_dictionaries({}, optional={
    "optimizer": st.sampled_from(["sgd", "adam", "lbfgs"]) | junk, "learning_rate": st.floats(-1, 20) | junk,
    "batch_size": st.integers(-1, 3000) | junk, "epochs": st.integers(-1, 20000) | junk,
    "regularization": st.fixed_dictionaries({}, optional={"kind": st.sampled_from(["l1", "l2", "l3"]) | junk,
                                                           "rate": st.floats(-1, 2) | junk}) | junk,
}) | junk
spec_like = st.fixed_dictionaries({}, optional={
    "network": st.fixed_dictionaries({}, optional={"nodes": st.lists(node, max_size=7) | junk,
                                                   "edges": st.lists(edge, max_size=8) | junk}) | junk,
    "dataset": dataset, "training": training, "extra": junk, "meta": junk,
})


def paths(obj, prefix=()):
    """Every (container, key) in a nested spec, for mutating one spot."""
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    for k, v in items:
        out.append((obj, k))
        out += paths(v)
    return out


@st.composite
def near_valid(draw):
    """A valid spec of random shape, then (usually) one spot replaced by junk or deleted."""
    name = draw(st.sampled_from(["circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "multi_gauss"]))
    classes = draw(st.integers(3, 5))
    out_units = classes if name == "blobs" else 1 if name in ("plane", "multi_gauss") else draw(st.sampled_from([1, 2]))
    widths = draw(st.lists(st.integers(1, 16), max_size=4))
    spec = make_spec(widths, fn=draw(st.sampled_from(["linear", "step", "sigmoid", "tanh", "relu"])), out_units=out_units,
                     dataset={"name": name, "features": draw(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=7, unique=True))})
    if name == "blobs":
        spec["dataset"]["classes"] = classes
    if draw(st.booleans()):
        spots = paths(spec)
        container, key = spots[draw(st.integers(0, len(spots) - 1))]
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(junk)
    return spec


def check(spec):
    try:
        v = validate_spec(spec)
    except SpecInvalid as exc:
        assert exc.errors
        for e in exc.errors:
            d = e.as_dict()
            assert isinstance(d["path"], str) and isinstance(d["message"], str) and d["message"]
            assert d["node"] is None or isinstance(d["node"], str)
        json.dumps(exc.as_list())
        return
    assert isinstance(v, ValidatedSpec)
    json.dumps(v.spec)
    assert validate_spec(v.spec).spec == v.spec
    # whatever passed validation builds and runs: shape problems never reach the model
    model = GraphModel(v)
    x = torch.randn(3, v.nodes[v.input_id]["shape"][0])
    assert list(model(x).shape) == [3] + v.nodes[v.output_id]["shape"]


@SETTINGS
@given(junk)
def test_pure_junk(spec):
    check(spec)


@SETTINGS
@given(spec_like)
def test_spec_shaped_junk(spec):
    check(spec)


@SETTINGS
@given(near_valid())
def test_near_valid_specs(spec):
    check(spec)


@SETTINGS
@given(dataset)
def test_dataset_junk(d):
    out, errors = check_dataset(d)
    assert errors or out["name"]


@SETTINGS
@given(st.fixed_dictionaries({"action": st.sampled_from(["set", "set_weight", "stop", "step"]) | junk}, optional={
    "node": ids, "row": leaf, "col": leaf | st.just("bias"), "value": leaf, "learning_rate": leaf,
    "batch_size": leaf, "reason": leaf}) | junk)
def test_control_junk(message):
    errors = validate_control(message, make_spec([4]))
    assert isinstance(errors, list)
    json.dumps([e.as_dict() for e in errors])
