"""The saved-network library: a visitor (user or anonymous session) saves, lists, renames, deletes."""
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def send(client, method, path, body):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_it_saves_lists_loads_renames_and_deletes_a_network(client):
    spec = make_spec()
    r = send(client, "post", "/api/library", {"name": "  my spiral  ", "spec": spec})
    assert r.status_code == 201
    saved = r.json()
    assert saved["name"] == "my spiral" and saved["spec"] == spec and saved["nodes"] == 6
    listed = client.get("/api/library").json()["networks"]
    assert [n["id"] for n in listed] == [saved["id"]] and listed[0]["dataset"] == "spiral"
    assert "spec" not in listed[0]  # the list stays small
    assert client.get(f"/api/library/{saved['id']}").json()["spec"] == spec
    r = send(client, "put", f"/api/library/{saved['id']}", {"name": "renamed"})
    assert r.status_code == 200 and r.json()["name"] == "renamed" and r.json()["spec"] == spec
    assert client.delete(f"/api/library/{saved['id']}").status_code == 204
    assert client.get("/api/library").json()["networks"] == []
    assert client.get(f"/api/library/{saved['id']}").status_code == 404


def test_it_keeps_an_unfinished_network(client):
    """A half-built graph (no output yet, a shape error) can be saved: the library is not validation."""
    unfinished = {"network": {"nodes": [{"id": "in", "type": "input"}], "edges": []}}
    assert send(client, "post", "/api/library", {"name": "draft", "spec": unfinished}).status_code == 201


def test_it_rejects_a_bad_name_or_spec_naming_the_field(client):
    r = send(client, "post", "/api/library", {"name": "", "spec": [1]})
    assert r.status_code == 400
    paths = {e["path"] for e in r.json()["errors"]}
    assert paths == {"name", "spec"}
    r = send(client, "post", "/api/library", {"name": "x" * 81, "spec": make_spec(), "colour": 1})
    assert {e["path"] for e in r.json()["errors"]} == {"name", "colour"}
    r = client.post("/api/library", data="{nope", content_type="application/json")
    assert r.status_code == 400 and "not valid JSON" in r.json()["errors"][0]["message"]


def test_it_shows_a_library_only_to_its_owner():
    alice, bob = Client(), Client()
    saved = send(alice, "post", "/api/library", {"name": "alice's", "spec": make_spec()}).json()
    assert bob.get("/api/library").json()["networks"] == []
    assert bob.get(f"/api/library/{saved['id']}").status_code == 404
    assert bob.delete(f"/api/library/{saved['id']}").status_code == 404
    assert alice.get(f"/api/library/{saved['id']}").status_code == 200


def test_it_files_a_logged_in_users_networks_under_the_user():
    user = User.objects.create_user("carol", password="pw-carol-123")
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    send(first, "post", "/api/library", {"name": "shared across devices", "spec": make_spec()})
    assert [n["name"] for n in second.get("/api/library").json()["networks"]] == ["shared across devices"]
