"""Spec builders and a scripted control for the models_core tests."""

import copy


def chain(widths, fn="tanh", out_units=1, bias=True):
    """in → (dense(w) → activation(fn)) for each w → dense(out_units) as "out"."""
    nodes, edges, prev = [{"id": "in", "type": "input"}], [], "in"
    for i, w in enumerate(widths, 1):
        nodes += [{"id": f"h{i}", "type": "dense", "params": {"units": w, "bias": bias}},
                  {"id": f"a{i}", "type": "activation", "params": {"fn": fn}}]
        edges += [[prev, f"h{i}"], [f"h{i}", f"a{i}"]]
        prev = f"a{i}"
    nodes.append({"id": "out", "type": "dense", "params": {"units": out_units, "bias": bias}})
    edges.append([prev, "out"])
    return {"nodes": nodes, "edges": edges}


def make_spec(widths=(4,), dataset=None, training=None, **kw):
    spec = {"network": chain(list(widths), **kw),
            "dataset": {"name": "circle", "samples": 100, "noise": 0.0},
            "training": {"epochs": 5, "batch_size": 10, "learning_rate": 0.03, "device": "cpu"}}
    spec["dataset"].update(dataset or {})
    spec["training"].update(training or {})
    return copy.deepcopy(spec)


class ScriptedControl:
    """poll() hands out the next list of messages from `script`, then nothing. A callable entry is
    called with the events seen so far and returns the messages (to react to what the run did)."""

    def __init__(self, script, events=None):
        self.script = list(script)
        self.events = events if events is not None else []
        self.polls = 0

    def poll(self):
        self.polls += 1
        if not self.script:
            return []
        nxt = self.script.pop(0)
        return nxt(self.events) if callable(nxt) else list(nxt)


def of_type(events, type_):
    return [e for e in events if e["type"] == type_]
