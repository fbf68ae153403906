"""k-fold cross-validation: the folds, the errors it reports, and what it refuses."""
import pytest
import torch

from models_core import SpecInvalid, validate_spec
from models_core.crossval import splits
from models_core.train import train

from ..conftest import make_spec


def poly_spec(degree, folds, samples=10, seed=1):
    return {"network": {"nodes": [{"id": "in", "type": "input"}, {"id": "w", "type": "dense", "params": {"units": 1}}],
                        "edges": [["in", "w"]]},
            "dataset": {"name": "curve_fit", "samples": samples, "degree": degree, "seed": seed},
            "training": {"solver": "closed_form", "folds": folds}}


def test_folds_partition_the_training_points():
    parts = splits(23, 5, seed=1)
    vals = torch.cat([v for _, v in parts])
    assert sorted(vals.tolist()) == list(range(23))
    assert sorted(len(v) for _, v in parts) == [4, 4, 5, 5, 5]
    for tr, va in parts:
        assert not set(tr.tolist()) & set(va.tolist()) and len(tr) + len(va) == 23


def test_cross_validation_exposes_the_overfitting_polynomial():
    """Bishop §1.2 without the test set: the validation error of M = 9 on 10 points is far above M = 3's."""
    events = []
    r9 = train(poly_spec(9, 5), events.append)
    r3 = train(poly_spec(3, 5), None, stream=False)
    assert r9.status == r3.status == "succeeded"
    assert r9.final["cv_folds"] == 5 and r9.final["cv_val_rms_mean"] > 3 * r3.final["cv_val_rms_mean"]
    (cv,) = [e for e in events if e["type"] == "crossval"]
    assert len(cv["val_rms"]) == 5 and cv["val_rms_mean"] == r9.final["cv_val_rms_mean"]
    mean = sum(cv["val_rms"]) / 5
    assert cv["val_rms_mean"] == pytest.approx(mean, rel=1e-3)
    assert cv["val_rms_std"] == pytest.approx((sum((x - mean) ** 2 for x in cv["val_rms"]) / 5) ** 0.5, rel=1e-3)
    # the final model is still fitted on all the training points: the same as without folds
    plain = train(poly_spec(9, 0), None, stream=False)
    assert plain.final["train_rms"] == r9.final["train_rms"] and plain.final["test_rms"] == r9.final["test_rms"]


def test_cross_validation_on_a_two_d_set_with_gradient_descent():
    spec = make_spec(epochs=5, folds=4)
    spec["dataset"]["samples"] = 100
    r = train(spec, None, stream=False)
    assert r.status == "succeeded" and 0 <= r.final["cv_val_accuracy_mean"] <= 1 and r.final["cv_val_loss_std"] >= 0


@pytest.mark.parametrize("spec, message", [
    (poly_spec(3, 1), "one fold leaves nothing to train on"),
    (poly_spec(3, 8, samples=5), "8 folds need at least 8 training points, and there are 5"),
])
def test_impossible_folds_are_refused(spec, message):
    with pytest.raises(SpecInvalid) as e:
        validate_spec(spec)
    assert e.value.errors[0].path == "training.folds" and message in e.value.errors[0].message


def test_folds_do_not_apply_to_images():
    spec = {"network": {"nodes": [{"id": "in", "type": "input", "params": {"kind": "image"}}, {"id": "f", "type": "flatten"},
                                  {"id": "o", "type": "dense", "params": {"units": 10}}], "edges": [["in", "f"], ["f", "o"]]},
            "dataset": {"name": "digits8"}, "training": {"folds": 3}}
    with pytest.raises(SpecInvalid) as e:
        validate_spec(spec)
    assert "cross-validation applies to curve_fit" in e.value.errors[0].message
