"""Who may see a run, and who may act on it: THE one place that decides (the API, the websocket, the
classroom pages and the editor's fork/export all ask here).

- see (`visible_run`, `may_view`, `viewable_runs`): the owner (or the anonymous session that made
  it); an admin (staff); the teacher of the classroom whose assignment the run answers; a classmate
  (or the teacher) when the student shared the run with the class.
- act (`actionable_run`, `may_act`: cancel, controls, comments by the teacher): the owner, an admin,
  and the teacher of the run's classroom. Sharing lets classmates look, never touch.
A run nobody may see looks exactly like a missing one (404, websocket close 4404).
"""
import uuid

from django.conf import settings
from django.db.models import Q

from .models import Run


def may_use(user):
    return user.is_authenticated or settings.PLAYGROUND_ALLOW_ANONYMOUS


def is_admin(user):
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def is_teacher(user):
    """In the "teacher" group (the classroom's accounts put teachers there)."""
    return user.is_authenticated and user.groups.filter(name="teacher").exists()


def session_key_of(request):
    """The visitor's session key, creating the session first: an anonymous visitor's runs (and saved
    networks) belong to it."""
    if not request.session.session_key:
        request.session.create()
    return request.session.session_key


def runs_of(user, session_key):
    """The visitor's own runs (their list on the playground page)."""
    if user.is_authenticated:
        return Run.objects.filter(owner=user)
    if not session_key:
        return Run.objects.none()
    return Run.objects.filter(owner__isnull=True, session_key=session_key)


def _own(user, session_key):
    if user.is_authenticated:
        return Q(owner=user)
    if not session_key:
        return Q(pk__in=[])
    return Q(owner__isnull=True, session_key=session_key)


def _taught(user):
    return Q(assignment__classroom__teacher=user)


def _shared_with(user):
    return Q(shared=True, assignment__classroom__memberships__student=user)


def viewable_runs(user, session_key):
    """Every run this visitor may see."""
    if is_admin(user):
        return Run.objects.all()
    if not user.is_authenticated:
        return Run.objects.filter(_own(user, session_key))
    return Run.objects.filter(_own(user, session_key) | _taught(user) | _shared_with(user)).distinct()


def actionable_runs(user, session_key):
    """Every run this visitor may cancel, control or (as its teacher) comment on."""
    if is_admin(user):
        return Run.objects.all()
    if not user.is_authenticated:
        return Run.objects.filter(_own(user, session_key))
    return Run.objects.filter(_own(user, session_key) | _taught(user))


def _parse(run_id):
    try:
        return uuid.UUID(str(run_id))
    except ValueError:
        return None


def visible_run(run_id, user, session_key):
    """The run if this visitor may see it, else None (a foreign run looks exactly like a missing one)."""
    run_id = _parse(run_id)
    if run_id is None:
        return None
    return viewable_runs(user, session_key).filter(id=run_id).first()


def actionable_run(run_id, user, session_key):
    """The run if this visitor may act on it, else None."""
    run_id = _parse(run_id)
    if run_id is None:
        return None
    return actionable_runs(user, session_key).filter(id=run_id).first()


def may_view(run, user, session_key):
    return viewable_runs(user, session_key).filter(id=run.id).exists()


def may_act(run, user, session_key):
    return actionable_runs(user, session_key).filter(id=run.id).exists()


def acting_role(run, user):
    """How the actor relates to the run, for the reason a cancel records ("stopped by the teacher")."""
    if user.is_authenticated and run.owner_id == user.id:
        return "student"
    if is_admin(user):
        return "admin"
    if user.is_authenticated:
        return "teacher"
    return "student"
