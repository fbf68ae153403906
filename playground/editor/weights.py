"""The trained weights of a run: saved by the worker when a run ends, loaded to export it."""
import io

import torch

from models_core import validate_spec
from models_core.graph_model import GraphModel

from .models import RunWeights


def save_run_weights(run_id, model):
    """Called by the worker with the trained GraphModel when the run ends (whatever its status)."""
    state = {k: (v.detach().cpu().float() if v.is_floating_point() else v.detach().cpu())
             for k, v in model.state_dict().items()}
    buf = io.BytesIO()
    torch.save(state, buf)
    RunWeights.objects.update_or_create(run_id=run_id, defaults={"data": buf.getvalue()})


def trained_model(run):
    """(ValidatedSpec, GraphModel with the run's trained weights, in eval mode), or None when the run
    has no saved weights."""
    saved = RunWeights.objects.filter(run_id=run.id).first()
    if saved is None:
        return None
    v = validate_spec(run.spec)
    model = GraphModel(v)
    model.load_state_dict(torch.load(io.BytesIO(bytes(saved.data)), weights_only=True))
    return v, model.eval()
