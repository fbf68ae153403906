"""The JSON API's plumbing, one for runs, classroom and editor alike (docs/api.md, "Errors").

- `error(status, message, path="", node=None)`: the one error shape, {"errors": [{path, node, message}]}.
- `ApiError`: raise it anywhere below a view to answer at once with that shape.
- `@json_api(*methods, needs=None)`: the method check (405 + Allow), who may call (`needs` "account",
  "teacher" or "admin"; the instance's anonymous-use setting always), and ApiError / SpecInvalid → JSON.
- `json_body(request)`: the body as a JSON object, or ApiError 400 / 413 saying what is wrong.

Messages are plain English, as everywhere on the server: the browser shows them as they come (its
i18n catalogues translate the page's own text, not the server's messages).
"""
import functools
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

from models_core import SpecInvalid
from playground.runs.visitors import is_teacher, may_use

NEEDS = (None, "account", "teacher", "admin")


class ApiError(Exception):
    """An early exit: `raise ApiError(404, "no such thing")`, or several errors at once with `errors=`
    (dicts in the API's shape, e.g. one per bad field)."""

    def __init__(self, status, message="", path="", node=None, errors=None):
        super().__init__(message or "; ".join(e["message"] for e in errors or []))
        self.status = status
        self.errors = errors or [{"path": path, "node": node, "message": message}]

    def response(self):
        return JsonResponse({"errors": self.errors}, status=self.status)


def error(status, message, path="", node=None):
    return ApiError(status, message, path, node).response()


def json_api(*methods, needs=None):
    """For a JSON view: Django's own answers (an empty 405, an HTML 413) become the API's errors."""
    assert methods and needs in NEEDS, (methods, needs)

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in methods:
                response = error(405, f"{request.method} is not allowed here: use {' or '.join(methods)}")
                response["Allow"] = ", ".join(methods)
                return response
            refused = _refusal(request.user, needs)
            if refused:
                return refused
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return exc.response()
            except SpecInvalid as exc:  # models_core's errors are already in the API's shape
                return JsonResponse({"errors": exc.as_list()}, status=400)

        return inner

    return wrap


def _refusal(user, needs):
    """The 403 for a visitor this endpoint does not serve, or None."""
    if needs and not user.is_authenticated:
        return error(403, "log in first: this part of the playground needs an account")
    if not may_use(user):
        return error(403, "this instance requires an account: log in to use the playground")
    if needs == "admin" and not user.is_staff:
        return error(403, "only an admin may do this")
    if needs == "teacher" and not (is_teacher(user) or user.is_staff):
        return error(403, "only a teacher may do this: ask the admin to make your account a teacher's")
    return None


def json_body(request, allow_empty=False):
    """The body as a dict. `allow_empty`: an empty body reads as {} (for POSTs whose fields are all
    optional, e.g. a password reset)."""
    try:
        raw = request.body
    except RequestDataTooBig:  # Django refuses to read past DATA_UPLOAD_MAX_MEMORY_SIZE
        kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        raise ApiError(413, f"the request body is over {kb} KB, this instance's limit: send a smaller one")
    if not raw.strip():
        if allow_empty:
            return {}
        raise ApiError(400, "the body is empty: send a JSON object")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"the body is not valid JSON ({exc}): send a JSON object")
    if not isinstance(body, dict):
        raise ApiError(400, f"the body is a JSON {_kind(body)}: send a JSON object ({{...}})")
    return body


def _kind(value):
    return {list: "array", str: "string", bool: "true/false", type(None): "null"}.get(type(value), "number")
