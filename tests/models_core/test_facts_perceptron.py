"""Fact 1: Rosenblatt's perceptron learns what a line can separate and nothing else; one hidden layer
trained by backprop learns xor. Also the perceptron's contract: the rule, its events, its validation."""

import pytest
import torch

from models_core import SpecInvalid, train, validate_spec
from models_core.blocks.perceptron import Perceptron
from models_core.rosenblatt import set_grads

from .helpers import make_spec, of_type


def perceptron_spec(dataset, units=1, **training):
    return {"network": {"nodes": [{"id": "in", "type": "input"}, {"id": "p1", "type": "perceptron", "params": {"units": units}}],
                        "edges": [["in", "p1"]]},
            "dataset": dataset, "training": {"epochs": 50, "device": "cpu", **training}}


def test_facts_perceptron_separates_gaussians_but_not_xor():
    # the convergence theorem: on separable points the rule stops making mistakes (train 100 %); the
    # line it stops at is any separating one, not the widest, so a test point may still fall wrong
    r = train(perceptron_spec({"name": "gauss", "samples": 200, "noise": 0.0}), None, stream=False)
    assert r.status == "succeeded" and r.final["train_accuracy"] == 1.0 and r.final["train_loss"] == 0
    assert r.final["test_accuracy"] >= 0.98
    xor = train(perceptron_spec({"name": "xor", "samples": 400, "noise": 0.0}), None, stream=False)
    assert xor.final["train_accuracy"] <= 0.75 and xor.final["test_accuracy"] <= 0.75
    # one hidden layer of 4 tanh units, trained by backprop, does learn xor
    hidden = make_spec([4], dataset={"name": "xor", "samples": 400, "noise": 0},
                       training={"optimizer": "adam", "epochs": 100})
    assert train(hidden, None, stream=False).final["test_accuracy"] >= 0.95


def test_facts_perceptron_rule_is_rosenblatts():
    torch.manual_seed(0)
    layer = Perceptron(2, 1)
    x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [3.0, -1.0]])  # (3, 2)
    t = torch.tensor([[1.0], [0.0], [1.0]])
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[-1.0, 0.0]]))
        layer.bias.fill_(0.5)
    # ŷ = step(−x1 + 0.5) = 0, 1, 0 → errors y − ŷ = +1, −1, +1
    err = set_grads(layer, x, t)
    assert err.item() == pytest.approx(1.0)
    lr = 0.1
    expect_w = torch.tensor([[-1.0, 0.0]]) + lr * (x[0] - x[1] + x[2])  # w += lr·Σ(y − ŷ)·x
    with torch.no_grad():
        for p in layer.parameters():
            p -= lr * p.grad
    assert torch.allclose(layer.weight, expect_w) and layer.bias.item() == pytest.approx(0.5 + lr * 1)
    t_right = (layer(x) > 0.5).float()
    set_grads(layer, x, t_right)  # every point right: nothing to change
    assert layer.weight.grad.abs().sum() == 0 and layer.bias.grad.abs().sum() == 0


def test_facts_perceptron_streams_like_any_run():
    events = []
    r = train(perceptron_spec({"name": "gauss", "samples": 100, "noise": 0.0}, epochs=5,
                              optimizer="adam", regularization={"kind": "l2", "rate": 0.1}),  # neither applies
              events.append, visual_interval=1e9)
    assert r.status == "succeeded"
    metrics = of_type(events, "metrics")
    assert len(metrics) == 6 and all(m["train_loss"] == pytest.approx(1 - m["train_accuracy"], abs=1e-3) for m in metrics)
    grads = of_type(events, "gradients")
    assert all(g["layers"] == ["p1"] for g in grads) and grads[-1]["norms"] == [0.0]  # all right: no update
    z = [v for row in of_type(events, "boundary")[-1]["z"] for v in row]
    assert set(z) == {0.0, 1.0}  # P(class 1) is a hard 0 or 1
    assert set(of_type(events, "weights")[-1]["layers"]) == {"p1"} and "p1" in of_type(events, "neurons")[-1]["nodes"]
    # streaming on or off: the same run
    assert train(perceptron_spec({"name": "gauss", "samples": 100, "noise": 0.0}, epochs=5), None, stream=False).final == r.final


def errors(spec):
    with pytest.raises(SpecInvalid) as exc:
        validate_spec(spec)
    return [(e.path, e.node, e.message) for e in exc.value.errors]


def test_facts_perceptron_must_be_the_only_layer():
    spec = perceptron_spec({"name": "xor"})
    spec["network"]["nodes"][1:1] = [{"id": "h", "type": "dense", "params": {"units": 4}}]
    spec["network"]["edges"] = [["in", "h"], ["h", "p1"]]
    assert errors(spec) == [("network.nodes[2]", "p1", "perceptron 'p1' is trained by Rosenblatt's rule and must be "
                                                      "the only layer: input → perceptron")]
    spec = perceptron_spec({"name": "xor"})
    spec["network"]["nodes"].append({"id": "out", "type": "dense", "params": {"units": 1}})
    spec["network"]["edges"].append(["p1", "out"])
    assert errors(spec)[0][:2] == ("network.nodes[1]", "p1")
    path, _, msg = errors(perceptron_spec({"name": "plane"}))[0]
    assert path == "network.nodes[1]" and "binary classification" in msg
    path, _, msg = errors(perceptron_spec({"name": "xor"}, units=2))[0]
    assert path == "network.nodes[1].params.units" and "1 unit" in msg
