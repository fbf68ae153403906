"""Presets a teacher may start an assignment from: the playground's classic setups plus the lesson
configurations shipped in models_core.lessons (every public function there that needs no arguments
and returns a spec that validates; the library grows without a change here)."""
import inspect
import logging

from models_core import SpecInvalid, validate_spec
from playground.limits import instance_limits

log = logging.getLogger(__name__)


def _classic(dataset, units, epochs=30):
    nodes = [{"id": "in", "type": "input"}]
    edges, previous = [], "in"
    for i, u in enumerate(units, 1):
        nodes += [{"id": f"h{i}", "type": "dense", "params": {"units": u}},
                  {"id": f"a{i}", "type": "activation", "params": {"fn": "tanh"}}]
        edges += [[previous, f"h{i}"], [f"h{i}", f"a{i}"]]
        previous = f"a{i}"
    nodes.append({"id": "out", "type": "dense", "params": {"units": 1}})
    edges.append([previous, "out"])
    return {"network": {"nodes": nodes, "edges": edges},
            "dataset": {"name": dataset, "samples": 200, "noise": 0.1, "train_fraction": 0.5, "features": ["x1", "x2"], "seed": 1},
            "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10, "epochs": epochs, "seed": 1}}


CLASSIC = {
    "circle: one hidden layer of 4": _classic("circle", [4]),
    "xor: one hidden layer of 4": _classic("xor", [4]),
    "spiral: two hidden layers of 8": _classic("spiral", [8, 8], epochs=200),
}


def _lessons():
    try:
        from models_core import lessons
    except ImportError:
        return {}
    found = {}
    for name, fn in inspect.getmembers(lessons, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != lessons.__name__:
            continue
        if any(p.default is inspect.Parameter.empty for p in inspect.signature(fn).parameters.values()):
            continue  # needs arguments: a helper, not a lesson
        try:
            spec = fn()
        except Exception as exc:  # a lesson in the making must not break the teacher's page
            log.info("lesson %s not offered: %s", name, exc)
            continue
        if isinstance(spec, dict) and {"network", "dataset"} <= set(spec):
            found[f"lesson: {name}"] = spec
    return found


def presets():
    """[{name, spec}] of the presets that validate on this instance."""
    offered = []
    for name, spec in {**CLASSIC, **_lessons()}.items():
        try:
            offered.append({"name": name, "spec": validate_spec(spec, instance_limits()).spec})
        except SpecInvalid:
            continue
    return offered
