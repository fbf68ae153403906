"""playground/jsonapi.py: the one JSON-API helper of runs, classroom and editor. Small views built
here, called through RequestFactory; then the real endpoints, to see each app answers the same way."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import JsonResponse
from django.test import RequestFactory

from models_core import validate_spec
from playground.classroom import accounts
from playground.jsonapi import ApiError, error, json_api, json_body

rf = RequestFactory()


@json_api("POST")
def echo(request):
    return JsonResponse({"body": json_body(request)})


@json_api("POST")
def echo_or_empty(request):
    return JsonResponse({"body": json_body(request, allow_empty=True)})


@json_api("GET", "POST")
def fails(request):
    raise ApiError(409, "run 7 is training: export it once it has finished", path="run")


@json_api("POST")
def fields(request):
    raise ApiError(400, errors=[{"path": "name", "node": None, "message": "name is missing"},
                                {"path": "spec", "node": None, "message": "spec is missing"}])


@json_api("POST")
def validates(request):
    validate_spec(json_body(request))
    return JsonResponse({"ok": True})


@json_api("GET", needs="account")
def for_accounts(request):
    return JsonResponse({"ok": True})


@json_api("GET", needs="teacher")
def for_teachers(request):
    return JsonResponse({"ok": True})


@json_api("GET", needs="admin")
def for_admins(request):
    return JsonResponse({"ok": True})


def call(view, method="post", data=None, user=None, **extra):
    request = getattr(rf, method)("/x", data=data, content_type="application/json", **extra)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return view(request)


def errors(response):
    return json.loads(response.content)["errors"]


def test_it_answers_the_one_error_shape():
    response = error(404, "no run 7 here", path="run", node="h1")
    assert response.status_code == 404
    assert errors(response) == [{"path": "run", "node": "h1", "message": "no run 7 here"}]


def test_it_parses_a_json_object():
    response = call(echo, data=json.dumps({"name": "circle"}))
    assert response.status_code == 200 and json.loads(response.content) == {"body": {"name": "circle"}}


@pytest.mark.parametrize("raw,says", [
    ("{not json", "not valid JSON"),
    ("\xff\xfe", "not valid JSON"),
    ("", "empty"),
    ("   ", "empty"),
    ("[1, 2]", "JSON array"),
    ('"circle"', "JSON string"),
    ("3", "JSON number"),
    ("null", "JSON null"),
])
def test_it_says_what_is_wrong_with_a_body(raw, says):
    response = call(echo, data=raw)
    assert response.status_code == 400
    (only,) = errors(response)
    assert says in only["message"] and "send a JSON object" in only["message"]
    assert only["path"] == "" and only["node"] is None


def test_an_empty_body_may_read_as_an_empty_object():
    assert json.loads(call(echo_or_empty, data="").content) == {"body": {}}
    assert call(echo_or_empty, data="[]").status_code == 400  # present, it must still be an object


def test_it_answers_413_for_a_body_over_the_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = call(echo, data=json.dumps({"padding": "x" * 2000}))
    assert response.status_code == 413
    assert "over 1 KB" in errors(response)[0]["message"]


def test_it_answers_a_wrong_method_with_405_json_and_allow():
    response = call(fails, method="delete")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "DELETE is not allowed here: use GET or POST" in errors(response)[0]["message"]


def test_an_api_error_ends_the_view_with_its_status_and_path():
    response = call(fails, method="get")
    assert response.status_code == 409
    assert errors(response) == [{"path": "run", "node": None,
                                 "message": "run 7 is training: export it once it has finished"}]


def test_an_api_error_may_carry_several_errors():
    response = call(fields)
    assert response.status_code == 400 and [e["path"] for e in errors(response)] == ["name", "spec"]


def test_an_invalid_spec_is_a_400_with_models_cores_errors():
    response = call(validates, data=json.dumps({"network": {"nodes": [], "edges": []}}))
    assert response.status_code == 400
    assert errors(response) and all(set(e) == {"path", "node", "message"} for e in errors(response))


def test_with_anonymous_use_off_every_endpoint_needs_an_account(settings):
    settings.PLAYGROUND_ALLOW_ANONYMOUS = False
    response = call(echo, data="{}")
    assert response.status_code == 403 and "requires an account" in errors(response)[0]["message"]


@pytest.mark.django_db
def test_it_lets_in_only_who_an_endpoint_needs():
    users = get_user_model().objects
    student = users.create_user("alice")
    teacher = users.create_user("tina")
    accounts.make_teacher(teacher)
    admin = users.create_user("root", is_staff=True)
    expected = {  # view: status for anonymous, student, teacher, admin
        for_accounts: (403, 200, 200, 200),
        for_teachers: (403, 403, 200, 200),
        for_admins: (403, 403, 403, 200),
    }
    for view, statuses in expected.items():
        got = tuple(call(view, method="get", user=u).status_code for u in (None, student, teacher, admin))
        assert got == statuses, view.__name__
    assert "log in first" in errors(call(for_teachers, method="get"))[0]["message"]
    assert "only a teacher" in errors(call(for_teachers, method="get", user=student))[0]["message"]
    assert "only an admin" in errors(call(for_admins, method="get", user=teacher))[0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", [
    ("delete", "/api/runs"),  # runs
    ("post", "/api/blocks"),
    ("put", "/api/library"),  # editor
    ("post", "/api/runs/00000000-0000-0000-0000-000000000000/export/onnx"),
    ("delete", "/api/classrooms"),  # classroom
    ("get", "/api/admin/runs/00000000-0000-0000-0000-000000000000/cancel"),
])
def test_every_app_answers_a_wrong_method_the_same_way(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405 and response["Allow"]
    assert response.json()["errors"][0]["message"].startswith(f"{method.upper()} is not allowed here")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/validate", "/api/library", "/api/classrooms"])
def test_every_app_answers_a_bad_body_the_same_way(admin_client, path):
    response = admin_client.post(path, data="{nope", content_type="application/json")
    assert response.status_code == 400 and "not valid JSON" in response.json()["errors"][0]["message"]
