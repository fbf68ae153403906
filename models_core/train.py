"""
train(spec, sink, control): validate the spec, make its dataset, pick its recipe (recipes/: what is
trained), and let the loop (loop.py: how) run it with a fresh per-run state (run_state.py). See
docs/api.md for the events and docs/models_core.md for the seam.

training.folds asks for k-fold cross-validation first (crossval.py): k fold models, trained unstreamed
by this same function on the folds, whose validation scores arrive as one `crossval` event at the
start and as `cv_*` fields of the final metrics.
"""

from dataclasses import dataclass, field
from typing import Optional

from . import crossval
from .datasets import make_dataset
from .device import pick_device
from .loop import Loop
from .recipes import recipe_class
from .run_state import RunState
from .spec import ValidatedSpec, validate_spec


@dataclass
class RunResult:
    status: str  # "succeeded" | "failed" | "cancelled"
    reason: Optional[str]
    final: Optional[dict]  # the recipe's final metrics, epochs, steps (and cv_* with folds)
    steps: int
    epochs: int
    model: Optional[object] = field(default=None, repr=False, compare=False)  # the trained GraphModel, when there is one
    models: dict = field(default_factory=dict, repr=False, compare=False)  # network name -> trained GraphModel


def train(spec, sink=None, control=None, *, stream=True, visual_interval=0.1, dataset=None):
    """Train a spec. spec: a spec dict (validated here) or a ValidatedSpec. sink: a callable taking one
    event dict, or an object with emit(event). control: an object whose poll() returns the control
    messages received since the last poll, or None. stream=False emits nothing (for measuring what
    streaming costs). dataset: a Dataset to use instead of the spec's (the cross-validation folds).
    Exceptions from a bug propagate to the caller."""
    v = spec if isinstance(spec, ValidatedSpec) else validate_spec(spec)
    t = v.spec["training"]
    assert sink is not None or not stream, "streaming needs a sink"
    emit = (sink.emit if hasattr(sink, "emit") else sink) if stream else None

    cv = None
    if t["folds"] and dataset is None:
        cv, stopped = crossval.cross_validate(v, make_dataset(v.spec["dataset"], v.limits), t["folds"], train, control)
        if stopped is not None:
            reason = stopped.reason if stopped.status == "cancelled" else f"cross-validation: {stopped.reason}"
            return RunResult(stopped.status, reason, None, 0, 0)
    ds = dataset if dataset is not None else make_dataset(v.spec["dataset"], v.limits)
    recipe = recipe_class(v)(v, ds, pick_device(t["device"]))
    state = RunState.for_training(t, max(visual_interval, recipe.min_visual_interval), recipe.view_intervals)
    out = Loop(recipe, state, t, emit, control).run([("crossval", cv)] if cv is not None else [])

    final = None
    if out.values is not None:
        final = {**recipe.final(out.values), "epochs": out.epochs, "steps": out.steps}
        if cv is not None:
            final.update({f"cv_{key}": value for key, value in cv.items() if not isinstance(value, list)})
    model = next(iter(recipe.models.values()), None)
    return RunResult(out.status, out.reason, final, state.step, state.epoch, model, dict(recipe.models))
