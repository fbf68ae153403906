"""The dashboard's pages: /runs/<id>/dashboard and /compare?runs=..., as a browser asks for them.
Alice owns runs in her session; Bob is another visitor with a session of his own."""
import uuid

import pytest
from django.test import Client

from playground.dashboard.views import MAX_COMPARED, parse_run_ids
from playground.runs.models import Run
from tests.conftest import make_spec

pytestmark = pytest.mark.django_db


def visitor():
    client = Client()
    client.get("/")  # the playground page starts the session, as in a browser
    return client


def run_of(client, **fields):
    return Run.objects.create(spec=make_spec(epochs=5), session_key=client.session.session_key, status="succeeded", **fields)


def test_it_serves_the_dashboard_page_for_the_visitors_run():
    alice = visitor()
    run = run_of(alice)
    r = alice.get(f"/runs/{run.id}/dashboard")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-i18n-parts="dashboard"' in html
    assert f'"{run.id}"' in html  # the page opens this run's websocket
    assert "js/dashboard/run-page.js" in html and "vendor/plotly/plotly.min.js" in html
    assert "csrftoken" in r.cookies


def test_it_hides_another_visitors_run_as_missing():
    alice, bob = visitor(), visitor()
    run = run_of(alice)
    r = bob.get(f"/runs/{run.id}/dashboard")
    assert r.status_code == 404
    assert "does not exist or belongs to someone else" in r.content.decode()
    assert visitor().get(f"/runs/{uuid.uuid4()}/dashboard").status_code == 404


def test_it_compares_the_visitors_runs():
    alice = visitor()
    a, b = run_of(alice), run_of(alice)
    r = alice.get(f"/compare?runs={a.id},{b.id},{a.id}")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'["{a.id}", "{b.id}"]' in html  # duplicates dropped, order kept
    assert "js/dashboard/compare.js" in html


def test_it_shows_the_picker_without_runs():
    assert visitor().get("/compare").status_code == 200


def test_it_rejects_a_bad_run_id_saying_which_entry_is_wrong():
    alice = visitor()
    run = run_of(alice)
    r = alice.get(f"/compare?runs={run.id},nonsense")
    assert r.status_code == 400
    assert "runs[1]: &#x27;nonsense&#x27; is not a run id" in r.content.decode()


def test_it_rejects_more_than_six_runs():
    alice = visitor()
    runs = [run_of(alice) for _ in range(MAX_COMPARED + 1)]
    r = alice.get("/compare?runs=" + ",".join(str(x.id) for x in runs))
    assert r.status_code == 400
    assert f"compare at most {MAX_COMPARED}" in r.content.decode()


def test_it_does_not_compare_someone_elses_run():
    alice, bob = visitor(), visitor()
    mine, theirs = run_of(bob), run_of(alice)
    assert bob.get(f"/compare?runs={mine.id},{theirs.id}").status_code == 404


def test_parse_run_ids_normalises_and_reports_positions():
    a = uuid.uuid4()
    ids, errors = parse_run_ids(f" {str(a).upper()} ,, x")
    assert ids == [str(a)]
    assert errors == ["runs[2]: 'x' is not a run id (a UUID such as the one in /runs/<id>)"]
