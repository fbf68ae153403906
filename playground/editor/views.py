from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.runs.visitors import visible_run


@ensure_csrf_cookie
def editor(request):
    """The graph editor. ?fork=<run id> starts from that run's network (if this visitor may see it)."""
    fork_id = request.GET.get("fork")
    context = {"fork": None, "fork_missing": None}
    status = 200
    if fork_id:
        run = visible_run(fork_id, request.user, request.session.session_key)
        if run is None:
            context["fork_missing"] = fork_id
            status = 404
        else:
            context["fork"] = {"id": str(run.id), "status": run.status, "spec": run.spec}
    return render(request, "editor/index.html", context, status=status)
