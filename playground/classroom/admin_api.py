"""The admin dashboard's JSON (staff only): workers, queues, runs per status, GPU, usage per classroom,
cancel/requeue any run, the instance-wide limits."""
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.http import JsonResponse
from django.utils import timezone

from playground.jsonapi import error, json_api, json_body
from playground.runs import service
from playground.runs.dispatch import submit
from playground.runs.models import ACTIVE_STATUSES, Run, RunStatus
from playground.runs.serialize import run_json

from . import quotas
from .models import Classroom, InstanceLimits, Role
from .scheduler import fair_order
from .workers import workers_online

QUEUES = ("cpu", "gpu")


def _run_row(run):
    return {"id": str(run.id), "status": run.status, "queue": run.queue, "owner": run.owner.username if run.owner_id else "anonymous",
            "worker": run.worker or None, "created_at": run.created_at.isoformat(),
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "classroom": run.assignment.classroom.name if run.assignment_id else None, "reason": run.reason or None}


@json_api("GET", needs="admin")
def overview(request):
    now = timezone.now()
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    per_status = dict(Run.objects.filter(created_at__gte=hour_ago).values_list("status").annotate(n=Count("id")))
    depths = {q: Run.objects.filter(status=RunStatus.QUEUED, queue=q).count() for q in QUEUES}
    usage = []
    for c in Classroom.objects.select_related("teacher").annotate(
            students=Count("memberships", distinct=True)):
        runs = Run.objects.filter(assignment__classroom=c)
        day = runs.filter(created_at__gte=day_ago)
        seconds = day.filter(started_at__isnull=False, finished_at__isnull=False).aggregate(
            s=Sum(F("finished_at") - F("started_at")))["s"]
        usage.append({"id": c.id, "name": c.name, "teacher": c.teacher.username, "students": c.students,
                      "active": runs.filter(status__in=[RunStatus.QUEUED, *ACTIVE_STATUSES]).count(),
                      "runs_24h": day.count(), "train_seconds_24h": round(seconds.total_seconds(), 1) if seconds else 0.0})
    recent = (Run.objects.filter(Q(status__in=[RunStatus.QUEUED, *ACTIVE_STATUSES]) | Q(created_at__gte=hour_ago))
              .select_related("owner", "assignment__classroom").order_by("-created_at")[:100])
    return JsonResponse({
        "workers": workers_online(),
        "queues": {q: {"depth": depths[q], "next": [str(i) for i in fair_order(q)[:5]]} for q in QUEUES},
        "runs_last_hour": {s: per_status.get(s, 0) for s in RunStatus.values},
        "classrooms": usage,
        "runs": [_run_row(r) for r in recent],
        "limits": {role: quotas.instance_limits(role) for role in Role.values},
    })


@json_api("POST", needs="admin")
def cancel_run(request, run_id):
    run = Run.objects.filter(id=run_id).first()
    if run is None:
        return error(404, f"no run {run_id}")
    service.cancel(run, "cancelled by an admin")
    run.refresh_from_db()
    return JsonResponse(run_json(run))


@json_api("POST", needs="admin")
def requeue_run(request, run_id):
    """A queued run gets one more token (e.g. after a broker was flushed); a finished run is queued
    again as a new run with the same spec and owner (its history stays as it was)."""
    run = Run.objects.filter(id=run_id).first()
    if run is None:
        return error(404, f"no run {run_id}")
    if run.status in ACTIVE_STATUSES:
        return error(400, f"run {run_id} is {run.status}: cancel it first, then requeue")
    with transaction.atomic():
        if run.status == RunStatus.QUEUED:
            submit(run)
            return JsonResponse(run_json(run))
        copy = Run.objects.create(owner=run.owner, session_key=run.session_key, spec=run.spec, queue=run.queue,
                                  assignment=run.assignment, params=run.params)
        submit(copy)
    return JsonResponse({**run_json(copy), "requeued_from": str(run.id)}, status=201)


@json_api("GET", "POST", needs="admin")
def limits(request):
    if request.method == "POST":
        body = json_body(request, allow_empty=True)
        role = body.get("role")
        if role not in Role.values:
            return error(400, f"role must be one of {', '.join(Role.values)}", "role")
        values = {name: body.get(name, value) for name, value in quotas.instance_limits(role).items()}
        for name in quotas.NUMERIC:
            value = values[name]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
                return error(400, f"{name} must be a whole number ≥ 1, or null for no limit", name)
        if values["gpu_allowed"] is not None and not isinstance(values["gpu_allowed"], bool):
            return error(400, "gpu_allowed must be true, false or null", "gpu_allowed")
        InstanceLimits.objects.update_or_create(role=role, defaults=values)
    return JsonResponse({"limits": {role: quotas.instance_limits(role) for role in Role.values}})
