"""runs/hooks.py: the classroom plugs its rules and fair scheduler into runs (its tests cover those);
without them runs still works."""
import pytest

from playground.runs import hooks
from playground.runs.models import Run, RunStatus
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def test_without_the_classroom_every_run_is_admitted_and_the_oldest_starts_first(monkeypatch):
    monkeypatch.setattr(hooks, "_registered", {})
    first, second = (Run.objects.create(session_key="s", spec=make_spec(), status=RunStatus.QUEUED) for _ in range(2))
    assert hooks.admit(None, "s", first.spec, 10, assignment_id=3) is None
    assert hooks.next_run("cpu") == first.id and hooks.next_run("gpu") is None
    assert hooks.queue_position(second) is None
