"""Image, sequence and token datasets through validation and the training loop, and the views they
stream: conv kernels and feature maps, recurrent states and gates, attention maps, KV-cache bytes,
histograms and the confusion matrix."""
import json

import pytest
import torch
import torch.nn as nn

from models_core import SpecInvalid, validate_spec
from models_core.data_sequences import IGNORE
from models_core.datasets import catalogue, make_dataset
from models_core.graph_model import GraphModel
from models_core.probes import _direction
from models_core.recipes.objective import Objective, averager, evaluate
from models_core.train import train


def chain(*nodes):
    ids = [n[0] for n in nodes]
    return {"nodes": [{"id": i, "type": t, "params": p} for i, t, p in nodes],
            "edges": [[a, b] for a, b in zip(ids, ids[1:])]}


CNN = chain(("in", "input", {"kind": "image"}), ("c1", "conv2d", {"channels": 4, "kernel": 3, "padding": 1}),
            ("r1", "activation", {"fn": "relu"}), ("p1", "maxpool2d", {}), ("f", "flatten", {}),
            ("out", "dense", {"units": 10}))
LSTM = chain(("in", "input", {"kind": "sequence"}), ("l", "lstm", {"hidden": 8, "layers": 2}), ("out", "dense", {"units": 2}))
TRANSFORMER = chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 16}),
                    ("pe", "positional_encoding", {"kind": "learned"}), ("t", "transformer_block", {"heads": 2}),
                    ("out", "token_logits", {}))
QUICK = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32}

# a fitting network for every new dataset
CASES = {
    "digits8": (CNN, {"name": "digits8"}),
    "digits16": (CNN, {"name": "digits16", "samples": 300}),
    "parity": (LSTM, {"name": "parity", "samples": 200}),
    "adding": (chain(("in", "input", {"kind": "sequence"}), ("g", "gru", {"hidden": 8}), ("out", "dense", {"units": 1})),
               {"name": "adding", "samples": 200}),
    "delayed_recall": (chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 8}),
                             ("r", "rnn", {"hidden": 8, "output": "sequence"}), ("out", "dense", {"units": 4})),
                       {"name": "delayed_recall", "samples": 200}),
    "reverse": (TRANSFORMER, {"name": "reverse", "samples": 200}),
    "sort": (TRANSFORMER, {"name": "sort", "samples": 200}),
    "toy_corpus": (TRANSFORMER, {"name": "toy_corpus", "sentences": 100, "language": "zh"}),
}


def run(spec, **kw):
    events = []
    result = train(spec, events.append, **kw)
    return result, events


def of_type(events, kind):
    return [e for e in events if e["type"] == kind]


@pytest.mark.parametrize("name", CASES)
def test_every_new_dataset_trains_and_streams_small_messages(name):
    network, dataset = CASES[name]
    result, events = run({"network": network, "dataset": dataset, "training": {**QUICK, "steps": 12}})
    assert result.status == "succeeded" and result.steps == 12, result.reason
    regression = name == "adding"
    keys = ("train_rms", "test_rms") if regression else ("train_accuracy", "test_accuracy")
    assert all(k in result.final for k in keys)
    kinds = {e["type"] for e in events}
    assert {"metrics", "gradients", "histograms", "weights"} <= kinds
    assert not kinds & {"boundary", "neurons", "curve"}  # no plane to draw
    assert ("confusion" in kinds) != regression
    for e in events:
        assert len(json.dumps(e, allow_nan=False)) <= 64 * 1024, e["type"]


def test_the_dataset_sets_the_input_shape_and_wrong_kinds_are_named():
    v = validate_spec({"network": CNN, "dataset": {"name": "digits8"}})
    assert v.network["nodes"][0]["params"] == {"kind": "image", "channels": 1, "height": 8, "width": 8}
    assert v.nodes["out"]["shape"] == [10] and v.input_kind == "image"
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": LSTM, "dataset": {"name": "digits16"}})
    (err,) = e.value.errors
    assert err.node == "in" and err.path == "network.nodes[0].params.kind"
    assert "gives images 1×16×16" in err.message and "use kind 'image'" in err.message


def test_a_dense_on_an_image_says_insert_a_flatten():
    no_flatten = chain(("in", "input", {"kind": "image"}), ("c1", "conv2d", {"channels": 4}), ("out", "dense", {"units": 10}))
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": no_flatten, "dataset": {"name": "digits16"}})
    (err,) = e.value.errors
    assert err.node == "out" and "insert a flatten" in err.message


