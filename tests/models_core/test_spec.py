import json

import pytest

from models_core import Limits, SpecError, SpecInvalid, validate_spec

from .helpers import chain, make_spec


def errors_of(spec, limits=Limits()):
    with pytest.raises(SpecInvalid) as exc:
        validate_spec(spec, limits)
    errs = exc.value.errors
    assert errs and all(isinstance(e, SpecError) for e in errs)
    return errs


def only_error(spec, limits=Limits()):
    errs = errors_of(spec, limits)
    assert len(errs) == 1, [e.as_dict() for e in errs]
    return errs[0]


def test_valid_spec_is_normalised_with_defaults():
    v = validate_spec({"network": chain([8])})
    s = v.spec
    assert s["dataset"] == {"name": "circle", "samples": 500, "noise": 0.1, "train_fraction": 0.5, "seed": 1,
                            "features": ["x1", "x2"], "extra_points": []}
    assert s["training"] == {"optimizer": "sgd", "learning_rate": 0.03, "momentum": 0.9, "batch_size": 10,
                             "epochs": 200, "folds": 0, "steps": 0, "seed": 1, "device": "auto", "solver": "gradient", "clip_grad_norm": 0.0,
                             "regularization": {"kind": "none", "rate": 0.0}, "schedule": {"kind": "constant"},
                             "early_stopping": {"patience": 0}}
    assert s["network"]["nodes"][1] == {"id": "h1", "type": "dense", "params": {"units": 8, "bias": True, "init": "default"}}
    assert s["network"]["nodes"][0] == {"id": "in", "type": "input", "params": {"kind": "tabular"}}
    json.dumps(s)
    assert validate_spec(s).spec == s  # idempotent: the stored spec validates to itself
    assert validate_spec(v).spec == s  # a ValidatedSpec is accepted too


def test_nodes_shapes_and_param_counts():
    v = validate_spec(make_spec([4, 2], dataset={"features": ["x1", "x2", "x1x2"]}))
    assert v.nodes["in"] == {"shape": [3], "params": 0, "type": "input"}
    assert v.nodes["h1"] == {"shape": [4], "params": 3 * 4 + 4, "type": "dense"}
    assert v.nodes["a1"] == {"shape": [4], "params": 0, "type": "activation"}
    assert v.nodes["h2"] == {"shape": [2], "params": 4 * 2 + 2, "type": "dense"}
    assert v.nodes["out"] == {"shape": [1], "params": 2 + 1, "type": "dense"}
    assert v.total_params == 16 + 10 + 3
    assert (v.problem, v.classes, v.input_id, v.output_id) == ("classification", 2, "in", "out")
    assert v.order[0] == "in" and v.order[-1] == "out"


def test_problem_and_classes():
    assert validate_spec(make_spec(dataset={"name": "plane"})).classes is None
    v = validate_spec(make_spec(dataset={"name": "blobs", "classes": 4}, out_units=4))
    assert (v.problem, v.classes, v.spec["dataset"]["classes"]) == ("classification", 4, 4)
    assert validate_spec(make_spec(dataset={"name": "blobs"}, out_units=3)).classes == 3


def test_features_are_put_in_canonical_order():
    v = validate_spec(make_spec(dataset={"features": ["sin_x2", "x1"]}))
    assert v.spec["dataset"]["features"] == ["x1", "sin_x2"]


def test_editor_fields_on_nodes_are_kept():
    spec = make_spec()
    spec["network"]["nodes"][1].update(x=120, y=40, label="hidden")
    spec["meta"] = {"layout": "v1"}
    v = validate_spec(spec)
    assert v.spec["network"]["nodes"][1]["x"] == 120 and v.spec["meta"] == {"layout": "v1"}


def test_regularization_rate_defaults_follow_kind():
    assert validate_spec(make_spec(training={"regularization": {"kind": "l2"}})).spec["training"]["regularization"] == \
        {"kind": "l2", "rate": 0.001}
    assert validate_spec(make_spec(training={"regularization": {"kind": "l1", "rate": 0.01}})) \
        .spec["training"]["regularization"]["rate"] == 0.01


def test_integral_float_is_accepted_as_int():
    v = validate_spec(make_spec(dataset={"samples": 200.0}))
    assert v.spec["dataset"]["samples"] == 200 and isinstance(v.spec["dataset"]["samples"], int)


# --- one error kind per test: path, node and message -------------------------------------------

