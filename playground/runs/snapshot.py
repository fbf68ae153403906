"""The `snapshot` a websocket client gets on connect: everything so far, up to a stated `seq`."""
from functools import lru_cache
import json

from django.conf import settings
from django.db import transaction

from models_core.datasets import make_dataset

from .models import Run, RunEvent
from .publisher import LATEST_TYPES
from .serialize import run_json

HISTOGRAM_POINTS = 200  # histogram snapshots kept in a snapshot's history (each ~1 KB)


def build_snapshot(run_id):
    with transaction.atomic():
        run = Run.objects.get(id=run_id)
        rows = list(
            RunEvent.objects.filter(run_id=run_id, seq__lte=run.last_seq, type__in=("metrics", "gradients", "histograms"))
            .order_by("seq").values_list("type", "payload")
        )
    metrics, gradient_points, layers, histograms = [], [], [], []
    for kind, payload in rows:
        if kind == "metrics":
            metrics.extend(payload.get("points", []))
        elif kind == "histograms":
            histograms.append({k: payload.get(k) for k in ("step", "epoch", "layers")})
        else:
            layers = payload.get("layers", layers)
            gradient_points.extend(payload.get("points", []))
    limit = settings.HISTORY_MAX_POINTS
    downsampled = len(metrics) > limit or len(gradient_points) > limit
    return {
        "type": "snapshot",
        **run_json(run),
        "run": str(run.id),
        "seq": run.last_seq,
        "step": (metrics[-1]["step"] if metrics else 0),
        "data": dataset_points(json.dumps(run.spec["dataset"], sort_keys=True)),
        "history": {
            "metrics": downsample(metrics, limit),
            "gradients": {"layers": layers, "points": downsample(gradient_points, limit)},
            "histograms": downsample(histograms, HISTOGRAM_POINTS),
            "downsampled": downsampled,
        },
        "latest": {kind: run.latest.get(kind) for kind in LATEST_TYPES},
    }


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
