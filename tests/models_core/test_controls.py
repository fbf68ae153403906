import pytest

from models_core import train, validate_spec
from models_core.controls import validate_control

from .helpers import ScriptedControl, make_spec, of_type

STOP = {"action": "stop", "reason": "teacher said so"}


def spec(**training):
    return make_spec([4], dataset={"samples": 100}, training={"epochs": 10000, "batch_size": 10, **training})


def index(events, pred):
    return next(i for i, e in enumerate(events) if pred(e))


def test_pause_step_set_set_weight_resume_stop():
    events = []
    control = ScriptedControl([
        [{"action": "pause"}],  # the poll before the first batch
        [{"action": "step"}],  # while paused: exactly one epoch, then paused again
        [{"action": "set", "learning_rate": 0.1}],
        [{"action": "set_weight", "node": "h1", "row": 0, "col": 1, "value": 0.5}],
        [{"action": "resume"}],
        [],
        [STOP],
    ], events)
    r = train(spec(), events.append, control, visual_interval=1e9)
    assert (r.status, r.reason) == ("cancelled", "teacher said so")

    statuses = of_type(events, "status")
    assert [(s["status"], s["epoch"]) for s in statuses] == [("paused", 0), ("running", 1)]
    running = index(events, lambda e: e["type"] == "status" and e["status"] == "running")
    paused_part = events[index(events, lambda e: e["type"] == "status"):running]
    # the step trained epoch 1 (5 batches) and showed it: metrics, gradients and fresh pictures
    assert [(m["epoch"], m["step"]) for m in of_type(paused_part, "metrics")] == [(1, 5)]
    assert len(of_type(paused_part, "gradients")) == 1
    assert len(of_type(paused_part, "boundary")) == 2  # after the step, after set_weight
    settings = of_type(paused_part, "settings")
    assert settings == [{"type": "settings", "step": 5, "epoch": 1, "learning_rate": 0.1, "batch_size": 10,
                         "regularization_rate": 0.0}]
    weights = of_type(paused_part, "weights")[-1]["layers"]["h1"]["weight"]
    assert weights[0][1] == 0.5
    # after resume it trains on until the stop
    assert of_type(events[running:], "metrics")[0]["epoch"] == 2
    assert r.epochs >= 2 and r.final["epochs"] == r.epochs
    assert of_type(events, "weights")[-1]["epoch"] == r.epochs  # the end's pictures


def test_several_steps_queue_and_stop_while_paused():
    events = []
    control = ScriptedControl([[{"action": "pause"}], [{"action": "step"}, {"action": "step"}], [], [{"action": "stop"}]], events)
    r = train(spec(), events.append, control)
    assert (r.status, r.reason, r.epochs, r.steps) == ("cancelled", "stopped", 2, 10)
    assert [m["epoch"] for m in of_type(events, "metrics")] == [0, 1, 2]


def test_set_batch_size_and_regularization_take_effect():
    events = []
    control = ScriptedControl([[{"action": "set", "batch_size": 50, "regularization_rate": 0.01}], [STOP]], events)
    train(spec(regularization={"kind": "l2"}), events.append, control)
    assert of_type(events, "settings")[-1] == {"type": "settings", "step": 0, "epoch": 0, "learning_rate": 0.03,
                                               "batch_size": 50, "regularization_rate": 0.01}
    metrics = of_type(events, "metrics")
    assert [m["step"] for m in metrics[:4]] == [0, 1, 2, 3]  # 50 training points: one batch per epoch


def test_ill_timed_and_bad_controls_are_ignored():
    events = []
    control = ScriptedControl([[{"action": "set_weight", "node": "h1", "row": 0, "col": 0, "value": 9.0},  # not paused
                                {"action": "step"}, {"action": "resume"},  # not paused either
                                {"action": "jump"}, "junk", {"action": "set", "learning_rate": -1}],
                               [STOP]], events)
    r = train(spec(epochs=3), events.append, control)
    assert r.status in ("succeeded", "cancelled")
    assert not of_type(events, "status") and len(of_type(events, "settings")) == 1
    assert of_type(events, "weights")[0]["layers"]["h1"]["weight"][0][0] != 9.0


