"""The JSON API (docs/api.md). Flat function views: parse, check, act, answer."""
import time

import torch
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse

from models_core import validate_spec
from models_core.datasets import kinds as data_kinds  # its examples(ds): the preview
from models_core.datasets import make_dataset
from models_core.blocks import catalogue as blocks_catalogue
from models_core.datasets import FEATURES
from models_core.datasets import catalogue as datasets_catalogue

from playground.jsonapi import error, json_api, json_body
from playground.limits import instance_limits

from . import hooks, service, states
from .dispatch import submit
from .models import Run
from .serialize import run_json, run_summary
from .visitors import acting_role, actionable_run, runs_of, session_key_of, visible_run

LIMITS = instance_limits()  # PLAYGROUND_LIMITS on top of models_core's defaults
_janitor_last = 0.0


def _sweep_stale_runs():
    """A lazy janitor: whenever runs are listed or read, at most every 10 s, fail the runs whose
    worker stopped beating. No scheduler process needed in either shape."""
    global _janitor_last
    if time.monotonic() - _janitor_last > 10:
        _janitor_last = time.monotonic()
        states.fail_stale(settings.STALE_AFTER_S)


@json_api("GET")
def blocks(request):
    return JsonResponse({"blocks": blocks_catalogue(LIMITS)})


@json_api("GET")
def datasets(request):
    return JsonResponse({"datasets": datasets_catalogue(LIMITS), "features": list(FEATURES)})


@json_api("POST")
def dataset_preview(request):
    ds = make_dataset(json_body(request), LIMITS)  # validates the dataset spec itself (SpecInvalid → 400)
    return JsonResponse({"train": ds.train_points, "test": ds.test_points, "problem": ds.problem, "classes": ds.classes,
                         "kind": ds.input_kind, "class_names": ds.class_names, "examples": data_kinds.examples(ds)})


@json_api("POST")
def validate(request):
    v = validate_spec(json_body(request), LIMITS)
    return JsonResponse({"ok": True, "nodes": v.nodes, "total_params": v.total_params, "problem": v.problem,
                         "classes": v.classes, "spec": v.spec})


@json_api("GET", "POST")
def runs(request):
    if request.method == "POST":
        return _create_run(request)
    _sweep_stale_runs()
    mine = runs_of(request.user, request.session.session_key)[:50]
    return JsonResponse({"runs": [run_summary(r) for r in mine]})


def _create_run(request):
    """Validate, let the classroom check its rules (assignment, locked controls) and the quotas, then
    queue. The body is a spec, plus an optional "assignment" id (the run answers that assignment)."""
    body = json_body(request)
    assignment_id = body.pop("assignment", None)
    v = validate_spec(body, LIMITS)
    device = v.spec["training"]["device"]
    if device == "cuda" and settings.MODE == "embedded" and not torch.cuda.is_available():
        return error(400, "this instance has no GPU: set device to 'auto' or 'cpu'", path="training.device")
    assignment = hooks.admit(request.user, request.session.session_key, v.spec, v.total_params, assignment_id)
    owner = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        run = Run.objects.create(
            owner=owner, session_key="" if owner else session_key_of(request), spec=v.spec,
            queue="gpu" if device == "cuda" else "cpu", assignment=assignment, params=v.total_params,
        )
        submit(run)
    return JsonResponse(run_json(run), status=201)


@json_api("GET")
def run_detail(request, run_id):
    _sweep_stale_runs()
    run = visible_run(run_id, request.user, request.session.session_key)
    if run is None:
        return error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    return JsonResponse(run_json(run))


@json_api("POST")
def run_cancel(request, run_id):
    session_key = request.session.session_key
    run = actionable_run(run_id, request.user, session_key)
    if run is None:
        if visible_run(run_id, request.user, session_key) is not None:  # a classmate's shared run
            return error(403, "this run was shared with you to look at: only its owner or teacher can stop it")
        return error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    service.cancel(run, f"stopped by the {acting_role(run, request.user)}")
    run.refresh_from_db()
    return JsonResponse(run_json(run))
