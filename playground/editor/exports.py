"""GET /api/runs/<id>/export/pytorch (a zip: network.py, weights.pt, sample.pt) and .../export/onnx.
A spec with several networks gets one class each in network.py, weights_<name>.pt and sample_<name>.pt
each, and its ONNX export is a zip of <name>.onnx files."""
import io
import zipfile

from django.http import HttpResponse

from models_core.datasets import make_dataset
from models_core.export import (ExportError, exported_state_dict, networks_of, onnx_bytes, onnx_files_networks,
                                python_source, pytorch_files_networks, sample_batch, sample_inputs)
from playground.jsonapi import error, json_api
from playground.runs.visitors import visible_run

from .weights import trained_models


def _trained_run(request, run_id):
    """(run, validated spec, {name: trained model}, None) or (None, None, None, an error response)."""
    run = visible_run(run_id, request.user, request.session.session_key)
    if run is None:
        return None, None, None, error(404, f"no run {run_id} here: it does not exist or belongs to someone else")
    if not run.is_final:
        return None, None, None, error(409, f"run {run_id} is {run.status}: export it once it has finished")
    found = trained_models(run)
    if found is None:
        return None, None, None, error(409, f"run {run_id} has no saved weights (it ended before training, or before "
                                            "weights were kept): train it again to export it")
    v, models = found
    return run, v, models, None


def _samples(v, graphs):
    """{name: (x, y)}: the dataset's test samples; a network whose input they do not fit (a generator's
    noise) gets seeded random inputs."""
    dataset = make_dataset(v.spec["dataset"], v.limits)
    if list(graphs) == ["network"]:
        return {"network": sample_batch(dataset)}
    return {name: sample_inputs(graph, dataset) for name, graph in graphs.items()}


def _name(run):
    return f"run-{str(run.id)[:8]}"


def _title(run, v, graphs):
    def types(g):
        return " → ".join(g.nodes[n]["type"] for n in g.order)
    if list(graphs) == ["network"]:
        note = f"Network: {types(graphs['network'])}."
    else:
        note = "Networks: " + "; ".join(f"{name}: {types(g)}" for name, g in graphs.items()) + "."
    return f"Run {run.id} on {v.spec['dataset']['name']} ({run.status})", note


def _attachment(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _zip(run, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for filename, data in files.items():
            zf.writestr(f"{_name(run)}/{filename}", data)
    return buf.getvalue()


@json_api("GET")
def export_pytorch(request, run_id):
    run, v, models, bad = _trained_run(request, run_id)
    if bad:
        return bad
    graphs = networks_of(v)
    title, note = _title(run, v, graphs)
    try:
        files = pytorch_files_networks(graphs, models, _samples(v, graphs), title=title, note=note)
    except ExportError as exc:
        return error(400, str(exc), path="network")
    return _attachment(_zip(run, files), f"{_name(run)}-pytorch.zip", "application/zip")


@json_api("GET")
def export_onnx(request, run_id):
    run, v, models, bad = _trained_run(request, run_id)
    if bad:
        return bad
    graphs = networks_of(v)
    samples = _samples(v, graphs)
    try:
        if list(graphs) == ["network"]:
            graph, (x, _) = graphs["network"], samples["network"]
            data = onnx_bytes(python_source(graph), exported_state_dict(graph, models["network"]), x)
            return _attachment(data, f"{_name(run)}.onnx", "application/octet-stream")
        files = onnx_files_networks(graphs, models, samples)
    except ExportError as exc:
        return error(400, str(exc), path="network")
    return _attachment(_zip(run, files), f"{_name(run)}-onnx.zip", "application/zip")
