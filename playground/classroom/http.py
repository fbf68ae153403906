"""Shared by the classroom's JSON views: the error shape of docs/api.md, a decorator that checks
method and login and turns bad bodies into 400s, and the lookups that enforce who sees what."""
import functools
import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from .models import Assignment, Classroom
from .quotas import is_teacher


def error(status, message, path="", node=None):
    return JsonResponse({"errors": [{"path": path, "node": node, "message": message}]}, status=status)


class BadRequest(Exception):
    def __init__(self, message, path="", status=400):
        super().__init__(message)
        self.message, self.path, self.status = message, path, status


def json_api(*methods, staff=False, teacher=False):
    """Method check; a logged-in user (a teacher, or staff, when asked); BadRequest → 400 JSON."""

    def wrap(view):
        @require_http_methods(list(methods))
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return error(403, "log in first: this part of the playground needs an account")
            if staff and not user.is_staff:
                return error(403, "only an admin may do this")
            if teacher and not (is_teacher(user) or user.is_staff):
                return error(403, "only a teacher may do this: ask the admin to make your account a teacher's")
            try:
                return view(request, *args, **kwargs)
            except BadRequest as exc:
                return error(exc.status, exc.message, exc.path)
            except RequestDataTooBig:
                return error(413, "the request body is too big")

        return inner

    return wrap


def body_of(request):
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON ({exc}): send a JSON object")
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def taught_classroom(user, classroom_id):
    """The classroom if `user` teaches it (or is an admin), else None: other teachers get a 404."""
    qs = Classroom.objects.all() if user.is_staff else Classroom.objects.filter(teacher=user)
    return qs.filter(id=classroom_id).first()


def joined_classroom(user, classroom_id):
    """The classroom if `user` is in it as a student, its teacher, or an admin."""
    classroom = taught_classroom(user, classroom_id)
    if classroom is None:
        classroom = Classroom.objects.filter(id=classroom_id, memberships__student=user).first()
    return classroom


def taught_assignment(user, assignment_id):
    qs = Assignment.objects.select_related("classroom")
    qs = qs if user.is_staff else qs.filter(classroom__teacher=user)
    return qs.filter(id=assignment_id).first()


def joined_assignment(user, assignment_id):
    assignment = taught_assignment(user, assignment_id)
    if assignment is None:
        assignment = (Assignment.objects.select_related("classroom")
                      .filter(id=assignment_id, classroom__memberships__student=user).first())
    return assignment


def not_found(what, ident):
    return error(404, f"no {what} {ident} here: it does not exist or is not yours")