def test_units_out_of_bounds():
    spec = make_spec()
    spec["network"]["nodes"][1]["params"]["units"] = 40
    e = only_error(spec)
    assert (e.path, e.node, e.message) == ("network.nodes[1].params.units", "h1", "units must be between 1 and 16 (got 40)")


def test_limits_are_configurable():
    spec = make_spec()
    spec["network"]["nodes"][1]["params"]["units"] = 20
    assert validate_spec(spec, Limits(max_units=32)).nodes["h1"]["shape"] == [20]


def test_unknown_block_type():
    spec = make_spec()
    spec["network"]["nodes"][2]["type"] = "conv9"
    e = only_error(spec)
    assert (e.path, e.node) == ("network.nodes[2].type", "a1")
    assert e.message.startswith("unknown block type 'conv9' — known types: input, dense, activation, dropout, ")


def test_cycle():
    spec = make_spec([4, 4])
    spec["network"]["edges"].append(["a2", "h1"])
    e = only_error(spec)
    assert e.message == "the graph has a cycle through a2 → h1 → a1 → h2 → a2: remove one of these edges"
    assert (e.path, e.node) == ("network.edges[5]", "a2")


def test_node_not_connected_to_the_input():
    spec = make_spec()
    spec["network"]["nodes"].append({"id": "h3", "type": "dense"})
    e = only_error(spec)
    assert (e.path, e.node, e.message) == ("network.nodes[4]", "h3", "node 'h3' is not connected to the input: connect it or delete it")


def test_edge_to_unknown_node():
    spec = make_spec()
    spec["network"]["edges"][2] = ["a1", "zz"]
    e = only_error(spec)
    assert (e.path, e.message) == ("network.edges[2]", "edge 2 refers to unknown node 'zz'")


def test_output_width_binary():
    spec = make_spec(dataset={"name": "spiral"}, out_units=3)
    e = only_error(spec)
    assert (e.path, e.node) == ("network.nodes[3].params.units", "out")
    assert e.message == "the output node 'out' has 3 units but 'spiral' is binary classification: use 1 unit (sigmoid) or 2 (softmax)"
    validate_spec(make_spec(dataset={"name": "spiral"}, out_units=2))  # softmax over 2 is fine


def test_output_width_blobs_and_regression():
    e = only_error(make_spec(dataset={"name": "blobs", "classes": 4}, out_units=3))
    assert e.message == "the output node 'out' has 3 units but 'blobs' has 4 classes: use 4 units (softmax)"
    e = only_error(make_spec(dataset={"name": "plane"}, out_units=2))
    assert e.message == "the output node 'out' has 2 units but 'plane' is regression: use 1 unit"


def test_unknown_dataset_lists_the_known():
    e = only_error(make_spec(dataset={"name": "mnist"}))
    assert e.path == "dataset.name"
    assert e.message == "unknown dataset 'mnist' — known datasets: circle, xor, gauss, spiral, moons, blobs, plane, multi_gauss, curve_fit, house_prices, digits8, digits16, delayed_recall, parity, adding, reverse, sort, toy_corpus"


def test_features():
    e = only_error(make_spec(dataset={"features": ["x1", "x3"]}))
    assert (e.path, e.message) == ("dataset.features[1]", "unknown feature 'x3' — known features: x1, x2, x1_sq, x2_sq, x1x2, sin_x1, sin_x2")
    e = only_error(make_spec(dataset={"features": []}))
    assert e.path == "dataset.features" and e.message.startswith("no features ticked")
    e = only_error(make_spec(dataset={"features": ["x1", "x1"]}))
    assert e.path == "dataset.features[1]" and "twice" in e.message


