"""The one declaration of the run socket's messages (models_core/messages.py): every event real runs of
every dataset family emit is declared, has the declared fields and stays within its size bound; every
published type is emitted by one of them; docs/api.md's table is the declaration's."""
import json
import re
from pathlib import Path

import pytest

from models_core import messages
from models_core.train import train

from .helpers import ScriptedControl, make_spec


def chain(*nodes):
    ids = [n[0] for n in nodes]
    return {"nodes": [{"id": i, "type": t, "params": p} for i, t, p in nodes],
            "edges": [[a, b] for a, b in zip(ids, ids[1:])]}


POLY = chain(("in", "input", {}), ("out", "dense", {"units": 1}))
QUICK = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "steps": 6, "device": "cpu"}
TRANSFORMER = chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 16}),
                    ("pe", "positional_encoding", {"kind": "learned"}), ("t", "transformer_block", {"heads": 2}),
                    ("out", "token_logits", {}))
# pause at the start, change a setting and a weight while paused, resume: status and settings events
STEERED = [[{"action": "pause"}], [{"action": "set", "learning_rate": 0.1}],
           [{"action": "set_weight", "node": "h1", "row": 0, "col": 1, "value": 0.5}], [{"action": "resume"}]]

# one small run per dataset family and per kind of view: (spec, control script)
RUNS = {
    "plane_classification": (make_spec([4, 4], training={"epochs": 3}), STEERED),
    "plane_regression": (make_spec([4], dataset={"name": "plane"}, training={"epochs": 2}), None),
    "plane_crossval": (make_spec([4], training={"epochs": 2, "folds": 3}), None),
    "curve_closed_form": ({"network": POLY, "dataset": {"name": "curve_fit", "degree": 3},
                           "training": {"solver": "closed_form", "device": "cpu"}}, None),
    "curve_crossval": ({"network": POLY, "dataset": {"name": "curve_fit", "degree": 9},
                        "training": {"solver": "closed_form", "folds": 3, "device": "cpu"}}, None),
    "perceptron": ({"network": chain(("in", "input", {}), ("p1", "perceptron", {"units": 1})),
                    "dataset": {"name": "gauss", "samples": 100}, "training": {"epochs": 3, "device": "cpu"}}, None),
    "image_conv": ({"network": chain(("in", "input", {"kind": "image"}), ("c1", "conv2d", {"channels": 4, "kernel": 3, "padding": 1}),
                                     ("r1", "activation", {"fn": "relu"}), ("p1", "maxpool2d", {}), ("f", "flatten", {}),
                                     ("out", "dense", {"units": 10})),
                    "dataset": {"name": "digits8"}, "training": QUICK}, None),
    "sequence_lstm": ({"network": chain(("in", "input", {"kind": "sequence"}), ("l", "lstm", {"hidden": 8}), ("out", "dense", {"units": 2})),
                       "dataset": {"name": "parity", "samples": 200}, "training": QUICK}, None),
    "tokens_attention": ({"network": TRANSFORMER, "dataset": {"name": "toy_corpus", "sentences": 100}, "training": QUICK}, None),
}


def run(spec, script=None):
    events = []
    control = ScriptedControl(script, events) if script else None
    result = train(spec, events.append, control, visual_interval=0)
    assert result.status == "succeeded", result.reason
    return events


@pytest.fixture(scope="module")
def emitted():
    return {name: run(spec, script) for name, (spec, script) in RUNS.items()}


@pytest.mark.parametrize("name", RUNS)
def test_every_event_a_run_emits_is_declared_with_its_fields_and_within_its_size_bound(emitted, name):
    problems = [p for event in emitted[name] for p in messages.problems(event, emitted=True)]
    assert problems == []


def test_every_published_type_is_emitted_by_some_run(emitted):
    seen = {event["type"] for events in emitted.values() for event in events}
    assert seen == set(messages.names(*messages.PUBLISHED))


