"""Fact 2: vanishing gradients. In a deep sigmoid MLP the first layer's gradient is a tiny fraction
of the last layer's at the start of training; ReLU with He initialisation, or tanh with skip
connections (`add`), keep it within an order of magnitude."""

import pytest

from models_core import train, validate_spec
from models_core.limits import Limits

from .helpers import of_type

DEEP = Limits(max_hidden_dense=16)  # 10 dense layers: more than the classroom's default limit


def mlp(fn, init="default", skip=False, layers=10, width=16):
    """in → (dense(16) → fn [→ add with its input]) × 9 → dense(1): 10 dense layers."""
    nodes, edges, prev = [{"id": "in", "type": "input"}], [], "in"
    for i in range(1, layers):
        h, a = f"h{i}", f"a{i}"
        nodes += [{"id": h, "type": "dense", "params": {"units": width, "init": init}},
                  {"id": a, "type": "activation", "params": {"fn": fn}}]
        edges += [[prev, h], [h, a]]
        if skip and i > 1:  # x + f(x) from the second block on (the first changes the width 2 → 16)
            nodes.append({"id": f"s{i}", "type": "add"})
            edges += [[prev, f"s{i}"], [a, f"s{i}"]]
            a = f"s{i}"
        prev = a
    nodes.append({"id": "out", "type": "dense", "params": {"units": 1, "init": init}})
    edges.append([prev, "out"])
    return {"nodes": nodes, "edges": edges}


def first_over_last(network, seed):
    """The gradients event of a one-step epoch: the gradient at the initial weights."""
    spec = {"network": network, "dataset": {"name": "circle", "samples": 200},
            "training": {"epochs": 1, "batch_size": 100, "seed": seed, "device": "cpu"}}  # 100 training points
    events = []
    train(validate_spec(spec, DEEP), events.append, visual_interval=1e9)
    (g,) = of_type(events, "gradients")
    assert g["step"] == 1 and g["layers"][0] == "h1" and g["layers"][-1] == "out" and len(g["layers"]) == 10
    return g["norms"][0] / g["norms"][-1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_gradients_vanish_in_deep_sigmoid_nets(seed):
    assert first_over_last(mlp("sigmoid"), seed) < 0.01
    assert first_over_last(mlp("sigmoid", init="xavier"), seed) < 0.01  # a better init alone does not save sigmoid
    assert first_over_last(mlp("relu", init="he"), seed) >= 0.1
    assert first_over_last(mlp("tanh", skip=True), seed) >= 0.1
