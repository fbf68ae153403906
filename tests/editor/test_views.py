"""The editor page: /editor, and /editor?fork=<run id> for the visitor's own run only."""
import json
import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from models_core import validate_spec
from playground.runs.models import Run
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def _json_script(html, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def _visitor(client):
    session = SessionStore()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def test_it_serves_the_editor_with_a_csrf_cookie(client):
    r = client.get("/editor")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-i18n-parts="editor dashboard"' in html
    assert "vendor/drawflow/drawflow.min.js" in html and "js/editor/index.js" in html
    assert _json_script(html, "fork") is None
    assert "csrftoken" in r.cookies


def test_it_opens_a_fork_of_the_visitors_own_run(client):
    run = Run.objects.create(session_key=_visitor(client), spec=validate_spec(make_spec()).spec, status="succeeded")
    r = client.get(f"/editor?fork={run.id}")
    assert r.status_code == 200
    fork = _json_script(r.content.decode(), "fork")
    assert fork["id"] == str(run.id) and fork["spec"]["network"] == run.spec["network"]


def test_it_does_not_reveal_someone_elses_run(client):
    run = Run.objects.create(session_key="someone-else", spec=validate_spec(make_spec()).spec, status="succeeded")
    _visitor(client)
    for ref in (str(run.id), "not-a-uuid"):
        r = client.get(f"/editor?fork={ref}")
        assert r.status_code == 404  # the page still loads, to start from a template
        html = r.content.decode()
        assert _json_script(html, "fork") is None and _json_script(html, "fork-missing") == ref


def test_the_npm_packages_are_served(client):
    for path in ("/static/vendor/drawflow/drawflow.min.js", "/static/vendor/drawflow/drawflow.min.css",
                 "/static/vendor/dagre/dagre.esm.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert len(body) > 1000, path