@pytest.mark.parametrize("section, field, value, message", [
    ("dataset", "noise", 1.5, "noise must be between 0 and 1 (got 1.5)"),
    ("dataset", "samples", 5, "samples must be between 10 and 2000 (got 5)"),
    ("dataset", "train_fraction", 0.95, "train_fraction must be between 0.1 and 0.9 (got 0.95)"),
    ("training", "epochs", 0, "epochs must be between 1 and 10000 (got 0)"),
    ("training", "batch_size", 2001, "batch_size must be between 1 and 2000 (got 2001)"),
    ("training", "learning_rate", 0, "learning_rate must be greater than 0 and at most 10 (got 0)"),
    ("training", "learning_rate", 11, "learning_rate must be greater than 0 and at most 10 (got 11)"),
    ("training", "momentum", 1.0, "momentum must be between 0 and 0.99 (got 1.0)"),
    ("training", "optimizer", "lbfgs", "optimizer must be one of sgd, momentum, adam, adamw, rmsprop (got 'lbfgs')"),
    ("training", "device", "tpu", "device must be one of auto, cpu, cuda (got 'tpu')"),
    # wrong JSON types: a string is not a number, and neither is a bool
    ("dataset", "samples", "500", "samples must be a whole number (got '500')"),
    ("dataset", "samples", 2.5, "samples must be a whole number (got 2.5)"),
    ("training", "learning_rate", True, "learning_rate must be a number (got true)"),
    ("training", "learning_rate", float("nan"), "learning_rate must be a finite number (got nan)"),
    ("training", "epochs", None, "epochs must be a whole number (got null)"),
    ("training", "epochs", 10**30, "epochs must be between 1 and 10000 (got a very large number)"),
])
def test_scalar_bounds_and_types(section, field, value, message):
    e = only_error(make_spec(**{section: {field: value}}))
    assert (e.path, e.node, e.message) == (f"{section}.{field}", None, message)


def test_bool_param_wants_a_bool():
    spec = make_spec()
    spec["network"]["nodes"][1]["params"]["bias"] = 1
    e = only_error(spec)
    assert (e.path, e.message) == ("network.nodes[1].params.bias", "bias must be true or false (got 1)")


def test_choice_param_and_unknown_param():
    spec = make_spec()
    spec["network"]["nodes"][2]["params"] = {"fn": "swish", "alpha": 1}
    errs = {e.path: e for e in errors_of(spec)}
    assert errs["network.nodes[2].params.fn"].message == \
        "fn must be one of linear, step, sign, sigmoid, tanh, relu, leaky_relu, gelu, softmax (got 'swish')"
    assert errs["network.nodes[2].params.alpha"].message.startswith("unknown param 'alpha' for a activation block")
    assert all(e.node == "a1" for e in errs.values())


def test_missing_network():
    e = only_error({"dataset": {"name": "xor"}})
    assert e.path == "network" and e.message.startswith("missing network")


def test_not_an_object():
    for junk in (None, [], "spec", 3):
        e = only_error(junk)
        assert e.path == ""


def test_duplicate_node_ids():
    spec = make_spec()
    spec["network"]["nodes"][2]["id"] = "h1"
    e = errors_of(spec)[0]
    assert (e.path, e.node) == ("network.nodes[2].id", "h1")
    assert e.message == "duplicate node id 'h1' (also node 1): give every node its own id"


def test_non_object_node():
    spec = make_spec()
    spec["network"]["nodes"].append("h9")
    e = only_error(spec)
    assert e.path == "network.nodes[4]" and "must be an object" in e.message


def test_more_than_one_input():
    spec = make_spec()
    spec["network"]["nodes"].append({"id": "in2", "type": "input"})
    e = only_error(spec)
    assert (e.path, e.node) == ("network.nodes[4]", "in2") and e.message.startswith("only one input node is allowed")


def test_no_input():
    spec = make_spec()
    spec["network"]["nodes"][0]["type"] = "dense"
    e = only_error(spec)
    assert e.path == "network.nodes" and e.message.startswith("the network has no input node")


def test_two_outputs():
    spec = make_spec()
    spec["network"]["nodes"].append({"id": "side", "type": "dense", "params": {"units": 1}})
    spec["network"]["edges"].append(["a1", "side"])
    e = only_error(spec)
    assert e.message.startswith("the network has 2 output nodes (out, side)")


def test_dense_takes_exactly_one_input():
    spec = make_spec([4, 4])
    spec["network"]["edges"].append(["a1", "out"])
    e = only_error(spec)
    assert (e.path, e.node) == ("network.nodes[5]", "out")
    assert e.message == "dense node 'out' takes one input but has 2 (from a2, a1): remove the extra edges"


def test_input_cannot_have_incoming_edges():
    spec = make_spec()
    spec["network"]["edges"].append(["a1", "in"])  # also a cycle: that is what gets reported
    assert "cycle" in only_error(spec).message
    spec = make_spec()
    spec["network"]["nodes"].append({"id": "x", "type": "activation"})
    spec["network"]["edges"].append(["x", "in"])
    msgs = {e.message for e in errors_of(spec)}
    assert "the input node 'in' cannot have incoming edges: remove edge 3" in msgs


