"""GET /api/runs/<id>/export/pytorch (a zip: network.py, weights.pt, sample.pt) and .../export/onnx."""
import io
import zipfile

from django.http import HttpResponse

from models_core.datasets import make_dataset
from models_core.export import ExportError, exported_state_dict, onnx_bytes, python_source, pytorch_files, sample_batch
from playground.jsonapi import error, json_api
from playground.runs.visitors import visible_run

from .weights import trained_model


def _trained_run(request, run_id):
    """(run, validated spec, trained model, None) or (None, None, None, an error response)."""
    run = visible_run(run_id, request.user, request.session.session_key)
    if run is None:
        return None, None, None, error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    if not run.is_final:
        return None, None, None, error(409, f"run {run_id} is {run.status}: export it once it has finished")
    found = trained_model(run)
    if found is None:
        return None, None, None, error(409, f"run {run_id} has no saved weights (it ended before training, or before "
                                            "weights were kept): train it again to export it")
    v, model = found
    return run, v, model, None


def _name(run):
    return f"run-{str(run.id)[:8]}"


def _title(run, v):
    types = " → ".join(v.nodes[n]["type"] for n in v.order)
    return f"Run {run.id} on {v.spec['dataset']['name']} ({run.status})", types


def _attachment(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@json_api("GET")
def export_pytorch(request, run_id):
    run, v, model, bad = _trained_run(request, run_id)
    if bad:
        return bad
    x, y = sample_batch(make_dataset(v.spec["dataset"], v.limits))
    title, note = _title(run, v)
    try:
        files = pytorch_files(v, model, x, y, title=title, note=f"Network: {note}.")
    except ExportError as exc:
        return error(400, str(exc), path="network")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for filename, data in files.items():
            zf.writestr(f"{_name(run)}/{filename}", data)
    return _attachment(buf.getvalue(), f"{_name(run)}-pytorch.zip", "application/zip")


@json_api("GET")
def export_onnx(request, run_id):
    run, v, model, bad = _trained_run(request, run_id)
    if bad:
        return bad
    x, _ = sample_batch(make_dataset(v.spec["dataset"], v.limits))
    try:
        data = onnx_bytes(python_source(v), exported_state_dict(v, model), x)
    except ExportError as exc:
        return error(400, str(exc), path="network")
    return _attachment(data, f"{_name(run)}.onnx", "application/octet-stream")
