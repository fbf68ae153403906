"""The `snapshot` a websocket client gets on connect: everything so far, up to a stated `seq`.

What it holds of each type follows the type's declared retention (models_core/messages.py): the
points of every POINTS type, the rows of a type that declares a `history`, the newest stored message
of every LATEST and ONCE type.
"""
from functools import lru_cache
import json

from django.conf import settings
from django.db import transaction

from models_core import messages as schema
from models_core.datasets import make_dataset

from .models import Run, RunEvent
from .publisher import LATEST_TYPES, POINT_TYPES
from .serialize import run_json


def _shared_fields(m):
    """A POINTS type's own fields besides its points (gradients' `layers`) -> their value before any
    row has them ([] for a list)."""
    per_point = {*m.point_names, "points"}
    return {name: [] if kind.startswith("[") else None
            for name, kind in zip(m.field_names, m.fields.values()) if name not in per_point}


# Derived once, at import: the types whose rows the snapshot reads, in the order its `history` lists them.
ROW_HISTORY = {m.name: m.history for m in schema.MESSAGES if m.history}  # type -> rows kept (histograms: 200)
HISTORY_KINDS = tuple(kind for kind in schema.names(*schema.PUBLISHED) if kind in POINT_TYPES or kind in ROW_HISTORY)
_SHARED = {kind: _shared_fields(schema.declared(kind)) for kind in POINT_TYPES}
_ROW_FIELDS = {kind: ("step", *schema.declared(kind).field_names) for kind in ROW_HISTORY}


def build_snapshot(run_id):
    with transaction.atomic():
        run = Run.objects.get(id=run_id)
        rows = list(
            RunEvent.objects.filter(run_id=run_id, seq__lte=run.last_seq, type__in=HISTORY_KINDS)
            .order_by("seq").values_list("type", "payload")
        )
    history, step = _history(rows, settings.HISTORY_MAX_POINTS)
    return {
        "type": "snapshot",
        **run_json(run),
        "run": str(run.id),
        "seq": run.last_seq,
        "step": step,
        "data": dataset_points(json.dumps(run.spec["dataset"], sort_keys=True)),
        "history": history,
        "latest": {kind: run.latest.get(kind) for kind in LATEST_TYPES},
    }


def _history(rows, limit):
    """The rows, oldest first -> the snapshot's `history` (each POINTS type's points downsampled to
    `limit`, saying so; each other type's last rows) and the newest step of its points."""
    points = {kind: [] for kind in POINT_TYPES}
    shared = {kind: dict(fields) for kind, fields in _SHARED.items()}
    kept = {kind: [] for kind in ROW_HISTORY}
    for kind, payload in rows:
        if kind in points:
            points[kind].extend(payload.get("points", []))
            shared[kind].update({name: payload.get(name, value) for name, value in shared[kind].items()})
        else:
            kept[kind].append({name: payload.get(name) for name in _ROW_FIELDS[kind]})
    history = {}
    for kind in HISTORY_KINDS:
        if kind in points:
            some = downsample(points[kind], limit)
            history[kind] = {**shared[kind], "points": some} if shared[kind] else some
        else:
            history[kind] = downsample(kept[kind], ROW_HISTORY[kind])
    history["downsampled"] = any(len(p) > limit for p in points.values())
    step = max((p[-1]["step"] for p in points.values() if p), default=0)  # the newest step it covers
    return history, step


def downsample(points, limit):
    """Every k-th point, always keeping the last one, so a long run's chart stays light."""
    if len(points) <= limit:
        return points
    stride = -(-len(points) // limit)
    kept = points[::stride]
    if kept[-1] is not points[-1]:
        kept.append(points[-1])
    return kept


@lru_cache(maxsize=64)
def dataset_points(dataset_json):
    """Datasets are generated deterministically from their spec: regenerate rather than store."""
    ds = make_dataset(json.loads(dataset_json))
    # image, sequence and token sets have no points to draw: their views come from the probe messages
    return {"train": ds.train_points, "test": ds.test_points, "problem": ds.problem, "classes": ds.classes,
            "kind": ds.input_kind, "class_names": ds.class_names}
