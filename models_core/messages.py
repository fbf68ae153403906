"""
Every message type a run's websocket carries, declared once: its fields, how it is kept (retention),
how big it may get, and the line docs/api.md shows for it. The publisher (what a flush merges and
stores), the snapshot (what a late joiner gets), the consumer and the docs follow this table, and a
type that is not in it is refused (UndeclaredMessage), never silently dropped.

Retention: what is kept of a type, hence what a late joiner's snapshot holds of it.
  POINTS   every point: a flush merges the points since the last flush into one message (`points`),
           stored as a history row; the snapshot's `history.<type>` has them all (downsampled past
           HISTORY_MAX_POINTS).                                                 metrics, gradients
  LATEST   only the newest: a flush keeps the newest, stored in `Run.latest` at most every
           LATEST_EVERY_S (the next live one follows within 0.1 s); the snapshot's `latest.<type>`.
           `rows=True`: each newest is also stored as a history row (settings, histograms), and
           `history=n`: the snapshot's `history.<type>` carries the last n of those rows.
  ONCE     sent once a run: kept like LATEST, but stored with the flush that sends it (a snapshot taken
           before the next store would cover its seq without holding it).        kv_cache, crossval
  HISTORY  every message, in order: relayed as it is, stored as a history row.          status
  DIRECT   sent by the consumer to one client, never published nor stored.   snapshot, error

Sizes are bytes of JSON as a client receives it (json.dumps, its default separators), for one message;
for POINTS, for one point. Each bound is the producer's budget (instrument.py, probes.py) at the
widest values it writes, checked against real runs of every dataset family (tests/models_core/
test_messages.py); measured maxima are in the comments.

`python -m models_core.messages --markdown` prints docs/api.md's message table. Nothing here imports
Django or the rest of models_core.
"""

import json
import sys
from dataclasses import dataclass, field
from typing import Optional

POINTS, LATEST, ONCE, HISTORY, DIRECT = "points", "latest", "once", "history", "direct"
PUBLISHED = (POINTS, LATEST, ONCE, HISTORY)  # the retentions that go through a run's publisher
STAMPED = {"run": "str", "seq": "int"}  # what the publisher adds to every message it publishes
COMMON = {"type": "str", **STAMPED, "step": "int"}  # every published message has these
KB = 1024


class UndeclaredMessage(ValueError):
    """A message type that is not declared below (or is not one the publisher may carry)."""


class MessageInvalid(ValueError):
    """A message whose fields or size do not follow its declaration."""


@dataclass(frozen=True)
class Message:
    name: str
    retention: str  # POINTS | LATEST | ONCE | HISTORY | DIRECT
    fields: dict  # the message's own fields as a client gets it: name -> short type; "name?": not always there
    doc: str  # docs/api.md's payload cell (Markdown): names every field in backticks
    when: str = ""  # when it is sent, for the docs
    max_bytes: Optional[int] = None  # bound on its JSON size (POINTS: one point's); None: unbounded by itself
    point: dict = field(default_factory=dict)  # POINTS: each point's fields, as `fields`
    added: tuple = ()  # fields the publisher adds: absent from the event the training loop emits
    rows: bool = False  # LATEST: each newest also stored as a history row
    history: int = 0  # the last rows of it the snapshot's history carries (rows=True)
    open: bool = False  # may carry fields not declared here (the snapshot: the run's API fields)

    @property
    def field_names(self):
        return tuple(name.rstrip("?") for name in self.fields)

    @property
    def point_names(self):
        return tuple(name.rstrip("?") for name in self.point)


_METRIC_VALUES = {"epoch": "int", "train_loss": "float", "test_loss": "float",
                  "train_accuracy?": "float", "test_accuracy?": "float", "t": "float"}
_PICTURE = "at the picture cadence (≤ 10 Hz)"
_PROBE = "at most every 0.25 s"