# Known producers past their declared bound (the declaration is the contract; the producer is to be
# fixed): attention maps have no budget over heads × blocks, a token set's confusion matrix is vocab².
OVER_BOUND = {
    "attention": {"network": chain(("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 32}),
                                   ("t", "transformer_block", {"heads": 16}), ("out", "token_logits", {})),
                  "dataset": {"name": "toy_corpus", "sentences": 100}, "training": {**QUICK, "steps": 2}},
    "confusion": {"network": TRANSFORMER, "dataset": {"name": "toy_corpus", "sentences": 200, "level": "word"},
                  "training": {**QUICK, "steps": 2}},
}


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="probes.attention / instrument.confusion have no size budget yet (114 KB, 136 KB)")
@pytest.mark.parametrize("kind", OVER_BOUND)
def test_the_widest_views_stay_within_their_bound(kind):
    events = [e for e in run(OVER_BOUND[kind]) if e["type"] == kind]
    assert events and [p for e in events for p in messages.problems(e, emitted=True)] == []


# -----------------------------------------------------------------------------
# the declaration itself

def test_docs_api_md_holds_the_declarations_table():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- messages:begin[^\n]*-->\n(.*?)<!-- messages:end -->", docs, re.S)
    assert table, "docs/api.md lost its <!-- messages:begin --> ... <!-- messages:end --> markers"
    assert table.group(1) == messages.markdown(), "run: python -m models_core.messages --markdown, paste into docs/api.md"


def test_every_declared_field_is_named_in_its_docs_line_and_every_type_has_a_bound():
    for m in messages.MESSAGES:
        for name in (*m.field_names, *m.point_names):
            assert f"`{name}`" in m.doc or f'"{name}"' in m.doc, (m.name, name)
        assert m.max_bytes or m.name == "snapshot", m.name
        assert m.retention in (*messages.PUBLISHED, messages.DIRECT), m.name
        assert set(m.added) <= {*m.field_names, *m.point_names}, m.name
        assert not m.history or m.rows, m.name  # the snapshot's history is read from the rows


def test_an_undeclared_type_is_refused_by_name():
    with pytest.raises(messages.UndeclaredMessage, match="'samples' is not declared"):
        messages.check({"type": "samples", "step": 0})


def test_check_names_unknown_missing_mistyped_and_oversized_fields():
    ok = {"type": "settings", "step": 3, "epoch": 1, "learning_rate": 0.1, "batch_size": 10, "regularization_rate": 0}
    assert messages.check(ok, emitted=True) is ok
    assert messages.problems({**ok, "run": "r", "seq": 4}) == []
    assert messages.problems(ok) == ["settings: missing field 'run'", "settings: missing field 'seq'"]
    bad = {**ok, "momentum": 0.9, "batch_size": "10"}
    del bad["learning_rate"]
    assert messages.problems(bad, emitted=True) == [
        "settings: missing field 'learning_rate'", "settings: field 'batch_size' is str, declared int",
        "settings: field 'momentum' is not declared"]
    big = {"type": "kv_cache", "step": 0, "epoch": 0, "blocks": [{"node": "t" * 100}] * 50}
    assert messages.problems(big, emitted=True) == [f"kv_cache: {len(json.dumps(big))} bytes of JSON, bound 4096"]
    with pytest.raises(ValueError):  # NaN is no JSON a browser reads
        messages.problems({**ok, "learning_rate": float("nan")}, emitted=True)


def test_a_sent_points_message_is_checked_point_by_point():
    point = {"step": 1, "epoch": 1, "norms": [0.5], "mean_abs": [0.1]}
    sent = {"type": "gradients", "run": "r", "seq": 2, "step": 1, "epoch": 1, "layers": ["h1"], "points": [point, {**point, "x": 1}]}
    assert messages.problems(sent) == ["gradients.points[1]: field 'x' is not declared"]
    assert messages.problems({"type": "gradients", "step": 1, "epoch": 1, "layers": ["h1"], "norms": [1], "mean_abs": [1]},
                             emitted=True) == []
