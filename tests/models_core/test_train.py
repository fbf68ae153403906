import json
import re

import pytest

from models_core import RunResult, train, validate_spec

from .helpers import make_spec, of_type


def run(spec, **kw):
    events = []
    result = train(spec, events.append, **kw)
    assert isinstance(result, RunResult)
    return result, events


def test_xor_needs_a_hidden_layer():
    # the lesson: 4 tanh units learn xor, a linear model (no hidden layer) cannot
    hidden = make_spec([4], dataset={"name": "xor", "samples": 400, "noise": 0},
                       training={"optimizer": "adam", "epochs": 100})
    r = train(hidden, None, stream=False)
    assert r.status == "succeeded" and r.final["test_accuracy"] >= 0.95
    linear = make_spec([], dataset={"name": "xor", "samples": 400, "noise": 0},
                       training={"optimizer": "adam", "epochs": 50})
    assert train(linear, None, stream=False).final["test_accuracy"] <= 0.75


def test_gauss_is_learned_by_a_linear_model():
    r = train(make_spec([], dataset={"name": "gauss", "samples": 200, "noise": 0}, training={"epochs": 20}), None, stream=False)
    assert r.final["test_accuracy"] >= 0.99 and r.final["train_accuracy"] >= 0.99


def test_plane_regression_reaches_low_loss():
    r = train(make_spec([], dataset={"name": "plane", "samples": 200, "noise": 0},
                        training={"epochs": 30, "learning_rate": 0.01}), None, stream=False)
    assert r.status == "succeeded" and r.final["test_loss"] < 1e-3 and "test_accuracy" not in r.final


def test_blobs_with_softmax_and_binary_with_two_units():
    r = train(make_spec([8], dataset={"name": "blobs", "classes": 4, "samples": 200}, out_units=4,
                        training={"optimizer": "adam", "epochs": 20}), None, stream=False)
    assert r.final["test_accuracy"] >= 0.9
    r = train(make_spec([], dataset={"name": "gauss", "samples": 200, "noise": 0}, out_units=2,
                        training={"optimizer": "momentum", "epochs": 10}), None, stream=False)
    assert r.final["test_accuracy"] >= 0.99


def test_divergence_fails_with_a_helpful_reason():
    r = train(make_spec([], dataset={"name": "plane", "samples": 200}, training={"learning_rate": 10, "epochs": 50}),
              None, stream=False)
    assert r.status == "failed"
    assert re.fullmatch(r"loss became (NaN|infinite) at step \d+ — try a lower learning rate", r.reason)
    step = int(re.search(r"step (\d+)", r.reason).group(1))
    assert 1 <= step <= r.steps and r.epochs <= 2
    assert r.final["train_loss"] is not None  # the last good metrics are kept
    r2, events = run(make_spec([], dataset={"name": "plane", "samples": 200}, training={"learning_rate": 10, "epochs": 50}))
    assert r2.reason == r.reason
    assert all(x is not None for e in of_type(events, "metrics") for x in (e["train_loss"], e["test_loss"]))


def test_same_seed_same_losses_and_streaming_changes_nothing():
    spec = make_spec([4, 2], training={"epochs": 8})
    a, ea = run(spec)
    b, eb = run(spec)
    c = train(spec, None, stream=False)
    losses = lambda ev: [(e["train_loss"], e["test_loss"]) for e in of_type(ev, "metrics")]  # noqa: E731
    assert losses(ea) == losses(eb) and a.final == b.final == c.final
    d = train(make_spec([4, 2], training={"epochs": 8, "seed": 2}), None, stream=False)
    assert d.final != a.final


def test_event_stream():
    spec = make_spec([4, 2], dataset={"samples": 100}, training={"epochs": 6, "batch_size": 10})
    r, events = run(spec, visual_interval=1e9)
    assert r.status == "succeeded" and (r.epochs, r.steps) == (6, 30) and r.reason is None
    assert [e["type"] for e in events[:6]] == ["settings", "metrics", "boundary", "neurons", "weights", "histograms"]
    # and the end's pictures, histograms and the test set's confusion matrix
    assert [e["type"] for e in events[-5:]] == ["boundary", "neurons", "weights", "histograms", "confusion"]
    metrics = of_type(events, "metrics")
    assert [(m["epoch"], m["step"]) for m in metrics] == [(i, 5 * i) for i in range(7)]
    assert set(metrics[0]) == {"type", "step", "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy"}
    assert {k: metrics[-1][k] for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")} == \
        {k: r.final[k] for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")}
    assert (r.final["epochs"], r.final["steps"]) == (6, 30)
    grads = of_type(events, "gradients")
    assert len(grads) == 6 and all(g["layers"] == ["h1", "h2", "out"] for g in grads)
    assert all(len(g["norms"]) == len(g["mean_abs"]) == 3 and min(g["norms"]) > 0 for g in grads)
    assert of_type(events, "settings") == [{"type": "settings", "step": 0, "epoch": 0, "learning_rate": 0.03,
                                            "batch_size": 10, "regularization_rate": 0.0}]
    assert len(of_type(events, "boundary")) == 2  # start and end only, with a huge interval
    json.dumps(events)


def test_visuals_follow_the_interval():
    _, events = run(make_spec([4], training={"epochs": 5}), visual_interval=0.0)
    assert len(of_type(events, "boundary")) >= 5 * 5  # every batch when the interval is 0


def test_sink_object_with_emit_and_validated_spec():
    class Sink:
        def __init__(self):
            self.events = []

        def emit(self, event):
            self.events.append(event)

    sink = Sink()
    r = train(validate_spec(make_spec(training={"epochs": 2})), sink)
    assert r.status == "succeeded" and of_type(sink.events, "metrics")


def test_step_activation_blocks_learning_before_it():
    spec = make_spec([4], fn="step", training={"epochs": 5})
    r, events = run(spec, visual_interval=1e9)
    weights = of_type(events, "weights")
    assert weights[0]["layers"]["h1"] == weights[-1]["layers"]["h1"]  # nothing before the step learned
    assert weights[0]["layers"]["out"] != weights[-1]["layers"]["out"]  # the layer after it did
    assert all(g["norms"][0] == 0 and g["norms"][1] > 0 for g in of_type(events, "gradients"))


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_regularization_shrinks_weights(kind):
    def weight_norm(rate):
        spec = make_spec([8], dataset={"name": "gauss", "samples": 100},
                         training={"epochs": 30, "regularization": {"kind": kind, "rate": rate}})
        _, events = run(spec, visual_interval=1e9)
        layers = of_type(events, "weights")[-1]["layers"]
        return sum(abs(w) for layer in layers.values() for row in layer["weight"] for w in row)
    assert weight_norm(0.1) < 0.8 * weight_norm(0.0)


def test_regression_events_have_no_accuracy_and_value_boundary():
    r, events = run(make_spec([4], dataset={"name": "multi_gauss"}, training={"epochs": 2}))
    assert "train_accuracy" not in of_type(events, "metrics")[-1]
    assert of_type(events, "boundary")[0]["kind"] == "value"