# Declaration order is the order clients see: a flush's merged messages, then the newest of each
# LATEST/ONCE type in this order; the snapshot's `latest` and `history` keys; the docs table.
MESSAGES = (
    Message("snapshot", DIRECT, {
        "run": "str", "seq": "int", "step": "int", "status": "str", "reason": "str|null", "spec": "{...}",
        "final": "{...}|null", "data": "{...}", "history": "{...}", "latest": "{...}",
    }, open=True, when="on connect, to that client only",
        doc="the run as `GET /api/runs/<id>` shows it (`status`, `reason`, `spec`, `final`, ...), plus `run`, "
            "`seq` (the last sequence number it covers), `step` (the newest step its history covers), `data` "
            "(`{\"train\": [...], \"test\": [...]}` points as above; also `kind` — `tabular`, `image`, `sequence`, "
            "`tokens` — and `class_names`), `history` (a key per type kept *every point*, with all of them: "
            "`{\"metrics\": [points], \"gradients\": {\"layers\": [...], \"points\": [...]}}`, downsampled past "
            "2,000 points, then `downsampled: true`; and per type that keeps its last rows, those rows' `step`, "
            "`epoch` and payload, oldest first) and `latest` (a key per type kept *the newest* or *once*: the last "
            "stored message of each, at most 2 s old while a run trains, or null)"),
    Message("status", HISTORY, {"status": "str", "reason": "str|null", "final?": "{...}|null", "epoch?": "int"},
            added=("reason",), max_bytes=4 * KB,  # a final with cross-validation's fields: ~0.8 KB
            when="every change of status; the last message of a run",
            doc="`status` (`queued`, `running`, `paused`, `succeeded`, `failed`, `cancelled`), `reason` (text or "
                "null), and on a final status `final`; `epoch` when the training loop announces it (pause, resume)"),
    Message("metrics", POINTS, {**_METRIC_VALUES, "points": "[{...}]"},
            point={"step": "int", **_METRIC_VALUES}, added=("t", "points"), max_bytes=512,  # measured ≤ 140 B
            when="before training, then every epoch (a closed-form fit: once more after it)",
            doc="`epoch`, `points`: every point since the previous message, each `{\"step\",\"epoch\",\"train_loss\","
                "\"test_loss\"[,\"train_accuracy\",\"test_accuracy\"],\"t\"}` (`t`: Unix time when the worker "
                "measured it, for latency); the latest point's values are also at the top level "
                "(`train_loss`, `test_loss`, `train_accuracy`, `test_accuracy`, `t`)"),
    Message("gradients", POINTS, {"epoch": "int", "layers": "[str]", "points": "[{...}]"},
            point={"step": "int", "epoch": "int", "norms": "[float]", "mean_abs": "[float]"},
            added=("points",), max_bytes=4 * KB,  # ~30 B a parameterised node, ≤ 64 nodes; measured 311 B
            when="every epoch",
            doc="`epoch`, `layers` (node ids of parameterised blocks, input to output), `points`: "
                "`[{\"step\",\"epoch\",\"norms\": [...], \"mean_abs\": [...]}]` (`norms`: L2 norm of each layer's "
                "gradient, `mean_abs`: its mean absolute value)"),
    Message("boundary", LATEST, {"epoch": "int", "extent": "[int]", "size": "int", "z": "[[float|null]]", "kind": "str"},
            max_bytes=24 * KB,  # 40 × 40 values, 3 decimals; measured 11.9 KB (regression)
            when=f"2-D sets, {_PICTURE}",
            doc="`epoch`, `extent` `[-6, 6]`, `size` n, `z` n×n row-major (row = x2 from −6 up, column = x1), "
                "`kind`: `probability` (binary: P(class 1)), `class` (multi-class: argmax class), `value` (regression)"),
    Message("neurons", LATEST, {"epoch": "int", "size": "int", "nodes": "{node: [[[float]]]}"},
            max_bytes=64 * KB,  # NEURON_BUDGET 7,000 values, 2 decimals; measured 44 KB (8 × 16 units)
            when=f"2-D sets, {_PICTURE}",
            doc="`epoch`, `size` m, `nodes`: `{\"a1\": [unit0 m×m, unit1 m×m, ...], ...}` — every hidden block's "
                "output per unit over the plane, plus the output node"),
    Message("weights", LATEST, {"epoch": "int", "layers": "{node: {weight, bias}}"},
            max_bytes=80 * KB,  # WEIGHTS_BUDGET 6,000 values at ≤ 12 B ("-1.234e-05, "); measured 41 KB
            when=f"every run, {_PICTURE}",
            doc="`epoch`, `layers`: `{\"h1\": {\"weight\": [[out × in]], \"bias\": [out]}, ...}` (the layers with a "
                "weight matrix that fit in 6,000 values)"),
    Message("settings", LATEST, {"epoch": "int", "learning_rate": "float", "batch_size": "int", "regularization_rate": "float"},
            rows=True, max_bytes=256,  # measured 112 B
            when="at the start, and after each `set` control",
            doc="the live hyper-parameters: `learning_rate`, `batch_size`, `regularization_rate`; `epoch`"),
    Message("curve", LATEST, {"epoch": "int", "x": "[float]", "y": "[float|null]", "train": "[[float]]",
                              "train_rms": "float|null", "test_rms": "float|null"},
            max_bytes=64 * KB,  # 101 points + ≤ 2,000 training points; measured 38 KB at 2,000
            when=f"1-D sets, instead of `boundary`/`neurons`, {_PICTURE}",
            doc="`x` (101 points over the data's range), `y` (the model's prediction), `train` (`[[x, t], ...]`), "
                "`train_rms`, `test_rms`; `epoch`"),
    Message("histograms", LATEST, {"epoch": "int", "layers": "[{...}]"},
            rows=True, history=200, max_bytes=24 * KB,  # ~270 B a parameterised node; measured 2.4 KB (9 nodes)
            when="every run, at most every 0.5 s",
            doc="`epoch`, `layers`: `[{\"node\": \"h1\", \"weights\": {\"lo\", \"hi\", \"counts\": [20]}, \"grads\": "
                "{\"lo\", \"hi\", \"counts\": [20]}}]` — all parameters of each parameterised node; `counts` over 20 "
                "equal bins from `lo` to `hi`"),
    Message("confusion", LATEST, {"epoch": "int", "classes": "[str]", "matrix": "[[int]]", "mistakes": "[{...}]"},
            # 10 classes + 8 16 × 16 images: measured 12 KB; a token set's matrix is vocab² (see the tests)
            max_bytes=64 * KB, when="a classification run, at most every 1 s",
            doc="`classes` (names), `matrix` (rows: true class, columns: predicted; counts over the test set; "
                "per-step targets count every answered step), `mistakes`: up to 8 `{\"true\", \"pred\", \"image\": "
                "[[H × W]]}` (image sets) or `{\"true\", \"pred\", \"tokens\": [...]}` (token sets); `epoch`"),
    Message("conv", LATEST, {"epoch": "int", "probe": "{image, label}", "layers": "[{...}]"},
            max_bytes=64 * KB,  # MAP_BUDGET 6,000 map values + ≤ 16 kernels a layer; measured 41 KB (digits16)
            when=f"a network with `conv2d`, {_PROBE}",
            doc="`probe`: `{\"image\": [[H × W]] (channel 0, 0…1), \"label\": \"3\"}`, `layers`: `[{\"node\": \"c1\", "
                "\"type\": \"conv2d\"\\|\"maxpool2d\"\\|\"avgpool2d\", \"kernels\": [[k × k] per output channel, input "
                "channel 0] (conv2d only, ≤ 16), \"maps\": [[H' × W'] per channel, ≤ 16]}]`; `epoch`"),
    Message("recurrent", LATEST, {"epoch": "int", "tokens": "[str]", "layers": "[{...}]"},
            max_bytes=64 * KB,  # ≤ 32 steps × 32 units × 4 arrays ≈ 28 KB a block; measured 58 KB (2 lstm)
            when=f"a network with `rnn`/`lstm`/`gru`, {_PROBE}",
            doc="`tokens` (the probe sequence's labels, one per step), `layers`: `[{\"node\", \"kind\": \"rnn\"\\|"
                "\"lstm\"\\|\"gru\", \"hidden\": [[T × H]] (≤ 32 units), \"gates\": {\"input\", \"forget\", \"output\"} "
                "(lstm) or {\"reset\", \"update\"} (gru) or {} (rnn), each [[T × H]]}]` — the last layer of the "
                "block, forward direction; `epoch`"),
    Message("attention", LATEST, {"epoch": "int", "tokens": "[str]", "layers": "[{...}]"},
            max_bytes=64 * KB,  # heads × 32 × 32 a block: 4 heads ≈ 28 KB, 16 heads 114 KB (see the tests)
            when=f"a network with attention blocks, {_PROBE}",
            doc="`tokens` (the probe's labels), `layers`: `[{\"node\", \"type\", \"heads\": [[[T × T]] per head]}]` "
                "— rows are queries, columns keys (T ≤ 32); `epoch`"),
    Message("kv_cache", ONCE, {"epoch": "int", "blocks": "[{node, type, bytes_per_token}]"},
            max_bytes=4 * KB,  # ~60 B an attention block; measured 261 B
            when="once, at the start, a network with attention blocks",
            doc="`blocks`: `[{\"node\", \"type\", \"bytes_per_token\"}]` — float32 bytes each attention block caches "
                "per generated token (`latent_attention` caches its latent); `epoch`"),
    Message("crossval", ONCE, {
        "epoch": "int", "folds": "int", "val_loss": "[float]", "val_loss_mean": "float", "val_loss_std": "float",
        **{f"{name}{suffix}?": kind for name in ("val_rms", "val_accuracy")
           for suffix, kind in (("", "[float]"), ("_mean", "float"), ("_std", "float"))},
    }, max_bytes=2 * KB,  # ≤ 10 folds × 3 lists; measured 242 B (3 folds)
        when="once, before training, with `training.folds`",
        doc="`folds`, `val_loss` (per fold), `val_loss_mean`, `val_loss_std`, and `val_rms`, `val_rms_mean`, "
            "`val_rms_std` (regression) or `val_accuracy`, `val_accuracy_mean`, `val_accuracy_std` "
            "(classification) the same way; `epoch`"),
    Message("error", DIRECT, {"run": "str", "errors": "[{path, node, message}]"}, max_bytes=16 * KB,
            when="to one client, answering a bad control",
            doc="`run`, `errors`: `[{\"path\", \"node\", \"message\"}]` as in the HTTP API's errors"),
)
BY_NAME = {m.name: m for m in MESSAGES}
assert len(BY_NAME) == len(MESSAGES), "a type declared twice"


