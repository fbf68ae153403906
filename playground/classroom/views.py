"""The classroom's pages: server-rendered shells whose live parts are ES modules talking to the JSON
API (static/js/classroom/). Every page checks who may see it, like the API does."""
import csv
import time

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.runs.visitors import is_teacher

from .accounts import spreadsheet_safe
from .access import joined_assignment, joined_classroom, taught_assignment, taught_classroom


CREDENTIALS_KEPT_S = 3600  # the printable sheet of new passwords lives this long in the teacher's session


def _not_found(request):
    return render(request, "classroom/message.html", {"title_key": "classroom.not_found"}, status=404)


def _page(request, template, **context):
    context.setdefault("is_teacher", is_teacher(request.user) or request.user.is_staff)
    return render(request, template, context)


@ensure_csrf_cookie
@login_required
def home(request):
    return _page(request, "classroom/home.html")


@ensure_csrf_cookie
@login_required
def classroom_page(request, classroom_id):
    classroom = joined_classroom(request.user, classroom_id)
    if classroom is None:
        return _not_found(request)
    teaching = taught_classroom(request.user, classroom_id) is not None
    return _page(request, "classroom/classroom.html", classroom=classroom, teaching=teaching)


def _credentials(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id) if request.user.is_authenticated else None
    if classroom is None:
        return None, None
    sheet = request.session.get(f"credentials-{classroom.id}") or {}
    if time.time() - sheet.get("at", 0) > CREDENTIALS_KEPT_S:
        request.session.pop(f"credentials-{classroom.id}", None)
        return classroom, []
    return classroom, sheet["rows"]


@login_required
def credentials_page(request, classroom_id):
    """The printable sheet of the students just created (passwords are shown once: this session only)."""
    classroom, rows = _credentials(request, classroom_id)
    if classroom is None:
        return _not_found(request)
    return _page(request, "classroom/credentials.html", classroom=classroom, rows=rows,
                 join_url=request.build_absolute_uri(f"/join/{classroom.join_code}"))


@login_required
def credentials_csv(request, classroom_id):
    classroom, rows = _credentials(request, classroom_id)
    if classroom is None:
        return _not_found(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="classroom-{classroom.id}-credentials.csv"'
    writer = csv.writer(response)
    writer.writerow(["name", "username", "password"])
    for row in rows:
        writer.writerow([spreadsheet_safe(row["name"]), spreadsheet_safe(row["username"]), row["password"]])
    return response


@ensure_csrf_cookie
@login_required
def assignment_page(request, assignment_id):
    """The teacher gets the live class view; a student gets the lesson, started from the preset."""
    if taught_assignment(request.user, assignment_id) is not None:
        assignment = taught_assignment(request.user, assignment_id)
        return _page(request, "classroom/class_view.html", assignment=assignment)
    assignment = joined_assignment(request.user, assignment_id)
    if assignment is None:
        return _not_found(request)
    return _page(request, "classroom/lesson.html", assignment=assignment)


@ensure_csrf_cookie
@login_required
def projector(request, classroom_id):
    classroom = joined_classroom(request.user, classroom_id)
    if classroom is None:
        return _not_found(request)
    return _page(request, "classroom/projector.html", classroom=classroom)


@ensure_csrf_cookie
@login_required
def admin_dashboard(request):
    if not request.user.is_staff:
        return render(request, "classroom/message.html", {"title_key": "classroom.admins_only"}, status=403)
    return _page(request, "classroom/admin_dashboard.html")
