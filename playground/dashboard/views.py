"""The run dashboard's pages: one run (/runs/<id>/dashboard) and up to six side by side (/compare).

The pages are shells: the browser fetches the runs (GET /api/runs/<id>) and opens their websockets.
A run that is not this visitor's is a 404 here as in the API (a foreign run looks like a missing one);
a bad `runs` list is a 400 that says which entry is wrong and what to do.
"""
import uuid

from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.runs.visitors import visible_run

MAX_COMPARED = 6


def _not_found(request, run_id):
    return render(request, "dashboard/error.html",
                  {"errors": [f"no run {run_id} here: it does not exist or belongs to someone else"]}, status=404)


@ensure_csrf_cookie
def run_dashboard(request, run_id):
    if visible_run(run_id, request.user, request.session.session_key) is None:
        return _not_found(request, run_id)
    return render(request, "dashboard/run.html", {"run_id": str(run_id)})


def parse_run_ids(raw):
    """'a,b,c' → ([uuid strings], [error messages]); duplicates are dropped, order kept."""
    ids, errors = [], []
    for index, part in enumerate(p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            value = str(uuid.UUID(part))
        except ValueError:
            errors.append(f"runs[{index}]: '{part[:40]}' is not a run id (a UUID such as the one in /runs/<id>)")
            continue
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_COMPARED:
        errors.append(f"runs: {len(ids)} runs given; compare at most {MAX_COMPARED} at a time")
    return ids, errors


@ensure_csrf_cookie
def compare(request):
    ids, errors = parse_run_ids(request.GET.get("runs", ""))
    if errors:
        return render(request, "dashboard/error.html", {"errors": errors}, status=400)
    for run_id in ids:
        if visible_run(run_id, request.user, request.session.session_key) is None:
            return _not_found(request, run_id)
    return render(request, "dashboard/compare.html", {"run_ids": ids, "max_runs": MAX_COMPARED})