def names(*retentions):
    """The declared types of these retentions, in declaration order."""
    return tuple(m.name for m in MESSAGES if m.retention in retentions)


def declared(name):
    """The Message of a type; UndeclaredMessage for any other."""
    message = BY_NAME.get(name)
    if message is None:
        raise UndeclaredMessage(f"message type {name!r} is not declared in models_core/messages.py: "
                                "declare it (fields, retention, size bound, docs line) before emitting it")
    return message


# -----------------------------------------------------------------------------
# checking a message against its declaration (tests, and a loop that wants to check as it emits)

def _alternatives(kind):
    """'[float|null]|null' -> ['[float|null]', 'null']: splits on the `|`s outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(kind):
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "|" and depth == 0:
            out.append(kind[start:i])
            start = i + 1
    return out + [kind[start:]]


def _fits(value, kind):
    """Does a JSON value have the short type `kind`? Only its outer shape is checked."""
    for alt in _alternatives(kind):
        if alt.startswith("[") and isinstance(value, list) or alt.startswith("{") and isinstance(value, dict):
            return True
        if alt == "null" and value is None or alt == "str" and isinstance(value, str):
            return True
        number = int if alt == "int" else (int, float)
        if alt in ("int", "float") and isinstance(value, number) and not isinstance(value, bool):
            return True
    return False


def _field_problems(where, values, declared_fields, skip_required=(), open_=False):
    """Unknown, missing and wrongly shaped fields of one dict against {name[?]: type}."""
    kinds = {name.rstrip("?"): kind for name, kind in declared_fields.items()}
    required = {name for name in declared_fields if not name.endswith("?")} - set(skip_required)
    problems = [f"{where}: missing field {name!r}" for name in sorted(required - set(values))]
    for name, value in values.items():
        if name not in kinds:
            if not open_:
                problems.append(f"{where}: field {name!r} is not declared")
        elif not _fits(value, kinds[name]):
            problems.append(f"{where}: field {name!r} is {type(value).__name__}, declared {kinds[name]}")
    return problems


def _size(value):
    return len(json.dumps(value, allow_nan=False))  # NaN is no JSON a browser can read: it raises here


def problems(message, emitted=False):
    """What is wrong with `message` by its declaration; [] when nothing. emitted=True: the message as the
    training loop emits it, before the publisher adds `run`, `seq` and its `added` fields and merges
    points (a POINTS event is one point plus the message's own fields)."""
    m = declared(message.get("type"))
    fields = {**(COMMON if m.retention in PUBLISHED else {"type": "str"}), **m.fields}
    if emitted:
        fields.update(m.point)
    found = _field_problems(m.name, message, fields, (*STAMPED, *m.added) if emitted else (), m.open)
    merged = m.retention == POINTS and not emitted  # any number of points: the bound is on each
    if merged:
        _size(message)  # it is JSON
    parts = [(f"{m.name}.points[{i}]", p) for i, p in enumerate(message.get("points") or [])] if merged else [(m.name, message)]
    for at, part in parts:
        if merged:
            found += _field_problems(at, part, m.point)
        size = _size(part)
        if m.max_bytes is not None and size > m.max_bytes:
            found.append(f"{at}: {size} bytes of JSON, bound {m.max_bytes}")
    return found


def check(message, emitted=False):
    """Raises UndeclaredMessage or MessageInvalid where `message` does not follow its declaration."""
    found = problems(message, emitted)
    if found:
        raise MessageInvalid("; ".join(found))
    return message


# -----------------------------------------------------------------------------
# docs/api.md's table

_KEPT = {
    POINTS: "every point: `history.{name}`",
    LATEST: "the newest: `latest.{name}`",
    ONCE: "once: `latest.{name}`, stored at once",
    HISTORY: "every one, in order; not replayed by the snapshot",
    DIRECT: "not stored",
}


def _kept(m):
    kept = _KEPT[m.retention].format(name=m.name)
    if m.history:
        kept += f"; the last {m.history} in `history.{m.name}`"
    return kept


def _bound(m):
    if m.max_bytes is None:
        return "—"
    size = f"{m.max_bytes // KB} KB" if m.max_bytes >= KB else f"{m.max_bytes} B"
    return size + (" a point" if m.retention == POINTS else "")


def markdown():
    """The message table of docs/api.md (a test keeps the two the same)."""
    lines = ["| type | when | kept | at most | payload |", "|---|---|---|---|---|"]
    for m in MESSAGES:
        lines.append(f"| `{m.name}` | {m.when} | {_kept(m)} | {_bound(m)} | {m.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python -m models_core.messages --markdown")
    sys.stdout.write(markdown())
