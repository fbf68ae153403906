import json
import math

import pytest
import torch

from models_core import SpecInvalid
from models_core.datasets import DATASETS, PLANE, catalogue, make_dataset
from models_core.features import FEATURES, featurize

NAMES = list(DATASETS)  # the 1-D sets (curve_fit, house_prices) are tested in test_facts_curve_fit.py


@pytest.mark.parametrize("name", PLANE)
def test_points_shapes_labels_and_range(name):
    spec = {"name": name, "samples": 300, "noise": 0.5, "train_fraction": 0.3, "seed": 3}
    if name == "blobs":
        spec["classes"] = 5
    ds = make_dataset(spec)
    assert len(ds.train_points) == 90 and len(ds.test_points) == 210
    assert ds.x_train.shape == (90, 2) and ds.x_test.shape == (210, 2) and ds.x_train.dtype == torch.float32
    assert ds.y_train.shape == (90,) and ds.y_test.shape == (210,)
    points = ds.train_points + ds.test_points
    assert all(len(p) == 3 and -6 <= p[0] <= 6 and -6 <= p[1] <= 6 for p in points)
    labels = [p[2] for p in points]
    if ds.problem == "regression":
        assert ds.classes is None and ds.y_train.dtype == torch.float32
        assert all(isinstance(y, float) and -1 <= y <= 1 for y in labels)
        assert max(labels) - min(labels) > 0.5
    else:
        k = 5 if name == "blobs" else 2
        assert ds.classes == k and ds.y_train.dtype == torch.int64
        assert set(labels) == set(range(k)) and all(isinstance(y, int) for y in labels)
        if name != "circle":  # the circle's noise moves labels across the rim, unevenly
            assert min(labels.count(c) for c in range(k)) > 300 / k * 0.6  # roughly balanced
    json.dumps(points)
    # the tensors are the points, featurised
    assert torch.allclose(ds.x_train, torch.tensor([p[:2] for p in ds.train_points]))


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_by_seed(name):
    a, b = make_dataset({"name": name, "seed": 7}), make_dataset({"name": name, "seed": 7})
    assert a.train_points == b.train_points and a.test_points == b.test_points
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    c = make_dataset({"name": name, "seed": 8})
    assert not (torch.equal(c.x_train, a.x_train) and torch.equal(c.y_train, a.y_train))


def test_noise_free_labels_follow_the_rule():
    xor = make_dataset({"name": "xor", "noise": 0, "samples": 200})
    assert all(y == int(x1 * x2 >= 0) for x1, x2, y in xor.train_points + xor.test_points)
    circle = make_dataset({"name": "circle", "noise": 0, "samples": 200})
    assert all(y == int(math.hypot(x1, x2) < 2.5) for x1, x2, y in circle.train_points + circle.test_points)
    plane = make_dataset({"name": "plane", "noise": 0, "samples": 200})
    assert all(abs(y - max(-1, min(1, (x1 + x2) / 10))) < 2e-4 for x1, x2, y in plane.train_points)


def test_extra_points_join_the_training_set():
    base = make_dataset({"name": "circle", "samples": 100})
    ds = make_dataset({"name": "circle", "samples": 100, "extra_points": [[1.5, -2.0, 1], [5, 5, 0]]})
    assert ds.train_points == base.train_points + [[1.5, -2.0, 1], [5.0, 5.0, 0]]
    assert ds.test_points == base.test_points
    assert ds.x_train.shape == (52, 2) and ds.y_train[-2:].tolist() == [1, 0]


def test_features():
    pts = torch.tensor([[1.0, 2.0], [-3.0, 0.5]])
    f = featurize(pts, FEATURES)
    x1, x2 = pts[:, 0], pts[:, 1]
    expect = torch.stack([x1, x2, x1 * x1, x2 * x2, x1 * x2, torch.sin(x1), torch.sin(x2)], dim=1)
    assert f.shape == (2, 7) and torch.allclose(f, expect)
    assert torch.equal(featurize(pts, ["x2", "x1"]), pts.flip(1))
    ds = make_dataset({"name": "xor", "features": ["x1x2", "x1", "sin_x2"]})
    assert ds.features == ["x1", "x1x2", "sin_x2"] and ds.x_train.shape[1] == 3  # canonical order
    p = ds.train_points[0]
    assert torch.allclose(ds.x_train[0], torch.tensor([p[0], p[0] * p[1], math.sin(p[1])]))


def test_catalogue():
    cat = catalogue()
    json.dumps(cat)
    assert [d["name"] for d in cat] == NAMES
    by = {d["name"]: d for d in cat}
    assert (by["spiral"]["problem"], by["spiral"]["classes"]) == ("classification", 2)
    assert (by["plane"]["problem"], by["plane"]["classes"]) == ("regression", None)
    assert [p["name"] for p in by["blobs"]["params"]] == ["samples", "noise", "train_fraction", "seed", "classes"]
    samples = by["circle"]["params"][0]
    assert (samples["min"], samples["max"], samples["default"]) == (10, 2000, 500)
    assert all(set(d["help"]) == {"en", "zh-hans"} for d in cat)


def test_bad_dataset_spec_raises_spec_invalid():
    with pytest.raises(SpecInvalid) as exc:
        make_dataset({"name": "circle", "samples": 3})
    assert exc.value.errors[0].path == "dataset.samples"


def test_the_catalogue_holds_under_limits_tighter_than_the_defaults():
    from models_core.limits import Limits

    tight = catalogue(Limits(max_dataset_samples=500, max_samples=100))
    corpus = next(d for d in tight if d["name"] == "toy_corpus")
    assert corpus["kind"] == "tokens"
    assert next(p for p in corpus["params"] if p["name"] == "sentences")["max"] == 500
