"""The JSON API (docs/api.md). Flat function views: parse, check, act, answer."""
import functools
import json
import time

import torch
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from models_core import SpecInvalid, validate_spec
from models_core.datasets import kinds as data_kinds  # its examples(ds): the preview
from models_core.datasets import make_dataset
from models_core.blocks import catalogue as blocks_catalogue
from models_core.datasets import FEATURES
from models_core.datasets import catalogue as datasets_catalogue

from playground.limits import instance_limits

from . import service, states
from .dispatch import submit
from .models import Run
from .serialize import run_json, run_summary
from .visitors import acting_role, actionable_run, may_use, runs_of, visible_run

LIMITS = instance_limits()  # PLAYGROUND_LIMITS on top of models_core's defaults
_janitor_last = 0.0


def error(status, message, path="", node=None):
    return JsonResponse({"errors": [{"path": path, "node": node, "message": message}]}, status=status)


def api(*methods):
    """Method check, the instance's anonymous-use setting, and JSON errors for what Django would
    otherwise answer with an HTML page."""

    def wrap(view):
        @require_http_methods(list(methods))
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if not may_use(request.user):
                return error(403, "this instance requires an account: log in to use the playground")
            try:
                return view(request, *args, **kwargs)
            except RequestDataTooBig:
                return error(413, f"the request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KB: send a smaller spec")

        return inner

    return wrap


def _json_body(request):
    """The body as a dict, or an error response."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, error(400, f"the body is not valid JSON ({exc}): send a JSON object")
    if not isinstance(body, dict):
        return None, error(400, "the body must be a JSON object")
    return body, None


def _invalid(exc):
    return JsonResponse({"errors": [e.as_dict() for e in exc.errors]}, status=400)


def _session_key(request):
    if not request.session.session_key:
        request.session.create()  # an anonymous visitor's runs belong to this session
    return request.session.session_key


def _sweep_stale_runs():
    """A lazy janitor: whenever runs are listed or read, at most every 10 s, fail the runs whose
    worker stopped beating. No scheduler process needed in either shape."""
    global _janitor_last
    if time.monotonic() - _janitor_last > 10:
        _janitor_last = time.monotonic()
        states.fail_stale(settings.STALE_AFTER_S)


@api("GET")
def blocks(request):
    return JsonResponse({"blocks": blocks_catalogue(LIMITS)})


@api("GET")
def datasets(request):
    return JsonResponse({"datasets": datasets_catalogue(LIMITS), "features": list(FEATURES)})


@api("POST")
def dataset_preview(request):
    body, bad = _json_body(request)
    if bad:
        return bad
    try:
        ds = make_dataset(body, LIMITS)  # validates the dataset spec itself
    except SpecInvalid as exc:
        return _invalid(exc)
    return JsonResponse({"train": ds.train_points, "test": ds.test_points, "problem": ds.problem, "classes": ds.classes,
                         "kind": ds.input_kind, "class_names": ds.class_names, "examples": data_kinds.examples(ds)})


def _validated_body(request):
    """The body as a ValidatedSpec, or an error response."""
    body, bad = _json_body(request)
    if bad:
        return None, bad
    try:
        return validate_spec(body, LIMITS), None
    except SpecInvalid as exc:
        return None, _invalid(exc)


@api("POST")
def validate(request):
    v, bad = _validated_body(request)
    if bad:
        return bad
    return JsonResponse({"ok": True, "nodes": v.nodes, "total_params": v.total_params, "problem": v.problem,
                         "classes": v.classes, "spec": v.spec})


@api("GET", "POST")
def runs(request):
    if request.method == "POST":
        return _create_run(request)
    _sweep_stale_runs()
    mine = runs_of(request.user, request.session.session_key)[:50]
    return JsonResponse({"runs": [run_summary(r) for r in mine]})


def _create_run(request):
    """Validate, check the classroom's rules (assignment, locked controls) and the quotas, then queue.
    The body is a spec, plus an optional "assignment" id (the run answers that assignment)."""
    from playground.classroom import quotas, rules  # the classroom app is loaded after runs

    body, bad = _json_body(request)
    if bad:
        return bad
    assignment_id = body.pop("assignment", None)
    try:
        v = validate_spec(body, LIMITS)
    except SpecInvalid as exc:
        return _invalid(exc)
    device = v.spec["training"]["device"]
    if device == "cuda" and settings.MODE == "embedded" and not torch.cuda.is_available():
        return error(400, "this instance has no GPU: set device to 'auto' or 'cpu'", path="training.device")
    assignment, problem = rules.assignment_for_run(request.user, assignment_id, v.spec)
    if problem is None:
        problem = quotas.check(request.user, request.session.session_key, v.spec, v.total_params)
    if problem is not None:
        return JsonResponse({"errors": [problem.as_dict()]}, status=problem.status)
    owner = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        run = Run.objects.create(
            owner=owner, session_key="" if owner else _session_key(request), spec=v.spec,
            queue="gpu" if device == "cuda" else "cpu", assignment=assignment, params=v.total_params,
        )
        submit(run)
    return JsonResponse(run_json(run), status=201)


@api("GET")
def run_detail(request, run_id):
    _sweep_stale_runs()
    run = visible_run(run_id, request.user, request.session.session_key)
    if run is None:
        return error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    return JsonResponse(run_json(run))


@api("POST")
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
