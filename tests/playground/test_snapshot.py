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
