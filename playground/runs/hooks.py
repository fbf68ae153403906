"""What the classroom adds to a run's life: the rules and quotas a new run must pass, and the fair
order in which queued runs start. The classroom registers them in its AppConfig.ready(), so runs
calls them without importing the classroom (the dependency goes one way: classroom → runs). Without
them every run is admitted and the oldest queued run starts first."""
from .models import Run, RunStatus

_registered = {}


def register(*, admit, next_run, queue_position):
    """Called once, by classroom/apps.py."""
    _registered.update(admit=admit, next_run=next_run, queue_position=queue_position)


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
