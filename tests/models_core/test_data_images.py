import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from models_core.data_images import PARAMS, fill_params, glyph_templates, make_digits8, make_digits16


def fit_mlp(ds, hidden=64, steps=150, lr=0.01, seed=0):
    """Full-batch Adam on a one-hidden-layer MLP; returns test accuracy."""
    torch.manual_seed(seed)
    d = int(np.prod(ds.input_shape))
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(d, hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, ds.classes))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for _ in range(steps):
        loss = F.cross_entropy(net(ds.x_train), ds.y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        return (net(ds.x_test).argmax(1) == ds.y_test).float().mean().item()


def same(a, b):
    return all(torch.equal(getattr(a, k), getattr(b, k)) for k in ("x_train", "y_train", "x_test", "y_test"))


def test_it_gives_digits8_in_shape_and_range():
    ds = make_digits8({}, seed=0)
    assert ds.input_shape == (1, 8, 8) and ds.classes == 10 and ds.class_names == [str(d) for d in range(10)]
    assert ds.x_train.shape[1:] == (1, 8, 8) and ds.x_train.dtype == torch.float32
    assert len(ds.x_train) + len(ds.x_test) == 1797 and abs(len(ds.x_train) - 0.8 * 1797) < 10
    assert ds.y_train.dtype == torch.int64 and set(ds.y_train.tolist()) == set(range(10))
    x = torch.cat([ds.x_train, ds.x_test])
    assert x.min() == 0 and x.max() == 1
    assert ds.params == {"train_fraction": 0.8}


def test_it_reads_the_same_digits_as_sklearn():
    datasets = pytest.importorskip("sklearn.datasets")
    ref = datasets.load_digits()
    ds = make_digits8({"train_fraction": 0.5}, seed=1)
    x = torch.cat([ds.x_train, ds.x_test]).reshape(-1, 64) * 16
    y = torch.cat([ds.y_train, ds.y_test])
    ours = sorted(zip(y.tolist(), map(tuple, x.round().int().tolist())))
    theirs = sorted(zip(ref.target.tolist(), map(tuple, ref.data.astype(int).tolist())))
    assert ours == theirs  # the same images, only reordered


def test_it_splits_digits8_by_seed_stratified():
    a, b, c = make_digits8({}, 3), make_digits8({}, 3), make_digits8({}, 4)
    assert same(a, b) and not same(a, c)
    train, test = np.bincount(a.y_train, minlength=10), np.bincount(a.y_test, minlength=10)
    assert np.all(np.abs(train / (train + test) - 0.8) < 0.02)  # each class split 80/20
    small = make_digits8({"train_fraction": 0.1}, 3)
    assert abs(len(small.x_train) - 180) < 10


def test_it_gives_balanced_digits16_in_shape_and_range():
    ds = make_digits16({"samples": 1000, "noise": 0.3}, seed=0)
    assert ds.input_shape == (1, 16, 16) and ds.classes == 10
    assert ds.x_train.shape == (800, 1, 16, 16) and ds.x_test.shape == (200, 1, 16, 16)
    assert ds.x_train.dtype == torch.float32 and ds.y_train.dtype == torch.int64
    x = torch.cat([ds.x_train, ds.x_test])
    assert x.min() >= 0 and x.max() <= 1
    assert np.bincount(ds.y_train, minlength=10).tolist() == [80] * 10
    assert np.bincount(ds.y_test, minlength=10).tolist() == [20] * 10
    assert ds.params == {"samples": 1000, "noise": 0.3, "jitter": 0.5, "train_fraction": 0.8}


def test_it_makes_the_same_digits16_for_the_same_seed():
    a, b = make_digits16({"samples": 200}, 5), make_digits16({"samples": 200}, 5)
    assert same(a, b) and not same(a, make_digits16({"samples": 200}, 6))


def test_it_draws_each_digit_as_its_glyph_without_jitter_or_noise():
    ds = make_digits16({"samples": 300, "noise": 0.0, "jitter": 0.0}, seed=0)
    x, y = torch.cat([ds.x_train, ds.x_test]), torch.cat([ds.y_train, ds.y_test])
    for d in range(10):
        distinct = torch.unique(x[y == d].reshape(-1, 256), dim=0)
        assert len(distinct) <= 3  # thin, regular, bold
    means = torch.stack([x[y == d].mean(0).flatten() for d in range(10)])
    assert torch.cdist(means, means).add(torch.eye(10) * 99).min() > 1.0  # the ten digits differ
    ink = x.sum(dim=(1, 2, 3))
    assert ink.min() > 10 and ink.max() < 130  # a digit, not an empty or a filled square


def test_it_jitters_and_noises_digits16():
    calm = make_digits16({"samples": 500, "noise": 0.0, "jitter": 0.0}, 0)
    wild = make_digits16({"samples": 500, "noise": 0.0, "jitter": 1.0}, 0)
    noisy = make_digits16({"samples": 500, "noise": 1.0, "jitter": 0.0}, 0)
    spread = lambda ds: ds.x_train[ds.y_train == 2].std(0).mean().item()
    assert spread(wild) > spread(calm) + 0.05 and spread(noisy) > spread(calm) + 0.1


def test_digits16_is_fast_and_bounded():
    glyph_templates()  # rendered once per process
    start = time.perf_counter()
    make_digits16({"samples": 2000}, 0)
    assert time.perf_counter() - start < 2.0
    big = make_digits16({"samples": 10000}, 0)
    assert len(big.x_train) + len(big.x_test) == 10000
    with pytest.raises(ValueError, match="samples must lie in"):
        make_digits16({"samples": 10001}, 0)


@pytest.mark.parametrize("params, message", [
    ({"noise": 1.5}, "noise must lie in"),
    ({"samples": 100.5}, "samples must be an integer"),
    ({"samples": True}, "samples must be an integer"),
    ({"nosie": 0.1}, "unknown param 'nosie'"),
])
def test_it_refuses_bad_params(params, message):
    with pytest.raises(ValueError, match=message):
        make_digits16(params, 0)


def test_fill_params_fills_defaults_and_choices():
    bounds = {"n": (3, 1, 5), "f": (0.5, 0.0, 1.0), "lang": ("en", ("en", "zh"))}
    assert fill_params({"n": 4.0, "lang": "zh"}, bounds, "x") == {"n": 4, "f": 0.5, "lang": "zh"}
    with pytest.raises(ValueError, match="lang must be one of en, zh"):
        fill_params({"lang": "fr"}, bounds, "x")
    assert all(lo <= d <= hi for p in PARAMS.values() for d, lo, hi in p.values())


def test_a_small_mlp_learns_digits8():
    assert fit_mlp(make_digits8({}, 0)) > 0.85  # 150 full-batch steps: ~1 s


def test_a_small_mlp_learns_digits16():
    assert fit_mlp(make_digits16({"samples": 2000}, 0), steps=150) > 0.8
