from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie

from models_core.datasets import PLANE
from models_core.curves import DATASETS as CURVES
from playground.runs.visitors import visible_run

QUICK_MODE_DATASETS = set(PLANE) | set(CURVES)  # what the quick playground page can draw


@ensure_csrf_cookie
def playground(request, run_id=None):
    """The playground page; /runs/<id> is the same page, opened on that run. A run on an image,
    sequence or token dataset has no plane to draw: its page is the run dashboard."""
    if not (request.user.is_authenticated or settings.PLAYGROUND_ALLOW_ANONYMOUS):
        return redirect(f"/accounts/login/?next={request.path}")  # this instance is for its users only
    if run_id is not None:
        run = visible_run(run_id, request.user, request.session.session_key)
        if run is not None and (run.spec.get("dataset") or {}).get("name") not in QUICK_MODE_DATASETS:
            return redirect("run-dashboard", run_id=run_id)
    return render(request, "playground/index.html", {"run_id": str(run_id) if run_id else None})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = connection.vendor
    except Exception as exc:  # report, don't crash: this is what a load balancer polls
        return JsonResponse({"ok": False, "database": f"unreachable: {exc}"}, status=503)
    return JsonResponse({"ok": True, "mode": settings.MODE, "database": database,
                         "broker": "redis" if settings.MODE == "production" else "in-process"})


def csrf_failure(request, reason=""):
    return JsonResponse({"errors": [{"path": "", "node": None,
                                     "message": f"CSRF check failed ({reason}): send the csrftoken cookie's value as X-CSRFToken"}]},
                        status=403)