def test_per_step_datasets_want_an_answer_at_every_step():
    flat = chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 8}), ("f", "flatten", {}),
                 ("out", "dense", {"units": 8}))
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": flat, "dataset": {"name": "reverse"}})
    (err,) = e.value.errors
    assert err.node == "out" and "answer at every step" in err.message and "8 steps × 8 classes" in err.message
    wrong_width = chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 8}), ("out", "dense", {"units": 5}))
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": wrong_width, "dataset": {"name": "reverse"}})
    assert "use 8 units" in e.value.errors[0].message


def test_bad_dataset_params_are_structured_errors():
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": TRANSFORMER, "dataset": {"name": "delayed_recall", "lag": 20, "length": 10}})
    assert [x.path for x in e.value.errors] == ["dataset"] and "lag must be below length" in e.value.errors[0].message
    with pytest.raises(SpecInvalid) as e:
        validate_spec({"network": CNN, "dataset": {"name": "digits16", "samples": 10**6, "colour": 1}})
    assert sorted(x.path for x in e.value.errors) == ["dataset.colour", "dataset.samples"]


def test_catalogue_lists_the_new_datasets_with_their_kind():
    cat = {d["name"]: d for d in catalogue()}
    assert cat["digits16"]["kind"] == "image" and cat["digits16"]["classes"] == 10
    assert cat["reverse"]["kind"] == "tokens" and cat["parity"]["kind"] == "sequence"
    assert cat["toy_corpus"]["kind"] == "tokens" and cat["circle"]["kind"] == "tabular"
    assert {p["name"] for p in cat["toy_corpus"]["params"]} >= {"language", "block_size", "seed"}
    json.dumps(cat)


# -----------------------------------------------------------------------------
# per-step targets: losses and accuracies count only the answered steps

class Constant(nn.Module):
    """Always predicts class 0 at every step, with logits (0, -1, -1, ...)."""
    needs_eval_mode = False

    def __init__(self, classes):
        super().__init__()
        self.classes = classes

    def forward(self, x):
        out = torch.full((*x.shape, self.classes), -1.0)
        out[..., 0] = 0.0
        return out


def test_accuracy_and_loss_skip_ignored_steps():
    ds = make_dataset({"name": "delayed_recall", "lag": 3, "length": 10, "symbols": 4, "samples": 400})
    objective = Objective("classification", 4, per_step=True)
    x_all, y_all = torch.cat([ds.x_train, ds.x_test]), torch.cat([ds.y_train, ds.y_test])
    n = len(ds.x_train)
    avg = averager(objective.answers(y_all), n)
    train_loss, test_loss, train_acc, test_acc = evaluate(Constant(4), objective, x_all, y_all, avg).tolist()
    answered = ds.y_test[ds.y_test != IGNORE]
    assert (ds.y_test == IGNORE).sum() == 3 * len(ds.y_test)  # the first `lag` steps have no answer
    assert test_acc == pytest.approx((answered == 0).float().mean().item(), abs=1e-6)
    expected = torch.nn.functional.cross_entropy(torch.tensor([[0.0, -1, -1, -1]]).expand(len(answered), 4), answered)
    assert test_loss == pytest.approx(expected.item(), rel=1e-5)


# -----------------------------------------------------------------------------
# the views

def test_conv_view_shows_kernels_and_feature_maps_of_the_probe():
    network, dataset = CASES["digits16"]
    _, events = run({"network": network, "dataset": dataset, "training": {**QUICK, "steps": 3}})
    conv = of_type(events, "conv")[-1]
    assert len(conv["probe"]["image"]) == 16 and len(conv["probe"]["image"][0]) == 16
    assert conv["probe"]["label"] in [str(d) for d in range(10)]
    c1, p1 = conv["layers"]
    assert (c1["node"], c1["type"], p1["type"]) == ("c1", "conv2d", "maxpool2d")
    assert len(c1["kernels"]) == 4 and len(c1["kernels"][0]) == 3  # 4 output channels, 3×3
    assert len(c1["maps"]) == 4 and len(c1["maps"][0]) == 16 and len(p1["maps"][0]) == 8


