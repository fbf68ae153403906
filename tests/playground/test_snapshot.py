"""The snapshot a late joiner gets: the whole history, made light when it is long."""
import pytest

from playground.runs.models import Run
from playground.runs.publisher import persist
from playground.runs.snapshot import build_snapshot, downsample
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def test_downsampling_keeps_the_first_and_last_points_and_stays_under_the_limit():
    points = [{"epoch": i} for i in range(10_001)]
    kept = downsample(points, 2000)
    assert len(kept) <= 2001 and kept[0]["epoch"] == 0 and kept[-1]["epoch"] == 10_000
    assert [p["epoch"] for p in kept] == sorted(p["epoch"] for p in kept)
    assert downsample(points[:50], 2000) == points[:50]


def test_a_long_runs_snapshot_is_downsampled_and_says_so(settings):
    settings.HISTORY_MAX_POINTS = 100
    run = Run.objects.create(spec=make_spec(), status="running")
    for start in range(0, 500, 50):
        points = [{"step": e * 25, "epoch": e, "train_loss": 1.0, "test_loss": 1.0} for e in range(start, start + 50)]
        persist(run.id, [{"type": "metrics", "step": points[-1]["step"], "epoch": points[-1]["epoch"], "points": points}])
    snapshot = build_snapshot(run.id)
    metrics = snapshot["history"]["metrics"]
    assert snapshot["history"]["downsampled"] is True
    assert len(metrics) <= 101 and metrics[-1]["epoch"] == 499
    assert snapshot["seq"] == 10


def test_the_snapshot_covers_exactly_what_is_persisted_up_to_its_seq():
    run = Run.objects.create(spec=make_spec(), status="running")
    persist(run.id, [{"type": "metrics", "step": 0, "epoch": 0, "points": [{"step": 0, "epoch": 0, "train_loss": 1, "test_loss": 1}]},
                     {"type": "boundary", "step": 0, "epoch": 0, "z": [[0.5]]}])
    snapshot = build_snapshot(run.id)
    assert snapshot["seq"] == 2 and snapshot["history"]["downsampled"] is False
    assert snapshot["latest"]["boundary"]["seq"] == 2 and snapshot["latest"]["neurons"] is None


def test_the_snapshot_holds_each_type_as_its_declared_retention_says():
    from models_core import messages

    run = Run.objects.create(spec=make_spec(), status="running")
    for step in (1, 2):
        persist(run.id, [
            {"type": "status", "status": "running", "reason": None, "step": step},
            {"type": "metrics", "step": step, "epoch": step, "points": [{"step": step, "epoch": step, "train_loss": 1, "test_loss": 1}]},
            {"type": "gradients", "step": step, "epoch": step, "layers": [f"h{step}"],
             "points": [{"step": step, "epoch": step, "norms": [1.0], "mean_abs": [0.1]}]},
            {"type": "histograms", "step": step, "epoch": step, "layers": [{"node": "h1"}]},
            {"type": "kv_cache", "step": step, "epoch": step, "blocks": []},
        ])
    snapshot = build_snapshot(run.id)
    kept = [m.name for m in messages.MESSAGES if m.retention == messages.POINTS or m.history]
    assert list(snapshot["history"]) == [*kept, "downsampled"]  # status: stored, not replayed
    assert list(snapshot["latest"]) == list(messages.names(messages.LATEST, messages.ONCE))
    assert [p["step"] for p in snapshot["history"]["metrics"]] == [1, 2] and snapshot["step"] == 2
    assert snapshot["history"]["gradients"]["layers"] == ["h2"]  # a POINTS type's own fields: the newest row's
    assert snapshot["history"]["histograms"] == [{"step": s, "epoch": s, "layers": [{"node": "h1"}]} for s in (1, 2)]
    assert snapshot["latest"]["kv_cache"]["step"] == 2 and snapshot["latest"]["boundary"] is None
