"""Training options: AdamW and RMSprop (against torch.optim), gradient clipping (against torch),
learning-rate schedules, early stopping. Each is off by default and then changes nothing."""

import math

import pytest
import torch

from models_core import train
from models_core.optim import AdamW, RMSprop, clip_grad_norm_
from models_core.schedules import lr_factor

from .helpers import make_spec, of_type
from .test_optim import run


def adamw_theirs(ps):
    return torch.optim.AdamW([{"params": [ps[0]], "weight_decay": 0.1}, {"params": [ps[1]], "weight_decay": 0.0}], lr=0.1)


@pytest.mark.parametrize("ours, theirs", [
    (lambda ps: AdamW(ps, lr=0.1, weight_decay=0.1, decayed=[ps[0]]), adamw_theirs),  # the weights decay, the bias not
    (lambda ps: RMSprop(ps, lr=0.01), lambda ps: torch.optim.RMSprop(ps, lr=0.01)),
])
def test_new_optimizers_match_torch_optim(ours, theirs):
    for a, b in zip(run(ours), run(theirs)):
        assert torch.allclose(a, b, atol=1e-6), (a - b).abs().max()


@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    torch.manual_seed(0)
    ours = [torch.randn(4, 3, requires_grad=True), torch.randn(4, requires_grad=True)]
    theirs = [p.detach().clone().requires_grad_() for p in ours]
    for a, b in zip(ours, theirs):
        a.grad = torch.randn_like(a)
        b.grad = a.grad.clone()
    total = clip_grad_norm_(ours, max_norm)
    expect = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    assert torch.allclose(total, expect)
    assert all(torch.allclose(a.grad, b.grad) for a, b in zip(ours, theirs))


def test_schedules():
    step = {"kind": "step", "every": 10, "gamma": 0.5}
    assert [lr_factor(step, e, 100) for e in (0, 9, 10, 25)] == [1, 1, 0.5, 0.25]
    cos = {"kind": "cosine"}
    assert lr_factor(cos, 0, 100) == 1 and lr_factor(cos, 50, 100) == pytest.approx(0.5)
    assert 0 < lr_factor(cos, 99, 100) < 0.001
    assert lr_factor({"kind": "constant"}, 57, 100) == 1.0


def test_defaults_change_nothing_and_options_change_the_run():
    base = make_spec([4], training={"epochs": 6})
    explicit = make_spec([4], training={"epochs": 6, "schedule": {"kind": "constant"}, "clip_grad_norm": 0,
                                        "early_stopping": {"patience": 0}, "solver": "gradient"})
    a = train(base, None, stream=False)
    assert train(explicit, None, stream=False).final == a.final
    for extra in ({"schedule": {"kind": "cosine"}}, {"schedule": {"kind": "step", "every": 2}}, {"clip_grad_norm": 0.01},
                  {"optimizer": "adamw"}, {"optimizer": "rmsprop"}):
        r = train(make_spec([4], training={"epochs": 6, **extra}), None, stream=False)
        assert r.status == "succeeded" and r.final != a.final, extra


def test_adamw_decays_weights_by_the_l2_rate():
    def weight_norm(optimizer, rate):
        spec = make_spec([8], dataset={"name": "gauss", "samples": 100},
                         training={"optimizer": optimizer, "epochs": 20, "learning_rate": 0.03,
                                   "regularization": {"kind": "l2", "rate": rate}})
        events = []
        train(spec, events.append, visual_interval=1e9)
        layers = of_type(events, "weights")[-1]["layers"]
        return sum(abs(w) for layer in layers.values() for row in layer["weight"] for w in row)
    assert weight_norm("adamw", 1.0) < 0.8 * weight_norm("adamw", 0.0)
    assert weight_norm("adamw", 0.0) == weight_norm("adam", 0.0)  # no decay: it is Adam


def test_clipping_tames_a_diverging_run():
    spec = lambda clip: make_spec([], dataset={"name": "plane", "samples": 200},  # noqa: E731
                                  training={"learning_rate": 10, "epochs": 20, "clip_grad_norm": clip})
    assert train(spec(0), None, stream=False).status == "failed"  # see test_train: the loss blows up
    assert train(spec(0.01), None, stream=False).status == "succeeded"


def test_early_stopping_ends_the_run_succeeded_with_a_reason():
    # an overfitting net: many points of noise, few epochs of improvement on the test set
    spec = make_spec([8, 8], dataset={"name": "spiral", "samples": 60, "noise": 0.5},
                     training={"optimizer": "adam", "learning_rate": 0.03, "epochs": 500, "early_stopping": {"patience": 20}})
    events = []
    r = train(spec, events.append, visual_interval=1e9)
    assert r.status == "succeeded" and r.epochs < 500
    assert r.reason == f"stopped early at epoch {r.epochs}: test loss had not improved for 20 epochs"
    test_losses = [m["test_loss"] for m in of_type(events, "metrics")][1:]  # epochs 1, 2, ...
    best = min(test_losses)
    assert test_losses.index(best) + 1 == r.epochs - 20 and min(test_losses[-20:]) >= best
    quiet = train(spec, None, stream=False)  # streaming or not, the same stop
    assert (quiet.reason, quiet.final) == (r.reason, r.final)
    assert math.isclose(r.final["test_loss"], test_losses[-1])
