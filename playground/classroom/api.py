"""The classroom's JSON API (docs/classroom.md): classrooms, students, assignments, the live class view,
leaderboard, gallery, comments, spotlight. Flat views: look up what the user may touch (404 for
anything else), check the body, act, answer."""
import csv
import math
import time
import uuid

from django.http import HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime

from models_core import SpecInvalid, validate_spec
from playground.jsonapi import ApiError, error, json_api, json_body
from playground.limits import instance_limits
from playground.runs.models import Run, RunEvent
from playground.runs.serialize import run_summary
from playground.runs.visitors import actionable_run, is_teacher, viewable_runs, visible_run

from . import accounts, quotas
from .access import joined_assignment, joined_classroom, not_found, taught_assignment, taught_classroom
from .controls import CONTROLS, spec_diff, unknown_controls
from .models import Assignment, Classroom, Comment, Membership
from .presets import presets as preset_list

METRICS = ("test_accuracy", "train_accuracy", "test_loss", "train_loss", "test_rms", "train_rms")
MAX_STUDENTS_PER_REQUEST = 300
CURVE_POINTS = 60


# --- serialisation ------------------------------------------------------------------------------

def _iso(value):
    return value.isoformat() if value else None


def classroom_json(classroom, full):
    data = {"id": classroom.id, "name": classroom.name, "teacher": classroom.teacher.username,
            "assignments": [assignment_json(a, brief=True) for a in classroom.assignments.all()],
            "spotlight_run": str(classroom.spotlight_run_id) if classroom.spotlight_run_id else None}
    if full:  # the teacher's (and admin's) view
        data.update({
            "join_code": classroom.join_code, "join_url": f"/join/{classroom.join_code}",
            "limits": classroom.quota_dict(), "instance_limits": quotas.instance_limits(quotas.Role.STUDENT),
            "students": [{"id": m.student_id, "username": m.student.username,
                          "name": m.student.get_full_name(), "joined_at": _iso(m.joined_at)}
                         for m in classroom.memberships.select_related("student")],
        })
    return data


def assignment_json(a, brief=False):
    data = {"id": a.id, "classroom": a.classroom_id, "title": a.title, "due_at": _iso(a.due_at),
            "target": {"metric": a.target_metric, "comparison": a.target_comparison,
                       "threshold": a.target_threshold, "max_params": a.target_max_params}}
    if not brief:
        data.update({"instructions": a.instructions, "preset": a.preset, "locked": a.locked, "hidden": a.hidden,
                     "url": f"/assignments/{a.id}/"})
    return data


def target_value(assignment, run):
    return (run.final or {}).get(assignment.target_metric)


def meets_target(assignment, run):
    """True/False against the target; None when there is no target or no metric yet."""
    value = target_value(assignment, run)
    threshold, max_params = assignment.target_threshold, assignment.target_max_params
    if value is None or (threshold is None and max_params is None):
        return None
    ok = True
    if threshold is not None:
        ok = value >= threshold if assignment.target_comparison == ">=" else value <= threshold
    if max_params is not None and (run.params or 0) > max_params:
        ok = False
    return ok


def class_run_json(assignment, run):
    return {"id": str(run.id), "status": run.status, "reason": run.reason or None, "final": run.final,
            "params": run.params, "shared": run.shared, "created_at": _iso(run.created_at),
            "finished_at": _iso(run.finished_at), "owner": run.owner.username if run.owner_id else None,
            "metric": target_value(assignment, run), "meets_target": meets_target(assignment, run),
            "url": f"/runs/{run.id}", "ws": f"/ws/runs/{run.id}/"}


# --- classrooms ---------------------------------------------------------------------------------

