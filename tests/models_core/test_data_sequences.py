import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from models_core.data_sequences import (GENERATORS, IGNORE, PARAMS, make_adding, make_delayed_recall,
                                        make_parity, make_reverse, make_sort)

CASES = [("delayed_recall", {}), ("delayed_recall", {"one_hot": 1, "lag": 5}), ("parity", {}), ("adding", {}),
         ("reverse", {}), ("reverse", {"delimited": 1}), ("sort", {}), ("sort", {"delimited": 1})]


def both(ds):
    return torch.cat([ds.x_train, ds.x_test]), torch.cat([ds.y_train, ds.y_test])


def fit_mlp(ds, hidden, steps, lr=0.01, seed=0):
    """Full-batch Adam on an MLP over the flattened input, one head per target step; returns the trained
    net. Tokens are one-hot encoded first."""
    torch.manual_seed(seed)
    prep = (lambda x: F.one_hot(x, ds.vocab).float().flatten(1)) if ds.input_kind == "tokens" else (lambda x: x.flatten(1))
    steps_out = ds.y_train.shape[1] if ds.target == "per_step" else 1
    width = ds.classes or 1
    net = torch.nn.Sequential(torch.nn.Linear(prep(ds.x_train[:1]).shape[1], hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, steps_out * width))
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def forward(x):
        out = net(prep(x))
        return out.view(len(x), steps_out, width) if ds.target == "per_step" else out.view(len(x), width)

    def loss_of(x, y):
        out = forward(x)
        if ds.problem == "regression":
            return F.mse_loss(out.squeeze(1), y)
        return F.cross_entropy(out.reshape(-1, width), y.reshape(-1))  # IGNORE steps are skipped

    for _ in range(steps):
        loss = loss_of(ds.x_train, ds.y_train)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return forward


def accuracy(forward, x, y):
    with torch.no_grad():
        pred = forward(x).argmax(-1)
    keep = y != IGNORE
    return (pred[keep] == y[keep]).float().mean().item()


@pytest.mark.parametrize("name, params", CASES)
def test_it_gives_tensors_that_match_the_metadata(name, params):
    ds = GENERATORS[name](dict(params, samples=500), seed=1)
    x, y = both(ds)
    assert len(ds.x_train) == 400 and len(ds.x_test) == 100
    assert tuple(x.shape[1:]) == ds.input_shape
    if ds.input_kind == "tokens":
        assert len(ds.input_shape) == 1 and x.dtype == torch.int64
        assert 0 <= x.min() and x.max() < ds.vocab == len(ds.token_names)
    else:
        assert ds.input_kind == "sequence" and len(ds.input_shape) == 2 and x.dtype == torch.float32
        assert ds.input_shape[1] == len(ds.token_names)
    if ds.problem == "regression":
        assert ds.classes is None and y.dtype == torch.float32 and y.shape == (500,)
    else:
        assert y.dtype == torch.int64 and ds.classes == len(ds.class_names)
        answered = y[y != IGNORE]
        assert 0 <= answered.min() and answered.max() < ds.classes
        assert y.shape == ((500, ds.input_shape[0]) if ds.target == "per_step" else (500,))
    assert set(ds.params) == set(PARAMS[name])


@pytest.mark.parametrize("name, params", CASES)
def test_it_is_deterministic_by_seed(name, params):
    a, b, c = (GENERATORS[name](dict(params, samples=200), s) for s in (7, 7, 8))
    assert all(torch.equal(getattr(a, k), getattr(b, k)) for k in ("x_train", "y_train", "x_test", "y_test"))
    assert not torch.equal(a.x_train, c.x_train)


@pytest.mark.parametrize("lag", [0, 1, 3, 9])
def test_delayed_recall_targets_the_symbol_lag_steps_back(lag):
    ds = make_delayed_recall({"lag": lag, "length": 10, "symbols": 5}, 0)
    x, y = both(ds)
    assert (y[:, :lag] == IGNORE).all()
    assert torch.equal(y[:, lag:], x[:, :10 - lag])
    one_hot = make_delayed_recall({"lag": lag, "length": 10, "symbols": 5, "one_hot": 1}, 0)
    assert torch.equal(one_hot.x_train.argmax(-1), ds.x_train) and one_hot.input_shape == (10, 5)
    assert one_hot.x_train.sum(-1).eq(1).all()


def test_delayed_recall_needs_lag_below_length():
    with pytest.raises(ValueError, match="lag must be below length"):
        make_delayed_recall({"lag": 5, "length": 5}, 0)


