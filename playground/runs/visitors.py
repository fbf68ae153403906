"""Who may see a run: its owner, or the anonymous session that created it."""
import uuid

from django.conf import settings

from .models import Run


def may_use(user):
    return user.is_authenticated or settings.PLAYGROUND_ALLOW_ANONYMOUS


def runs_of(user, session_key):
    if user.is_authenticated:
        return Run.objects.filter(owner=user)
    if not session_key:
        return Run.objects.none()
    return Run.objects.filter(owner__isnull=True, session_key=session_key)


def visible_run(run_id, user, session_key):
    """The run if this visitor may see it, else None (a foreign run looks exactly like a missing one)."""
    try:
        run_id = uuid.UUID(str(run_id))
    except ValueError:
        return None
    return runs_of(user, session_key).filter(id=run_id).first()
