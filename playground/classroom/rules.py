"""A classroom's rules for a new run: the assignment it answers must be one of the student's, and the
controls the assignment locks or hides must keep the preset's values."""
from playground.jsonapi import ApiError

from . import quotas
from .controls import changed_fixed_controls
from .models import Assignment
from .quotas import QuotaError


def admit_run(user, session_key, spec, total_params, assignment_id):
    """The runs app's admission hook (registered in apps.py): the assignment a new run answers, or
    None; ApiError when the assignment's rules or a quota refuse the run."""
    assignment, problem = assignment_for_run(user, assignment_id, spec)
    if problem is None:
        problem = quotas.check(user, session_key, spec, total_params)
    if problem is not None:
        raise ApiError(problem.status, problem.message, problem.path)
    return assignment


def assignment_for_run(user, assignment_id, spec):
    """(assignment or None, QuotaError or None)."""
    if assignment_id is None:
        return None, None
    if not user.is_authenticated:
        return None, QuotaError(403, "assignment", "log in to work on an assignment")
    try:
        assignment = Assignment.objects.select_related("classroom").get(id=int(assignment_id))
    except (Assignment.DoesNotExist, TypeError, ValueError):
        return None, QuotaError(400, "assignment", f"no assignment {assignment_id!r} here: open it from your classroom page")
    classroom = assignment.classroom
    member = classroom.memberships.filter(student=user).exists()
    if not (member or classroom.teacher_id == user.id or user.is_staff):
        return None, QuotaError(400, "assignment", f"no assignment {assignment_id!r} here: open it from your classroom page")
    changed = changed_fixed_controls(assignment.preset, spec, [*assignment.locked, *assignment.hidden])
    if changed and classroom.teacher_id != user.id:
        name, path, want = changed[0]
        return None, QuotaError(400, path, f"the assignment “{assignment.title}” fixes {name} at {want!r}: keep the preset's value")
    return assignment, None