def test_ignored_steps_are_skipped_by_cross_entropy():
    ds = make_delayed_recall({"lag": 3}, 0)
    logits = torch.zeros(*ds.y_train.shape, ds.classes)
    loss = F.cross_entropy(logits.flatten(0, 1), ds.y_train.flatten())
    assert torch.isclose(loss, torch.tensor(np.log(ds.classes), dtype=torch.float32))


@pytest.mark.parametrize("length", [1, 4, 17])
def test_parity_is_the_count_of_ones_mod_2_and_balanced(length):
    x, y = both(make_parity({"length": length, "samples": 1000}, 2))
    assert ((x == 0) | (x == 1)).all()
    assert torch.equal(x.sum(dim=(1, 2)).long() % 2, y)
    assert y.sum() == 500


def test_adding_target_is_the_sum_of_the_two_marked_values():
    x, y = both(make_adding({"length": 30}, 3))
    values, markers = x[..., 0], x[..., 1]
    assert (values >= 0).all() and (values <= 1).all()
    assert (markers.sum(1) == 2).all()
    assert (markers[:, :15].sum(1) == 1).all() and (markers[:, 15:].sum(1) == 1).all()
    assert torch.allclose((values * markers).sum(1), y, atol=1e-6)
    assert 0.9 < y.mean() < 1.1 and abs(((y - 1) ** 2).mean() - 1 / 6) < 0.02  # the "always 1" baseline


def test_reverse_and_sort_are_right():
    x, y = both(make_reverse({"length": 7, "vocab": 5}, 0))
    assert torch.equal(y, x.flip(1))
    x, y = both(make_sort({"length": 7, "vocab": 5}, 0))
    assert torch.equal(y, x.sort(1).values)


@pytest.mark.parametrize("make", [make_reverse, make_sort])
def test_the_delimited_layout_reads_then_answers(make):
    plain = make({"length": 6, "vocab": 4}, 0)
    ds = make({"length": 6, "vocab": 4, "delimited": 1}, 0)
    assert ds.input_shape == (12,) and ds.vocab == 6 and ds.token_names[-2:] == ["SEP", "_"] and ds.classes == 4
    assert torch.equal(ds.x_train[:, :6], plain.x_train)
    assert (ds.x_train[:, 6] == 4).all() and (ds.x_train[:, 7:] == 5).all()
    assert (ds.y_train[:, :6] == IGNORE).all() and torch.equal(ds.y_train[:, 6:], plain.y_train)


def test_sizes_are_bounded():
    start = time.perf_counter()
    for name, make in GENERATORS.items():
        big = {k: v[2] for k, v in PARAMS[name].items() if k not in ("lag", "train_fraction", "one_hot")}
        big["samples"] = 20000 if name != "adding" else 10000
        ds = make(big, 0)
        assert ds.x_train.numel() + ds.x_test.numel() <= 2**24
    assert time.perf_counter() - start < 5
    with pytest.raises(ValueError, match="more than"):
        make_delayed_recall({"samples": 20000, "length": 256, "symbols": 26, "one_hot": 1}, 0)
    with pytest.raises(ValueError, match="length must lie in"):
        make_parity({"length": 65}, 0)
    with pytest.raises(ValueError, match="unknown param"):
        make_sort({"size": 3}, 0)


def test_a_small_mlp_learns_parity_of_4():
    ds = make_parity({"length": 4, "samples": 400}, 0)
    forward = fit_mlp(ds, hidden=16, steps=300, lr=0.03)
    assert accuracy(forward, ds.x_test, ds.y_test) > 0.98  # all 16 patterns right


def test_a_small_mlp_learns_delayed_recall():
    ds = make_delayed_recall({"length": 6, "lag": 2, "symbols": 3, "one_hot": 1, "samples": 600}, 0)
    forward = fit_mlp(ds, hidden=32, steps=200, lr=0.03)
    assert accuracy(forward, ds.x_test, ds.y_test) > 0.95


def test_a_small_mlp_beats_the_adding_baseline():
    ds = make_adding({"length": 6, "samples": 2000}, 0)
    forward = fit_mlp(ds, hidden=32, steps=300, lr=0.01)
    with torch.no_grad():
        mse = F.mse_loss(forward(ds.x_test).squeeze(1), ds.y_test).item()
    assert mse < 0.05  # baseline 1/6


def test_a_small_mlp_learns_to_reverse():
    ds = make_reverse({"length": 4, "vocab": 3, "samples": 600}, 0)
    forward = fit_mlp(ds, hidden=32, steps=200, lr=0.03)
    assert accuracy(forward, ds.x_test, ds.y_test) > 0.95
