"""The visitor's library of saved networks: GET/POST /api/library, GET/PUT/DELETE /api/library/<id>."""
from django.http import HttpResponse, JsonResponse

from playground.jsonapi import ApiError, error, json_api, json_body
from playground.runs.visitors import session_key_of

from .models import SavedNetwork

MAX_SAVED = 200  # networks per visitor
MAX_NAME = 80


def _mine(request):
    if request.user.is_authenticated:
        return SavedNetwork.objects.filter(owner=request.user)
    key = request.session.session_key
    return SavedNetwork.objects.filter(owner__isnull=True, session_key=key) if key else SavedNetwork.objects.none()


def _summary(saved):
    network = saved.spec.get("network") or {}
    dataset = saved.spec.get("dataset") or {}
    return {"id": saved.id, "name": saved.name, "created_at": saved.created_at.isoformat(),
            "updated_at": saved.updated_at.isoformat(), "nodes": len(network.get("nodes") or []),
            "dataset": dataset.get("name") if isinstance(dataset, dict) else None}


def _full(saved):
    return {**_summary(saved), "spec": saved.spec}


def _checked(body, partial=False):
    """{"name", "spec"} (either may be missing when partial); ApiError 400 naming every bad field."""
    out, errors = {}, []
    if "name" in body or not partial:
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_NAME:
            errors.append({"path": "name", "node": None, "message": f"name must be a text of 1 to {MAX_NAME} characters"})
        else:
            out["name"] = name.strip()
    if "spec" in body or not partial:
        spec = body.get("spec")
        if not isinstance(spec, dict) or not isinstance(spec.get("network"), dict):
            # an unfinished network may be saved, but it must at least be a spec with a network
            errors.append({"path": "spec", "node": None,
                           "message": "spec must be an object with a network ({\"nodes\": [...], \"edges\": [...]})"})
        else:
            out["spec"] = spec
    unknown = [k for k in body if k not in ("name", "spec")]
    errors += [{"path": k, "node": None, "message": f"unknown field {k!r}: send name and spec"} for k in unknown]
    if errors:
        raise ApiError(400, errors=errors)
    return out


@json_api("GET", "POST")
def library(request):
    if request.method == "GET":
        return JsonResponse({"networks": [_summary(s) for s in _mine(request)[:MAX_SAVED]]})
    fields = _checked(json_body(request))
    if _mine(request).count() >= MAX_SAVED:
        return error(400, f"your library holds {MAX_SAVED} networks: delete one before saving another")
    owner = request.user if request.user.is_authenticated else None
    saved = SavedNetwork.objects.create(owner=owner, session_key="" if owner else session_key_of(request), **fields)
    return JsonResponse(_full(saved), status=201)


@json_api("GET", "PUT", "DELETE")
def library_item(request, network_id):
    saved = _mine(request).filter(id=network_id).first()
    if saved is None:
        return error(404, f"no saved network {network_id} in your library")
    if request.method == "GET":
        return JsonResponse(_full(saved))
    if request.method == "DELETE":
        saved.delete()
        return HttpResponse(status=204)
    fields = _checked(json_body(request), partial=True)
    for key, value in fields.items():
        setattr(saved, key, value)
    saved.save()
    return JsonResponse(_full(saved))