@json_api("GET", "POST", needs="account")
def classrooms(request):
    user = request.user
    if request.method == "POST":
        if not (is_teacher(user) or user.is_staff):
            return error(403, "only a teacher may create a classroom: ask the admin to make your account a teacher's")
        name = str(json_body(request, allow_empty=True).get("name", "")).strip()
        if not name or len(name) > 100:
            return error(400, "give the classroom a name of 1–100 characters", "name")
        classroom = Classroom.objects.create(name=name, teacher=user)
        return JsonResponse(classroom_json(classroom, full=True), status=201)
    taught = Classroom.objects.all() if user.is_staff else Classroom.objects.filter(teacher=user)
    joined = Classroom.objects.filter(memberships__student=user)
    return JsonResponse({"teaching": [classroom_json(c, full=True) for c in taught],
                         "joined": [classroom_json(c, full=False) for c in joined]})


@json_api("GET", needs="account")
def classroom_detail(request, classroom_id):
    classroom = joined_classroom(request.user, classroom_id)
    if classroom is None:
        return not_found("classroom", classroom_id)
    full = taught_classroom(request.user, classroom_id) is not None
    return JsonResponse(classroom_json(classroom, full=full))


@json_api("POST", needs="account")
def join(request):
    code = str(json_body(request, allow_empty=True).get("code", "")).strip().upper()
    classroom = Classroom.objects.filter(join_code=code).first()
    if classroom is None:
        return error(400, f"no classroom has the code {code!r}: check it with your teacher", "code")
    if classroom.teacher_id != request.user.id:
        Membership.objects.get_or_create(classroom=classroom, student=request.user)
        request.user.groups.add(accounts.group("student"))
    return JsonResponse(classroom_json(classroom, full=False))


