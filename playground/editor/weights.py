"""The trained weights of a run: saved by the worker when a run ends, loaded to export it. A spec with
several networks (a GAN's generator and discriminator) keeps one state_dict per network."""
import io

import torch
import torch.nn as nn

from models_core import validate_spec
from models_core.export import networks_of
from models_core.graph_model import GraphModel

from .models import RunWeights


def _cpu_state(model):
    return {k: (v.detach().cpu().float() if v.is_floating_point() else v.detach().cpu())
            for k, v in model.state_dict().items()}


def save_run_weights(run_id, model):
    """Called by the worker with the trained GraphModel when the run ends (whatever its status), or
    with {network name: GraphModel} (a dict or an nn.ModuleDict) for a spec with several networks."""
    if isinstance(model, (dict, nn.ModuleDict)):
        # one network called "network" is a single-network spec: stored as before, a plain state_dict
        state = _cpu_state(model["network"]) if list(model) == ["network"] else \
            {name: _cpu_state(m) for name, m in model.items()}
    else:
        state = _cpu_state(model)
    buf = io.BytesIO()
    torch.save(state, buf)
    RunWeights.objects.update_or_create(run_id=run_id, defaults={"data": buf.getvalue()})


def trained_models(run):
    """(ValidatedSpec, {network name: GraphModel with the run's trained weights, in eval mode}), or
    None when the run has no saved weights. A single-network spec gives {"network": model}."""
    saved = RunWeights.objects.filter(run_id=run.id).first()
    if saved is None:
        return None
    v = validate_spec(run.spec)
    graphs = networks_of(v)
    state = torch.load(io.BytesIO(bytes(saved.data)), weights_only=True)
    states = {"network": state} if list(graphs) == ["network"] else state
    models = {}
    for name, graph in graphs.items():
        models[name] = GraphModel(graph)
        models[name].load_state_dict(states[name])
        models[name].eval()
    return v, models


def trained_model(run):
    """(ValidatedSpec, GraphModel with the run's trained weights, in eval mode) of a single-network
    run, or None when the run has no saved weights."""
    found = trained_models(run)
    if found is None:
        return None
    v, models = found
    return v, models["network"]
