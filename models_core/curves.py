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
"""

import math

import numpy as np
import torch

from .blocks.base import Param
from .errors import SpecError, show

TEST_POINTS = 100
MAX_DEGREE = 9
DECIMALS = 4


def _help(en, zh):
    return {"en": en, "zh-hans": zh}


def _sine(rng, x, noise):
    return np.sin(2 * math.pi * x) + rng.normal(0, noise, x.shape)


def _houses(rng, x, noise):
    return 1.0 - 0.6 * x + rng.normal(0, noise, x.shape)


# name -> (targets(rng, x, noise), x evenly spaced?, defaults: samples, noise, degree, help)
DATASETS = {
    "curve_fit": (_sine, True, (10, 0.3, 3),
                  _help("Bishop's curve fitting: sin(2πx) plus noise, fitted by a polynomial of degree M.",
                        "Bishop 的曲线拟合：sin(2πx) 加噪声，用 M 次多项式拟合。")),
    "house_prices": (_houses, False, (30, 0.1, 1),
                     _help("House prices against distance from the centre: a straight line plus noise.",
                           "房价与到市中心距离的关系：一条直线加噪声。")),
}


def params(name):
    """The dataset's params, with its own defaults."""
    samples, noise, degree = DATASETS[name][2]
    return (
        Param("samples", "int", samples, min=2, max_from="max_samples",
              help=_help("How many training points (the test set has its own 100).", "训练点的个数（测试集另有 100 个）。")),
        Param("noise", "float", noise, min=0.0, max=1.0,
              help=_help("The standard deviation σ of the noise on t.", "t 上噪声的标准差 σ。")),
        Param("degree", "int", degree, min=0, max=MAX_DEGREE,
              help=_help("M: the features are 1, x, x², …, x^M.", "M：特征为 1, x, x², …, x^M。")),
        Param("seed", "int", 1, min=0, max=2**31 - 1,
              help=_help("The same seed makes the same points.", "相同的种子生成相同的点。")),
    )


def check(d, name, limits, path="dataset"):
    """(normalised dataset spec, [SpecError]) for a 1-D dataset; bad fields are None in the dict."""
    errors, ps = [], params(name)
    known = ["name"] + [p.name for p in ps]
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
    for p in ps:
        out[p.name], msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
    return out, errors


def poly_features(x, degree):
    """(N,) x -> (N, degree + 1) powers 1, x, …, x^degree, in float64: the closed-form solver needs
    them exact (the trainer casts them to the run's dtype)."""
    x = torch.as_tensor(x, dtype=torch.float64)
    return torch.stack([x**j for j in range(degree + 1)], dim=1)


def make(d):
    """A checked 1-D dataset spec -> (train_points, test_points, x_train, y_train, x_test, y_test)."""
    targets, evenly, _, _ = DATASETS[d["name"]]
    rng = np.random.default_rng(d["seed"])
    n = d["samples"]

    def points(m):
        x = np.round(np.linspace(0, 1, m) if evenly else np.sort(rng.uniform(0, 1, m)), DECIMALS)
        t = np.round(targets(rng, x, d["noise"]), DECIMALS)
        return [[float(a), float(b)] for a, b in zip(x, t)]

    train_points, test_points = points(n), points(TEST_POINTS)

    def tensors(rows):
        xt = torch.tensor(rows, dtype=torch.float64)  # (N, 2)
        return poly_features(xt[:, 0], d["degree"]), xt[:, 1]  # (N, M + 1), (N,) float64

    return (train_points, test_points, *tensors(train_points), *tensors(test_points))
