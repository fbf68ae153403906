"""What other apps add to a run's life, registered in their AppConfig.ready() so that runs calls them
without importing those apps (the dependencies go one way: classroom → runs, editor → runs):
  the classroom: the rules and quotas a new run must pass, and the fair order queued runs start in
  (without them every run is admitted and the oldest queued run starts first);
  the editor: where a finished run's trained weights are kept for its exports (without it, nowhere)."""
from .models import Run, RunStatus

_registered = {}


def register(**hooks):
    """Called once by each app that adds hooks: classroom/apps.py (admit, next_run, queue_position),
    editor/apps.py (keep_weights)."""
    unknown = set(hooks) - {"admit", "next_run", "queue_position", "keep_weights"}
    assert not unknown, f"unknown run hooks: {unknown}"
    _registered.update(hooks)


def keep_weights(run_id, models):
    """Store a finished run's trained model (or {network name: model}) for its exports."""
    hook = _registered.get("keep_weights")
    if hook:
        hook(run_id, models)


def admit(user, session_key, spec, total_params, assignment_id):
    """The assignment a new run answers (or None) when it may be queued; raises jsonapi.ApiError when not."""
    hook = _registered.get("admit")
    return hook(user, session_key, spec, total_params, assignment_id) if hook else None


def next_run(queue):
    """The id of the queued run a free slot on `queue` starts next, or None."""
    hook = _registered.get("next_run")
    if hook:
        return hook(queue)
    oldest = Run.objects.filter(status=RunStatus.QUEUED, queue=queue).order_by("created_at", "id")
    return oldest.values_list("id", flat=True).first()


def queue_position(run):
    """{"ahead", "estimate_s"} for a queued run, or None when nothing estimates it."""
    hook = _registered.get("queue_position")
    return hook(run) if hook else None
