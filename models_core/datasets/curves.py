"""
The 1-D regression datasets: a target t against one input x in [0, 1], fitted by a polynomial.

  curve_fit (Bishop, Deep Learning §1.2): N = `samples` points (default 10), x evenly spaced over
    [0, 1], t = sin(2πx) + Gaussian noise of σ = `noise` (default 0.3).
  house_prices: a house's price (in millions) against its distance from the town centre (x = 1 is
    10 km out): a falling straight line, t = 1 − 0.6·x, plus Gaussian noise (default σ 0.1), for
    N houses at random distances.

Each has an independent test set of 100 points made the same way with fresh noise (evenly spaced x
for curve_fit, as Bishop's), so there is no train_fraction. The network sees the polynomial features
(1, x, x², …, x^M) of the dataset's `degree` M, so a single dense(1) is Bishop's polynomial
y(x, w) = Σⱼ wⱼ xʲ. Its bias doubles the constant feature; the L2 penalty spares biases, so there the
bias takes the constant: Bishop's w₀, unpenalised. The 2-D features do not apply (`features` must be
absent) and there are no extra points. A point is [x, t].

A generator is (rng, m, noise) -> x (m,) rounded, t (m,); registry.py names them and their defaults.
"""

import math

import numpy as np
import torch

from ..blocks.base import Param, text
from ..errors import SpecError, show
from .dataset import Dataset

TEST_POINTS = 100
MAX_DEGREE = 9
DECIMALS = 4


def sine(rng, m, noise):
    """curve_fit: x evenly spaced over [0, 1] (as Bishop's), t = sin(2πx) + noise."""
    x = np.round(np.linspace(0, 1, m), DECIMALS)  # rounded first: t belongs to the x that is stored
    return x, np.sin(2 * math.pi * x) + rng.normal(0, noise, x.shape)


def houses(rng, m, noise):
    """house_prices: m houses at random distances x, t = 1 − 0.6·x + noise."""
    x = np.round(np.sort(rng.uniform(0, 1, m)), DECIMALS)
    return x, 1.0 - 0.6 * x + rng.normal(0, noise, x.shape)


def params(samples, noise, degree):
    """A 1-D dataset's params, with its own defaults."""
    return (
        Param("samples", "int", samples, min=2, max_from="max_samples",
              help=text("How many training points (the test set has its own 100).", "训练点的个数（测试集另有 100 个）。")),
        Param("noise", "float", noise, min=0.0, max=1.0,
              help=text("The standard deviation σ of the noise on t.", "t 上噪声的标准差 σ。")),
        Param("degree", "int", degree, min=0, max=MAX_DEGREE,
              help=text("M: the features are 1, x, x², …, x^M.", "M：特征为 1, x, x², …, x^M。")),
        Param("seed", "int", 1, min=0, max=2**31 - 1,
              help=text("The same seed makes the same points.", "相同的种子生成相同的点。")),
    )


def check(d, info, limits, path="dataset"):
    """(normalised dataset spec, [SpecError]) for a 1-D dataset; bad fields are None in the dict."""
    errors, name = [], info.name
    known = ["name"] + [p.name for p in info.params]
    for key in d:
        if key == "extra_points" and d[key] == []:
            continue  # nothing to add: harmless
        if key in ("features", "train_fraction", "extra_points", "classes"):
            why = {"features": "its features are the powers 1, x, …, x^M of its degree M",
                   "train_fraction": f"its test set is a separate {TEST_POINTS} points",
                   "extra_points": "its points are 1-D", "classes": "it is regression"}[key]
            errors.append(SpecError(f"{path}.{key}", f"{key} does not apply to {name}: {why} — remove it"))
        elif key not in known:
            errors.append(SpecError(f"{path}.{key}", f"unknown field {show(key)} in dataset — known fields: {', '.join(known)}"))
    out = {"name": name}
    for p in info.params:
        out[p.name], msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
    return out, errors


def width(d):
    """How many features the input gets: the powers 1, x, …, x^M (None where the degree is broken)."""
    return d["degree"] + 1 if d.get("degree") is not None else None


def poly_features(x, degree):
    """(N,) x -> (N, degree + 1) powers 1, x, …, x^degree, in float64: the closed-form solver needs
    them exact (the trainer casts them to the run's dtype)."""
    x = torch.as_tensor(x, dtype=torch.float64)
    return torch.stack([x**j for j in range(degree + 1)], dim=1)


def make(d, info):
    """A checked 1-D dataset spec -> Dataset: points [x, t], features (N, M + 1) float64."""
    rng = np.random.default_rng(d["seed"])

    def points(m):
        x, t = info.generator(rng, m, d["noise"])
        return [[float(a), float(b)] for a, b in zip(x, np.round(t, DECIMALS))]

    train_points, test_points = points(d["samples"]), points(TEST_POINTS)

    def tensors(rows):
        xt = torch.tensor(rows, dtype=torch.float64)  # (N, 2)
        return poly_features(xt[:, 0], d["degree"]), xt[:, 1]  # (N, M + 1), (N,) float64

    return Dataset(info.name, info.problem, None, [f"x^{j}" for j in range(d["degree"] + 1)], train_points, test_points,
                   *tensors(train_points), *tensors(test_points), dims=1, degree=d["degree"])