@pytest.mark.parametrize("message, path, text", [
    ({"action": "jump"}, "action", "unknown action 'jump' — known actions: pause, resume, step, stop, set, set_weight"),
    ("pause", "", "a control must be an object"),
    ({"action": "pause", "now": True}, "now", "unknown field 'now' for pause"),
    ({"action": "set"}, "action", "set needs at least one of learning_rate, batch_size, regularization_rate"),
    ({"action": "set", "learning_rate": 0}, "learning_rate", "learning_rate must be greater than 0 and at most 10 (got 0)"),
    ({"action": "set", "batch_size": 2.5}, "batch_size", "batch_size must be a whole number (got 2.5)"),
    ({"action": "set", "regularization_rate": 2}, "regularization_rate", "regularization_rate must be between 0 and 1 (got 2)"),
    ({"action": "set", "learning_rate": "0.1"}, "learning_rate", "learning_rate must be a number (got '0.1')"),
    ({"action": "stop", "reason": 5}, "reason", "reason must be a text"),
    ({"action": "set_weight", "node": "zz", "row": 0, "col": 0, "value": 1}, "node", "unknown node 'zz' — nodes with weights: h1, out"),
    ({"action": "set_weight", "node": "a1", "row": 0, "col": 0, "value": 1}, "node", "unknown node 'a1'"),
    ({"action": "set_weight", "node": "h1", "row": 4, "col": 0, "value": 1}, "row", "row must be between 0 and 3 (got 4): h1 has 4 units"),
    ({"action": "set_weight", "node": "h1", "row": 0, "col": 2, "value": 1}, "col", "col must be between 0 and 1 (got 2) or \"bias\": h1 has 2 inputs"),
    ({"action": "set_weight", "node": "h1", "row": 0, "col": 0, "value": float("nan")}, "value", "value must be a finite number"),
    ({"action": "set_weight", "node": "h1", "row": 0, "col": 0, "value": True}, "value", "value must be a number (got true)"),
    ({"action": "set_weight", "node": "h1", "row": 0, "col": 0}, "value", "set_weight needs value"),
])
def test_validate_control_errors(message, path, text):
    errors = validate_control(message, spec())
    assert errors and errors[0].path == path and errors[0].message.startswith(text), [e.as_dict() for e in errors]


def test_validate_control_accepts_good_messages():
    v = validate_spec(spec())
    for msg in [{"action": "pause"}, {"action": "resume"}, {"action": "step"}, {"action": "stop"},
                {"action": "stop", "reason": "bye"}, {"action": "set", "learning_rate": 0.1, "batch_size": 20},
                {"action": "set", "regularization_rate": 0.0},
                {"action": "set_weight", "node": "out", "row": 0, "col": 3, "value": -2.5},
                {"action": "set_weight", "node": "h1", "row": 3, "col": "bias", "value": 0}]:
        assert validate_control(msg, v) == [] and validate_control(msg, v.spec) == []
    no_bias = make_spec([4], bias=False)
    errs = validate_control({"action": "set_weight", "node": "h1", "row": 0, "col": "bias", "value": 0}, no_bias)
    assert errs[0].node == "h1" and "has no bias" in errs[0].message


def test_set_batch_size_keeps_the_activation_memory_budget():
    from models_core import Limits

    spec = make_spec([8])
    v = validate_spec(spec, Limits(max_activation_bytes=4 * 2**10))  # a few KB: a batch of 10 fits, 2000 does not
    assert validate_control({"action": "set", "batch_size": 10}, v) == []
    errors = validate_control({"action": "set", "batch_size": 2000}, v)
    assert [e.path for e in errors] == ["batch_size"] and "use a batch of at most" in errors[0].message