def test_confusion_matrix_counts_the_test_set():
    network, dataset = CASES["digits16"]
    result, events = run({"network": network, "dataset": dataset, "training": {**QUICK, "steps": 20}})
    conf = of_type(events, "confusion")[-1]
    matrix = torch.tensor(conf["matrix"])
    assert conf["classes"] == [str(d) for d in range(10)] and matrix.shape == (10, 10)
    test = make_dataset(dataset).y_test
    assert matrix.sum() == len(test) and matrix.sum(dim=1).tolist() == torch.bincount(test, minlength=10).tolist()
    assert matrix.trace().item() / len(test) == pytest.approx(result.final["test_accuracy"], abs=1e-3)
    for m in conf["mistakes"]:
        assert m["true"] != m["pred"] and len(m["image"]) == 16


@pytest.mark.parametrize("kind, gates", [("lstm", {"input", "forget", "output"}), ("gru", {"reset", "update"}), ("rnn", set())])
def test_recurrent_view_recomputes_what_the_layer_computes(kind, gates):
    network = chain(("in", "input", {"kind": "sequence"}), ("l", kind, {"hidden": 6, "layers": 2, "bidirectional": True,
                                                                         "output": "sequence"}),
                    ("f", "flatten", {}), ("out", "dense", {"units": 2}))
    spec = {"network": network, "dataset": {"name": "parity", "samples": 100}, "training": {**QUICK, "steps": 2}}
    _, events = run(spec)
    view = of_type(events, "recurrent")[-1]
    (layer,) = view["layers"]
    assert layer["kind"] == kind and set(layer["gates"]) == gates
    assert len(layer["hidden"]) == 8 and len(layer["hidden"][0]) == 6  # T × H
    assert len(view["tokens"]) == 8
    # the recomputation agrees with PyTorch's own layer: states of both layers, both directions
    torch.manual_seed(0)
    rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind](3, 5, num_layers=2, bidirectional=True, batch_first=True)
    x = torch.randn(1, 7, 3)
    expected, _ = rnn(x)
    fwd0, _ = _direction(kind, rnn, x[0], 0, False)
    bwd0, _ = _direction(kind, rnn, x[0], 0, True)
    fwd1, _ = _direction(kind, rnn, torch.cat([fwd0, bwd0], dim=1), 1, False)
    assert torch.allclose(fwd1, expected[0, :, :5], atol=1e-5)


def test_attention_view_and_kv_cache():
    network, dataset = CASES["reverse"]
    _, events = run({"network": network, "dataset": dataset, "training": {**QUICK, "steps": 2}})
    view = of_type(events, "attention")[-1]
    (layer,) = view["layers"]
    heads = torch.tensor(layer["heads"])
    assert layer["node"] == "t" and heads.shape == (2, 8, 8)
    assert torch.allclose(heads.sum(dim=-1), torch.ones(2, 8), atol=2e-3)  # each query's weights sum to 1
    assert len(view["tokens"]) == 8
    (kv,) = of_type(events, "kv_cache")
    v = validate_spec({"network": network, "dataset": dataset})
    assert kv["blocks"] == [{"node": "t", "type": "transformer_block",
                             "bytes_per_token": GraphModel(v).blocks[2].kv_cache_bytes_per_token()}]
    assert kv["blocks"][0]["bytes_per_token"] == 2 * 16 * 4  # keys and values, 16 floats each, 4 bytes a float


def test_histograms_bin_every_parameter():
    network, dataset = CASES["parity"]
    _, events = run({"network": network, "dataset": dataset, "training": {**QUICK, "steps": 4}})
    h = of_type(events, "histograms")[-1]
    v = validate_spec({"network": network, "dataset": dataset})
    assert [layer["node"] for layer in h["layers"]] == ["l", "out"]
    for layer in h["layers"]:
        assert sum(layer["weights"]["counts"]) == v.nodes[layer["node"]]["params"]
        assert sum(layer["grads"]["counts"]) == v.nodes[layer["node"]]["params"]
        assert layer["weights"]["lo"] < layer["weights"]["hi"]


def test_steps_budget_and_cpu_runs_repeat_exactly():
    network, dataset = CASES["digits8"]
    spec = {"network": network, "dataset": dataset, "training": {**QUICK, "steps": 7, "seed": 3}}
    a, b = train(spec, stream=False), train(spec, stream=False)
    assert a.steps == b.steps == 7 and a.final == b.final