def test_bad_edges():
    spec = make_spec()
    spec["network"]["edges"] += [["h1", "h1"], ["in", "h1"], ["in"], "in->h1"]
    msgs = [e.message for e in errors_of(spec)]
    assert "edge 3 connects 'h1' to itself: remove it" in msgs
    assert "edge 4 repeats edge 0 (in → h1): remove it" in msgs
    assert sum("must be a pair [from, to]" in m for m in msgs) == 2


def test_limits_on_size():
    e = only_error(make_spec([2] * 9))
    assert e.message == "the network has 10 dense blocks: at most 9 are allowed (8 hidden + the output layer)"
    e = only_error(make_spec([16, 16]), Limits(max_params=100))
    assert e.path == "network" and e.message.startswith("the network has 337 parameters: at most 100 are allowed")
    e = only_error(make_spec([2] * 40))
    assert e.message == "the network has 82 nodes: at most 64 are allowed"


def test_no_trainable_parameters():
    spec = make_spec(dataset={"features": ["x1"]})
    spec["network"] = {"nodes": [{"id": "in", "type": "input"}, {"id": "a", "type": "activation"}], "edges": [["in", "a"]]}
    assert only_error(spec).message == "the network has no trainable parameters: add a dense block"


def test_extra_points():
    ok = validate_spec(make_spec(dataset={"extra_points": [[1.5, -2, 1], [0, 0, 0.0]]}))
    assert ok.spec["dataset"]["extra_points"] == [[1.5, -2.0, 1], [0.0, 0.0, 0]]
    errs = errors_of(make_spec(dataset={"extra_points": [[1, 2, 2], [7, 0, 1], [1, 2], [0, 0, True]]}))
    got = {(e.path, e.message) for e in errs}
    assert ("dataset.extra_points[0]", "extra point 0: label must be between 0 and 1 (got 2)") in got
    assert ("dataset.extra_points[1]", "extra point 1: x1 must be between -6 and 6 (got 7)") in got
    assert ("dataset.extra_points[2]", "extra point 2 must be a list [x1, x2, label] (got a list)") in got
    assert ("dataset.extra_points[3]", "extra point 3: label must be a whole number (got true)") in got
    e = only_error(make_spec(dataset={"name": "plane", "extra_points": [[0, 0, 1.5]]}))
    assert e.message == "extra point 0: label must be between -1 and 1 (got 1.5)"
    e = only_error(make_spec(dataset={"extra_points": [[0, 0, 1]] * 201}))
    assert e.message == "at most 200 extra points are allowed (got 201): remove some"


def test_classes_only_for_blobs():
    e = only_error(make_spec(dataset={"classes": 3}))
    assert e.path == "dataset.classes" and "only to blobs" in e.message
    e = only_error(make_spec(dataset={"name": "blobs", "classes": 6}, out_units=6))
    assert e.message == "classes must be between 3 and 5 (got 6)"


def test_unknown_fields_are_reported():
    errs = errors_of(make_spec(training={"learning_rat": 0.1}, dataset={"nosie": 0.2}))
    got = {e.path: e.message for e in errs}
    assert got["training.learning_rat"].startswith("unknown field 'learning_rat' in training — known fields: optimizer")
    assert "dataset.nosie" in got


def test_all_independent_errors_are_collected():
    spec = make_spec(dataset={"noise": -1}, training={"learning_rate": "fast"})
    spec["network"]["nodes"][1]["params"]["units"] = 0
    spec["network"]["nodes"][2]["type"] = "conv9"
    paths = {e.path for e in errors_of(spec)}
    assert paths == {"dataset.noise", "training.learning_rate", "network.nodes[1].params.units", "network.nodes[2].type"}


def test_errors_are_json_ready():
    errs = errors_of(make_spec(dataset={"name": "nope"}))
    assert json.loads(json.dumps([e.as_dict() for e in errs])) == [{"path": "dataset.name", "node": None, "message": errs[0].message}]


def test_free_form_data_must_be_plain_and_shallow():
    deep = []
    for _ in range(500):  # as json.loads would give it: deep enough to blow a recursive copy
        deep = [deep]
    spec = make_spec()
    spec["meta"] = deep
    spec["network"]["nodes"][1]["pos"] = {"x": float("inf")}
    errs = {e.path: e for e in errors_of(spec)}
    assert errs["meta"].message == "meta cannot be stored: it nests more than 16 levels deep"
    assert errs["network.nodes[1]"].message == "the extra fields of node 1 cannot be stored: it holds inf, which JSON cannot represent"
    assert errs["network.nodes[1]"].node == "h1"
