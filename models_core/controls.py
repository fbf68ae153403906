"""
Control messages a client sends during a run (pause, resume, step, stop, set, set_weight), checked
before they reach the worker. The training loop applies them; see train.py.
"""

from .blocks.base import Param
from .errors import SpecError, show
from .spec import REGULARIZATION, TRAINING, ValidatedSpec, validate_spec

FIELDS = {  # action -> the fields it may carry
    "pause": (),
    "resume": (),
    "step": (),
    "stop": ("reason",),
    "set": ("learning_rate", "batch_size", "regularization_rate"),
    "set_weight": ("node", "row", "col", "value"),
}
OPTIONAL = {"set_weight": ("network",)}  # which network, when the spec has several
_T = {p.name: p for p in TRAINING}
SET_PARAMS = {
    "learning_rate": _T["learning_rate"],
    "batch_size": _T["batch_size"],
    "regularization_rate": Param("regularization_rate", "float", 0.0, min=REGULARIZATION[1].min,
                                 max=REGULARIZATION[1].max, help=REGULARIZATION[1].help),
}
WEIGHT_VALUE = Param("value", "float", 0.0, min=-100.0, max=100.0,
                     help={"en": "The new weight.", "zh-hans": "新的权重值。"})
MAX_REASON = 200


def validate_control(message, spec):
    """[SpecError] for a control message (empty when it is fine). `spec`: the run's normalised spec
    (or its ValidatedSpec). Whether the run is paused is not known here: the loop ignores a
    set_weight or step that arrives while it runs."""
    if not isinstance(message, dict):
        return [SpecError("", f"a control must be an object like {{\"action\": \"pause\"}} (got {show(message)})")]
    action = message.get("action")
    if not (isinstance(action, str) and action in FIELDS):
        return [SpecError("action", f"unknown action {show(action)} — known actions: {', '.join(FIELDS)}")]
    errors = []
    for key in message:
        if key != "action" and key not in FIELDS[action] + OPTIONAL.get(action, ()):
            known = ", ".join(FIELDS[action] + OPTIONAL.get(action, ())) or "none"
            errors.append(SpecError(str(key), f"unknown field {show(key)} for {action} — its fields: {known}"))
    v = spec if isinstance(spec, ValidatedSpec) else validate_spec(spec)
    if action == "stop" and "reason" in message:
        r = message["reason"]
        if not (isinstance(r, str) and len(r) <= MAX_REASON):
            errors.append(SpecError("reason", f"reason must be a text of at most {MAX_REASON} characters (got {show(r)})"))
    if action == "set":
        given = [k for k in FIELDS["set"] if k in message]
        if not given:
            errors.append(SpecError("action", "set needs at least one of learning_rate, batch_size, regularization_rate"))
        for k in given:
            _, msg = SET_PARAMS[k].check(message[k], v.limits)
            if msg:
                errors.append(SpecError(k, msg))
            elif k == "batch_size":
                errors += _check_batch_memory(message[k], v)
    if action == "set_weight":
        errors += _check_set_weight(message, v)
    return errors


def _check_batch_memory(batch_size, v):
    """A bigger batch must still fit the activation-memory budget the spec was admitted under."""
    need = v.activation_bytes * batch_size
    if need <= v.limits.max_activation_bytes:
        return []
    most = max(1, v.limits.max_activation_bytes // max(v.activation_bytes, 1))
    return [SpecError("batch_size", f"a batch of {batch_size} needs about {need / 2**20:.1f} MB of activations: at most "
                      f"{v.limits.max_activation_bytes / 2**20:.0f} MB — use a batch of at most {most}")]


def _network_of(message, v):
    """(the GraphInfo (or ValidatedSpec) a set_weight acts on, errors): `network` names one of several."""
    names = list(v.networks) or ["network"]
    name = message.get("network", names[0] if len(names) == 1 else None)
    if name is None:
        return v, [SpecError("network", f"set_weight needs network: one of {', '.join(names)}")]
    if not (isinstance(name, str) and name in names):
        return v, [SpecError("network", f"unknown network {show(name)} — networks: {', '.join(names)}")]
    return (v.networks[name] if v.networks else v), []


def _check_set_weight(message, v):
    errors = []
    for k in FIELDS["set_weight"]:
        if k not in message:
            errors.append(SpecError(k, f"set_weight needs {k}"))
    if errors:
        return errors
    g, errors = _network_of(message, v)
    if errors:
        return errors
    node = message["node"]
    dense = [n for n in g.order if g.nodes[n]["type"] == "dense"]
    if not (isinstance(node, str) and node in dense):
        return [SpecError("node", f"unknown node {show(node)} — nodes with weights: {', '.join(dense)}")]
    units = g.nodes[node]["shape"][-1]  # dense acts on the last axis (a vector or a sequence of them)
    fan_in = g.nodes[g.sources[node][0]]["shape"][-1]
    has_bias = next(n for n in g.network["nodes"] if n["id"] == node)["params"]["bias"]
    row, col = message["row"], message["col"]
    rows = Param("row", "int", 0, min=0, max=units - 1, help=WEIGHT_VALUE.help)
    cols = Param("col", "int", 0, min=0, max=fan_in - 1, help=WEIGHT_VALUE.help)
    _, msg = rows.check(row, v.limits)
    if msg:
        errors.append(SpecError("row", f"{msg}: {node} has {units} units", node))
    if col == "bias":
        if not has_bias:
            errors.append(SpecError("col", f"node {show(node)} has no bias (its bias param is false)", node))
    else:
        _, msg = cols.check(col, v.limits)
        if msg:
            errors.append(SpecError("col", f"{msg} or \"bias\": {node} has {fan_in} inputs", node))
    _, msg = WEIGHT_VALUE.check(message["value"], v.limits)
    if msg:
        errors.append(SpecError("value", msg, node))
    return errors
