"""PLAYGROUND_LIMITS: the instance's bounds reach the API's validation and its catalogues."""
import json

import pytest

from playground.limits import instance_limits
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limits(settings, monkeypatch):
    from playground.runs import api  # imported first: its module-level LIMITS must be the default one

    settings.PLAYGROUND_LIMITS = {"max_units": 4, "max_epochs": 50}
    instance_limits.cache_clear()
    monkeypatch.setattr(api, "LIMITS", instance_limits())
    yield
    instance_limits.cache_clear()


def test_the_instance_limits_bound_specs_and_show_in_the_catalogue(client, tight_limits):
    r = client.post("/api/validate", data=json.dumps(make_spec(epochs=100)), content_type="application/json")
    assert r.status_code == 400
    paths = {e["path"] for e in r.json()["errors"]}
    assert "training.epochs" in paths and any(p.endswith("params.units") for p in paths)
    dense = next(b for b in client.get("/api/blocks").json()["blocks"] if b["type"] == "dense")
    units = next(p for p in dense["params"] if p["name"] == "units")
    assert units["max"] == 4
