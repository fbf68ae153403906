import json
import math

import torch

from models_core import train, validate_spec
from models_core import instrument as I
from models_core.features import FEATURES
from models_core.graph_model import GraphModel
from models_core.recipes.objective import Objective

from .helpers import chain, make_spec, of_type

MAX_MESSAGE = 64 * 1024


def linear_model(w, b=0.0, dataset="plane"):
    v = validate_spec(make_spec([], dataset={"name": dataset}))
    model = GraphModel(v)
    with torch.no_grad():
        model.layers["out"].weight.copy_(torch.tensor([w]))
        model.layers["out"].bias.fill_(b)
    return model


def test_grid_is_row_major_with_x2_going_up():
    pts = I.grid_points(3)
    assert pts.tolist() == [[-6, -6], [0, -6], [6, -6], [-6, 0], [0, 0], [6, 0], [-6, 6], [0, 6], [6, 6]]


def test_boundary_orientation_and_kinds():
    grid = I.grid_features(5, ["x1", "x2"], "cpu")
    z = I.boundary(linear_model([0.0, 1.0]), grid, 5, "value")
    assert z["extent"] == [-6, 6] and z["size"] == 5 and z["kind"] == "value"
    assert z["z"] == [[x2] * 5 for x2 in (-6.0, -3.0, 0.0, 3.0, 6.0)]  # row = x2, bottom up
    z = I.boundary(linear_model([1.0, 0.0]), grid, 5, "value")["z"]
    assert all(row == [-6.0, -3.0, 0.0, 3.0, 6.0] for row in z)  # column = x1
    p = I.boundary(linear_model([1.0, 0.0], dataset="circle"), grid, 5, "probability")["z"]
    assert p[0][2] == 0.5 and p[0][0] == round(1 / (1 + math.exp(6)), 3) and all(0 <= x <= 1 for r in p for x in r)


def test_class_boundary_is_integers():
    v = validate_spec(make_spec([4], dataset={"name": "blobs", "classes": 5}, out_units=5))
    z = I.boundary(GraphModel(v), I.grid_features(8, ["x1", "x2"], "cpu"), 8, "class")["z"]
    assert all(isinstance(x, int) and 0 <= x < 5 for row in z for x in row)


def test_neurons_and_weights_payloads():
    v = validate_spec(make_spec([3, 2], dataset={"features": ["x1", "x2", "x1x2"]}, bias=False))
    model = GraphModel(v)
    m = I.neuron_size(sum(v.nodes[n]["shape"][0] for n in model.ids))
    assert m == 16
    n = I.neurons(model, I.grid_features(m, v.spec["dataset"]["features"], "cpu"), m)
    assert n["size"] == 16 and list(n["nodes"]) == ["h1", "a1", "h2", "a2", "out"]
    assert [len(n["nodes"][k]) for k in n["nodes"]] == [3, 3, 2, 2, 1]
    assert all(len(unit) == 16 and all(len(row) == 16 for row in unit) for maps in n["nodes"].values() for unit in maps)
    a1 = n["nodes"]["a1"]
    assert all(-1 <= x <= 1 for unit in a1 for row in unit for x in row)  # tanh outputs
    w = I.weights(model)["layers"]
    assert list(w) == ["h1", "h2", "out"] and w["h1"]["bias"] is None
    assert [len(w["h1"]["weight"]), len(w["h1"]["weight"][0])] == [3, 3]
    assert [len(w["out"]["weight"]), len(w["out"]["weight"][0])] == [1, 2]
    expect = model.layers["h2"].weight.tolist()
    assert all(abs(a - b) <= 1e-3 * abs(b) for ra, rb in zip(w["h2"]["weight"], expect) for a, b in zip(ra, rb))


def test_significant_rounding_is_short_and_json_safe():
    t = torch.tensor([0.123456, -1234567.0, 1e-7, 0.0, 2.5, float("nan"), float("inf")])
    assert I.significant(t) == [0.1235, -1235000.0, 1e-07, 0.0, 2.5, None, None]
    big = torch.full((100,), 0.1, dtype=torch.float32)  # the vectorised path: float32 0.1 must print as 0.1
    assert json.dumps(I.significant(big)).count("0.1,") == 99
    assert I.significant(torch.tensor([3.14159, float("nan")] * 40))[:2] == [3.142, None]
    assert I.rounded(torch.tensor([[0.123456, float("-inf")]]), 2) == [[0.12, None]]


def test_gradient_stats_match_a_direct_computation():
    v = validate_spec(make_spec([4, 3]))
    model = GraphModel(v)
    obj = Objective("classification", 1)
    x, y = torch.randn(16, 2), torch.randint(0, 2, (16,))
    obj.loss(model(x), obj.targets(y)).backward()
    norms, mean_abs = I.per_layer(model, I.gradient_stats(model).tolist())
    for i, nid in enumerate(model.layer_ids):
        g = torch.cat([p.grad.reshape(-1) for p in model.layers[nid].parameters()])
        assert math.isclose(norms[i], g.norm().item(), rel_tol=1e-3)
        assert math.isclose(mean_abs[i], g.abs().mean().item(), rel_tol=1e-3)


def sizes(events):
    return {e["type"]: max(len(json.dumps(x)) for x in of_type(events, e["type"])) for e in events}


def test_messages_stay_small_for_the_biggest_networks():
    # the widest allowed network: 8 hidden dense(16) + output, every feature, 5 classes
    big = make_spec([16] * 8, dataset={"name": "blobs", "classes": 5, "samples": 50, "features": FEATURES},
                    out_units=5, training={"epochs": 1})
    # the most nodes allowed: 64, the extra ones activations chained at width 16
    net = chain([16] * 8)
    extra = [{"id": f"x{i}", "type": "activation", "params": {"fn": "relu"}} for i in range(64 - len(net["nodes"]))]
    net["nodes"][-1:-1] = extra
    net["edges"][-1] = ["a8", extra[0]["id"]]
    net["edges"] += [[a["id"], b["id"]] for a, b in zip(extra, extra[1:])] + [[extra[-1]["id"], "out"]]
    deep = make_spec(dataset={"samples": 50}, training={"epochs": 1})
    deep["network"] = net
    assert len(validate_spec(deep).nodes) == 64
    for spec in (big, deep, make_spec([8] * 6, dataset={"name": "spiral"}, training={"epochs": 1})):
        events = []
        train(spec, events.append)
        got = sizes(events)
        assert set(got) >= {"boundary", "neurons", "weights", "metrics", "gradients", "settings"}
        assert max(got.values()) <= MAX_MESSAGE, got