@json_api("POST", needs="teacher")
def create_students(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom is None:
        return not_found("classroom", classroom_id)
    names = json_body(request, allow_empty=True).get("names")
    if isinstance(names, str):
        names = names.splitlines()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return error(400, "send names as a list of strings (or one name per line)", "names")
    names = [n.strip() for n in names if n.strip()]
    if not names or len(names) > MAX_STUDENTS_PER_REQUEST:
        return error(400, f"send 1–{MAX_STUDENTS_PER_REQUEST} names", "names")
    if any(len(n) > 150 for n in names):
        return error(400, "a name is longer than 150 characters", "names")
    created = accounts.create_students(classroom, names)
    # for the printable page and the CSV: this session only, for an hour (only hashes are stored otherwise)
    request.session[f"credentials-{classroom.id}"] = {"at": time.time(), "rows": created}
    return JsonResponse({"students": created, "csv": f"/classroom/{classroom.id}/credentials.csv",
                         "print": f"/classroom/{classroom.id}/credentials"}, status=201)


def _student_in(classroom, user_id):
    membership = classroom.memberships.select_related("student").filter(student_id=user_id).first()
    return membership.student if membership else None


@json_api("POST", needs="teacher")
def reset_password(request, classroom_id, user_id):
    classroom = taught_classroom(request.user, classroom_id)
    student = _student_in(classroom, user_id) if classroom else None
    if student is None:
        return not_found("student", user_id)
    if student.is_staff or is_teacher(student):
        return error(403, "a teacher's or admin's password is not reset from a classroom")
    password = accounts.new_password()
    student.set_password(password)
    student.save(update_fields=["password"])
    return JsonResponse({"username": student.username, "password": password})


@json_api("POST", needs="teacher")
def remove_student(request, classroom_id, user_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom is None or not classroom.memberships.filter(student_id=user_id).delete()[0]:
        return not_found("student", user_id)
    return JsonResponse({"removed": user_id})


@json_api("POST", needs="teacher")
def classroom_limits(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom is None:
        return not_found("classroom", classroom_id)
    body = json_body(request, allow_empty=True)
    values = {name: body.get(name, getattr(classroom, name)) for name in classroom.QUOTA_NAMES}
    problems = quotas.validate_classroom_limits(values)
    if problems:
        raise ApiError(400, errors=[{"path": f, "node": None, "message": m} for f, m in problems])
    for name, value in values.items():
        setattr(classroom, name, value)
    classroom.save()
    return JsonResponse(classroom_json(classroom, full=True))


# --- assignments --------------------------------------------------------------------------------

@json_api("GET", needs="teacher")
def presets(request):
    """What an assignment may start from: classic playground setups and the lessons library."""
    return JsonResponse({"presets": preset_list()})


def _assignment_fields(body):
    """The checked fields of an assignment body (ApiError on the first problem)."""
    title = str(body.get("title", "")).strip()
    if not title or len(title) > 200:
        raise ApiError(400, "give the assignment a title of 1–200 characters", "title")
    try:
        preset = validate_spec(body.get("preset"), instance_limits()).spec
    except SpecInvalid as exc:
        first = exc.errors[0]
        raise ApiError(400, f"the preset is not a valid spec: {first.message}", f"preset.{first.path}".rstrip("."))
    due_at = body.get("due_at")
    if due_at:
        due_at = parse_datetime(str(due_at))
        if due_at is None:
            raise ApiError(400, "due_at must be an ISO date and time, e.g. 2026-12-01T09:00:00Z", "due_at")
    target = body.get("target") or {}
    if not isinstance(target, dict):
        raise ApiError(400, "target must be an object {metric, comparison, threshold, max_params}", "target")
    metric = target.get("metric", "test_accuracy")
    if metric not in METRICS:
        raise ApiError(400, f"target.metric must be one of {', '.join(METRICS)}", "target.metric")
    comparison = target.get("comparison") or (">=" if metric.endswith("accuracy") else "<=")
    if comparison not in (">=", "<="):
        raise ApiError(400, "target.comparison must be '>=' or '<='", "target.comparison")
    threshold = target.get("threshold")
    if threshold is not None and (not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not math.isfinite(threshold)):
        raise ApiError(400, "target.threshold must be a number", "target.threshold")
    max_params = target.get("max_params")
    if max_params is not None and (not isinstance(max_params, int) or isinstance(max_params, bool) or max_params < 1):
        raise ApiError(400, "target.max_params must be a whole number ≥ 1", "target.max_params")
    fixed = {}
    for key in ("locked", "hidden"):
        names = body.get(key) or []
        if not isinstance(names, list) or unknown_controls(names):
            raise ApiError(400, f"{key} lists control names, from: {', '.join(CONTROLS)}", key)
        fixed[key] = names
    return {"title": title, "instructions": str(body.get("instructions", ""))[:20000], "preset": preset,
            "due_at": due_at or None, "target_metric": metric, "target_comparison": comparison,
            "target_threshold": threshold, "target_max_params": max_params, **fixed}


@json_api("POST", needs="teacher")
def create_assignment(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom is None:
        return not_found("classroom", classroom_id)
    fields = _assignment_fields(json_body(request, allow_empty=True))
    assignment = Assignment.objects.create(classroom=classroom, **fields)
    return JsonResponse(assignment_json(assignment), status=201)


@json_api("GET", needs="account")
def assignment_detail(request, assignment_id):
    assignment = joined_assignment(request.user, assignment_id)
    if assignment is None:
        return not_found("assignment", assignment_id)
    return JsonResponse(assignment_json(assignment))


@json_api("GET", needs="account")
def my_runs(request, assignment_id):
    """The student's own runs for the assignment, with the teacher's comments."""
    assignment = joined_assignment(request.user, assignment_id)
    if assignment is None:
        return not_found("assignment", assignment_id)
    runs = assignment.runs.filter(owner=request.user).select_related("owner").prefetch_related("comments__author")[:50]
    return JsonResponse({"runs": [{**class_run_json(assignment, r), "comments": [comment_json(c) for c in r.comments.all()]}
                                  for r in runs]})


def _latest_runs(assignment):
    latest = {}
    for run in assignment.runs.select_related("owner").order_by("owner_id", "-created_at"):
        latest.setdefault(run.owner_id, run)
    return latest


@json_api("GET", needs="account")
def class_view(request, assignment_id):
    """The live class view: every student of the classroom with their latest run for the assignment."""
    assignment = taught_assignment(request.user, assignment_id)
    if assignment is None:
        return not_found("assignment", assignment_id)
    latest = _latest_runs(assignment)
    students = []
    for m in assignment.classroom.memberships.select_related("student"):
        run = latest.get(m.student_id)
        students.append({"id": m.student_id, "username": m.student.username, "name": m.student.get_full_name(),
                         "run": class_run_json(assignment, run) if run else None})
    return JsonResponse({"assignment": assignment_json(assignment), "students": students})


def _curves(run_ids):
    """({run id: [[epoch, train_loss, test_loss]] (≤ CURVE_POINTS, the last point kept)},
    {run id: the seq of the newest metrics message read}), in one query."""
    points = {run_id: [] for run_id in run_ids}
    seqs = {str(run_id): 0 for run_id in run_ids}
    events = RunEvent.objects.filter(run_id__in=run_ids, type="metrics").order_by("run_id", "seq")
    for run_id, seq, payload in events.values_list("run_id", "seq", "payload"):
        points[run_id].extend(payload.get("points", []))
        seqs[str(run_id)] = seq
    curves = {}
    for run_id, run_points in points.items():
        stride = max(1, math.ceil(len(run_points) / CURVE_POINTS))
        picked = run_points[::stride]
        if run_points and picked[-1] is not run_points[-1]:
            picked.append(run_points[-1])
        curves[str(run_id)] = [[p.get("epoch"), p.get("train_loss"), p.get("test_loss")] for p in picked]
    return curves, seqs


@json_api("GET", needs="account")
def curves(request):
    """Mini loss curves of runs the user may see, with the seq each covers: the class view asks once per
    run; a live run's newer points come over the class websocket (seq above this one)."""
    ids = []
    for text in request.GET.get("runs", "").split(",")[:300]:
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            continue
    visible = list(viewable_runs(request.user, request.session.session_key).filter(id__in=ids).values_list("id", flat=True))
    curves, seqs = _curves(visible)
    return JsonResponse({"curves": curves, "seqs": seqs})


def _best_per_student(assignment):
    better = (lambda v: -v) if assignment.target_comparison == ">=" else (lambda v: v)
    best = {}
    # a run the student stopped once it was good enough counts too; a failed one (NaN, lost worker) not
    for run in assignment.runs.filter(status__in=["succeeded", "cancelled"], final__isnull=False).select_related("owner"):
        value = target_value(assignment, run)
        if value is None:
            continue
        key = (better(value), run.params or 0, run.finished_at)
        if run.owner_id not in best or key < best[run.owner_id][0]:
            best[run.owner_id] = (key, run)
    return [run for _, run in sorted(best.values(), key=lambda pair: pair[0])]


@json_api("GET", needs="account")
def leaderboard(request, assignment_id):
    """Each student's best finished run (succeeded, or stopped with its metrics) by the target metric
    (ties: fewer parameters first), with what they changed from the preset."""
    assignment = taught_assignment(request.user, assignment_id)
    if assignment is None:
        return not_found("assignment", assignment_id)
    rows = [{"rank": i + 1, **class_run_json(assignment, run), "diff": spec_diff(assignment.preset, run.spec)}
            for i, run in enumerate(_best_per_student(assignment))]
    return JsonResponse({"assignment": assignment_json(assignment, brief=True), "leaderboard": rows})


@json_api("GET", needs="account")
def results_csv(request, assignment_id):
    assignment = taught_assignment(request.user, assignment_id)
    if assignment is None:
        return not_found("assignment", assignment_id)
    best = {run.owner_id: run for run in _best_per_student(assignment)}
    latest = _latest_runs(assignment)
    counts = {}
    for owner_id in assignment.runs.values_list("owner_id", flat=True):
        counts[owner_id] = counts.get(owner_id, 0) + 1
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assignment-{assignment.id}-results.csv"'
    writer = csv.writer(response)
    metric = assignment.target_metric
    writer.writerow(["username", "name", "runs", f"best_{metric}", "best_params", "meets_target", "best_run",
                     "latest_status", "latest_run"])
    for m in assignment.classroom.memberships.select_related("student"):
        b, last = best.get(m.student_id), latest.get(m.student_id)
        safe = accounts.spreadsheet_safe
        writer.writerow([safe(m.student.username), safe(m.student.get_full_name()), counts.get(m.student_id, 0),
                         target_value(assignment, b) if b else "", b.params if b else "",
                         meets_target(assignment, b) if b else "", str(b.id) if b else "",
                         last.status if last else "", str(last.id) if last else ""])
    return response


@json_api("GET", needs="account")
def gallery(request, classroom_id):
    """The runs students shared with the class."""
    classroom = joined_classroom(request.user, classroom_id)
    if classroom is None:
        return not_found("classroom", classroom_id)
    runs = (Run.objects.filter(assignment__classroom=classroom, shared=True)
            .select_related("owner", "assignment").order_by("-created_at")[:200])
    return JsonResponse({"runs": [{**run_summary(r), "owner": r.owner.username if r.owner_id else None,
                                   "assignment": r.assignment.title, "params": r.params} for r in runs]})


@json_api("GET", "POST", needs="account")
def spotlight(request, classroom_id):
    """The run on the projector. Spotlighting shares the run with the class: everyone may watch it."""
    if request.method == "GET":
        classroom = joined_classroom(request.user, classroom_id)
        if classroom is None:
            return not_found("classroom", classroom_id)
        return JsonResponse({"run": str(classroom.spotlight_run_id) if classroom.spotlight_run_id else None})
    classroom = taught_classroom(request.user, classroom_id)
    if classroom is None:
        if joined_classroom(request.user, classroom_id) is not None:
            return error(403, "only the teacher chooses the run on the projector")
        return not_found("classroom", classroom_id)
    run_id = json_body(request, allow_empty=True).get("run")
    run = None
    if run_id:
        run = visible_run(run_id, request.user, request.session.session_key)
        if run is None or run.assignment is None or run.assignment.classroom_id != classroom.id:
            return error(400, f"no run {run_id} of this classroom's assignments: spotlight a run from the class view", "run")
        Run.objects.filter(id=run.id).update(shared=True)
    classroom.spotlight_run = run
    classroom.save(update_fields=["spotlight_run"])
    return JsonResponse({"run": str(run.id) if run else None})


# --- runs: share, comments ----------------------------------------------------------------------

def comment_json(c):
    return {"id": c.id, "author": c.author.username, "text": c.text, "created_at": _iso(c.created_at)}


@json_api("POST", needs="account")
def share(request, run_id):
    run = visible_run(run_id, request.user, None)
    if run is None or run.owner_id != request.user.id:
        return error(404, f"no run {run_id} of yours here")
    if run.assignment_id is None:
        return error(400, "only a run for an assignment can be shared with its class: start it from the assignment")
    shared = json_body(request, allow_empty=True).get("shared", True)
    if not isinstance(shared, bool):
        return error(400, "shared must be true or false", "shared")
    Run.objects.filter(id=run.id).update(shared=shared)
    return JsonResponse({"id": str(run.id), "shared": shared})


@json_api("GET", "POST", needs="account")
def comments(request, run_id):
    session_key = request.session.session_key
    if request.method == "GET":
        run = visible_run(run_id, request.user, session_key)
        if run is None:
            return error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
        return JsonResponse({"comments": [comment_json(c) for c in run.comments.select_related("author")]})
    run = actionable_run(run_id, request.user, session_key)
    if run is None:
        if visible_run(run_id, request.user, session_key) is not None:
            return error(403, "only the run's owner and teacher may comment on it")
        return error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    text = str(json_body(request, allow_empty=True).get("text", "")).strip()
    if not text or len(text) > 5000:
        return error(400, "write a comment of 1–5,000 characters", "text")
    comment = Comment.objects.create(run=run, author=request.user, text=text)
    return JsonResponse(comment_json(comment), status=201)
