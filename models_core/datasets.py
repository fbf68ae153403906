"""
The datasets. The 2-D ones (here), after TensorFlow Playground's generators: every point lies in
[-6, 6]², a label is 0/1 (binary), 0..k-1 (blobs) or a value in [-1, 1] (regression). `noise` is TF
Playground's noise as a fraction (its slider's 0–50 % is our 0–0.5). Everything is drawn from one
numpy Generator seeded by `seed`, so a dataset spec always makes the same points, on any machine.
The 1-D regression sets (curve_fit, house_prices) live in curves.py, the image, sequence and token
sets in data_kinds.py; check_dataset and make_dataset hand them over.
"""

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

from . import curves, data_kinds
from .blocks.base import Param
from .errors import SpecError, SpecInvalid, show
from .features import FEATURES, featurize
from .limits import Limits

EXTENT = 6.0  # points lie in [-EXTENT, EXTENT]²
DECIMALS = 4  # coordinates are rounded once, so the points drawn and the points trained on agree


# -----------------------------------------------------------------------------
# generators: (rng, n, noise, classes) -> points (n, 2) float64, labels (n,)

def _gaussian_cloud(rng, center, std, n):
    """n points around center, redrawn until inside the square (clipping would pile them on the edge)."""
    pts = rng.normal(center, std, size=(n, 2))
    for _ in range(100):
        out = np.abs(pts).max(axis=1) > EXTENT
        if not out.any():
            break
        pts[out] = rng.normal(center, std, size=(int(out.sum()), 2))
    return np.clip(pts, -EXTENT, EXTENT)


def _circle(rng, n, noise, classes):
    radius = 5.0
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n - n_in)])
    angle = rng.uniform(0, 2 * math.pi, n)
    pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    # as in TF Playground, noise moves the point used for the label, not the point drawn
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(*(pts + jitter).T) < radius * 0.5).astype(np.int64)
    return pts, labels


def _xor(rng, n, noise, classes):
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)  # padding keeps points off the axes
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    q = pts + jitter
    labels = (q[:, 0] * q[:, 1] >= 0).astype(np.int64)
    return pts, labels


def _gauss(rng, n, noise, classes):
    std = math.sqrt(0.5 + 7.0 * noise)  # TF Playground: variance 0.5 at no noise, 4 at 50 %
    n_pos = n // 2
    pts = np.concatenate([_gaussian_cloud(rng, (2, 2), std, n_pos), _gaussian_cloud(rng, (-2, -2), std, n - n_pos)])
    labels = np.concatenate([np.ones(n_pos, np.int64), np.zeros(n - n_pos, np.int64)])
    return pts, labels


def _spiral(rng, n, noise, classes):
    arms = []
    for m, delta, label in ((n // 2, 0.0, 1), (n - n // 2, math.pi, 0)):
        i = np.arange(m)
        r = i / m * 5
        t = 1.75 * i / m * 2 * math.pi + delta
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (m, 2)) * noise
        arms.append((xy, np.full(m, label, np.int64)))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


def _moons(rng, n, noise, classes):
    # scikit-learn's two moons, centred and scaled by 3 to fill the square; noise is 3 × its std
    n_out = n // 2
    t_out, t_in = rng.uniform(0, math.pi, n_out), rng.uniform(0, math.pi, n - n_out)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1)
    pts = (np.concatenate([outer, inner]) - (0.5, 0.25)) * 3.0
    pts += rng.normal(0, 3.0 * noise, pts.shape)
    labels = np.concatenate([np.zeros(n_out, np.int64), np.ones(n - n_out, np.int64)])
    return pts, labels


def _blobs(rng, n, noise, classes):
    std = 0.5 + 2.5 * noise
    counts = [n // classes + (1 if j < n % classes else 0) for j in range(classes)]
    pts, labels = [], []
    for j, m in enumerate(counts):
        a = 2 * math.pi * j / classes + math.pi / 2
        pts.append(_gaussian_cloud(rng, (3.5 * math.cos(a), 3.5 * math.sin(a)), std, m))
        labels.append(np.full(m, j, np.int64))
    return np.concatenate(pts), np.concatenate(labels)


def _plane(rng, n, noise, classes):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    q = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    return pts, np.clip((q[:, 0] + q[:, 1]) / 10.0, -1, 1)


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multi_gauss(rng, n, noise, classes):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    q = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    d = np.hypot(q[:, None, 0] - _BUMPS[:, 0], q[:, None, 1] - _BUMPS[:, 1])  # (n, 6)
    v = _BUMPS[:, 2] * np.clip(1 - d / 2, 0, 1)  # each bump: ±1 at its centre, 0 beyond radius 2
    return pts, v[np.arange(n), np.abs(v).argmax(axis=1)]  # the bump strongest in absolute value


def _help(en, zh):
    return {"en": en, "zh-hans": zh}


# name -> (problem, classes, generator, help)
DATASETS = {
    "circle": ("classification", 2, _circle, _help("A disc inside a ring.", "圆环包围着一个圆盘。")),
    "xor": ("classification", 2, _xor, _help("Four quadrants: the label is the sign of x1·x2.",
                                             "四个象限：标签是 x1·x2 的符号。")),
    "gauss": ("classification", 2, _gauss, _help("Two Gaussian clouds.", "两团高斯分布的点。")),
    "spiral": ("classification", 2, _spiral, _help("Two interleaved spirals: the hard one.",
                                                   "两条交错的螺旋线：最难的一个。")),
    "moons": ("classification", 2, _moons, _help("Two interlocking half-moons.", "两个相扣的半月形。")),
    "blobs": ("classification", 3, _blobs, _help("3 to 5 Gaussian clouds, one class each.",
                                                 "3 到 5 团高斯分布的点，每团一个类别。")),
    "plane": ("regression", None, _plane, _help("A tilted plane: the value grows with x1 + x2.",
                                                "倾斜的平面：数值随 x1 + x2 增大。")),
    "multi_gauss": ("regression", None, _multi_gauss, _help("Six bumps, up and down.", "六个起伏的高斯峰。")),
}
PLANE = tuple(DATASETS)  # the 2-D sets; below, the 1-D ones (their generator is curves.make)
DATASETS.update({name: ("regression", None, None, c[3]) for name, c in curves.DATASETS.items()})
DATASETS.update({name: (problem, None, None, help) for name, (problem, help) in data_kinds.INFO.items()})

# the scalar fields of a dataset spec, besides name, features and extra_points
PARAMS = (
    Param("samples", "int", 500, min=10, max_from="max_samples",
          help=_help("How many points to generate.", "生成多少个点。")),
    Param("noise", "float", 0.1, min=0.0, max=1.0,
          help=_help("How much the points scatter (0 to 1).", "点的散乱程度（0 到 1）。")),
    Param("train_fraction", "float", 0.5, min=0.1, max=0.9,
          help=_help("The share of points used for training; the rest test.", "用于训练的点的比例，其余用于测试。")),
    Param("seed", "int", 1, min=0, max=2**31 - 1,
          help=_help("The same seed makes the same points.", "相同的种子生成相同的点。")),
)
CLASSES = Param("classes", "int", 3, min=3, max=5, help=_help("How many classes (blobs).", "类别数（blobs）。"))


def catalogue(limits=Limits()):
    """JSON-ready description of every dataset for GET /api/datasets."""
    out = []
    for name, (problem, classes, _, help) in DATASETS.items():
        params = [p.as_dict(limits) for p in PARAMS] + ([CLASSES.as_dict(limits)] if name == "blobs" else [])
        kind = "tabular"
        if name in curves.DATASETS:
            params = [p.as_dict(limits) for p in curves.params(name)]
        elif name in data_kinds.INFO:
            params = [p.as_dict(limits) for p in data_kinds.params(name)]
            desc, _ = data_kinds.shape_of(data_kinds.check({}, name, limits, "dataset")[0])
            kind, classes = desc["kind"], desc["classes"]
        out.append({"name": name, "problem": problem, "classes": classes, "params": params, "help": dict(help),
                    "dims": 1 if name in curves.DATASETS else (2 if name in PLANE else 0), "kind": kind})
    return out


def input_width(d):
    """How many features a checked dataset spec gives the input, or None where that part is broken."""
    if d.get("name") in curves.DATASETS:
        return d["degree"] + 1 if d.get("degree") is not None else None
    if d.get("name") in data_kinds.INFO:
        return None  # not tabular: see data_kinds.shape_of
    return len(d["features"]) if d.get("features") else None


# -----------------------------------------------------------------------------
# validation of a dataset spec

def check_dataset(d, limits=Limits(), path="dataset"):
    """(normalised dataset spec, [SpecError]). Never raises. Where there are errors, the dict (None when
    `d` is not even an object) holds None for each bad field, so callers can use the sound ones."""
    if d is None:
        d = {}
    if not isinstance(d, dict):
        return None, [SpecError(path, f"dataset must be an object like {{\"name\": \"circle\"}} (got {show(d)})")]
    errors = []
    known = ["name", "features", "extra_points", "classes"] + [p.name for p in PARAMS]
    for key in d:
        if key not in known:
            errors.append(SpecError(f"{path}.{key}", f"unknown field {show(key)} in dataset — known fields: {', '.join(known)}"))

    name = d.get("name", "circle")
    if not (isinstance(name, str) and name in DATASETS):
        errors.append(SpecError(f"{path}.name", f"unknown dataset {show(name)} — known datasets: {', '.join(DATASETS)}"))
        name = None
    if name in curves.DATASETS:
        return curves.check(d, name, limits, path)
    if name in data_kinds.INFO:
        return data_kinds.check(d, name, limits, path)
    out = {"name": name}
    for p in PARAMS:
        value, msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
        out[p.name] = value

    classes = None
    if name == "blobs":
        classes, msg = CLASSES.check(d.get("classes", CLASSES.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.classes", msg))
        out["classes"] = classes
    elif name is not None:
        classes = DATASETS[name][1]
        if d.get("classes") is not None:
            errors.append(SpecError(f"{path}.classes", f"classes applies only to blobs, not to {show(name)}: remove it"))

    out["features"], errs = _check_features(d.get("features", ["x1", "x2"]), f"{path}.features")
    if errs:
        out["features"] = None
    errors += errs
    problem = DATASETS[name][0] if name else None
    out["extra_points"], errs = _check_extra_points(d.get("extra_points", []), problem, classes, limits,
                                                    f"{path}.extra_points")
    errors += errs
    return out, errors


def _check_features(features, path):
    if not isinstance(features, list):
        return None, [SpecError(path, f"features must be a list of feature names like [\"x1\", \"x2\"] (got {show(features)})")]
    if not features:
        return None, [SpecError(path, f"no features ticked: tick at least one of {', '.join(FEATURES)}")]
    errors, seen = [], set()
    for i, f in enumerate(features):
        if not (isinstance(f, str) and f in FEATURES):
            errors.append(SpecError(f"{path}[{i}]", f"unknown feature {show(f)} — known features: {', '.join(FEATURES)}"))
        elif f in seen:
            errors.append(SpecError(f"{path}[{i}]", f"feature {show(f)} is ticked twice: list it once"))
        else:
            seen.add(f)
    # canonical order, so the input node's units always line up with the editor's feature list
    return [f for f in FEATURES if f in seen], errors


_X1 = Param("x1", "float", 0.0, min=-EXTENT, max=EXTENT, help=_help("", ""))
_X2 = Param("x2", "float", 0.0, min=-EXTENT, max=EXTENT, help=_help("", ""))
_VALUE = Param("label", "float", 0.0, min=-1.0, max=1.0, help=_help("", ""))


def _check_extra_points(points, problem, classes, limits, path):
    if not isinstance(points, list):
        return None, [SpecError(path, f"extra_points must be a list of [x1, x2, label] (got {show(points)})")]
    if len(points) > limits.max_extra_points:
        return None, [SpecError(path, f"at most {limits.max_extra_points} extra points are allowed (got {len(points)}): remove some")]
    if problem == "regression":
        label_param = _VALUE
    elif classes is not None:
        label_param = Param("label", "int", 0, min=0, max=classes - 1, help=_help("", ""))
    else:
        label_param = None  # the dataset name (or its classes) is wrong: labels cannot be judged
    out, errors = [], []
    for i, p in enumerate(points):
        where = f"{path}[{i}]"
        if not (isinstance(p, list) and len(p) == 3):
            errors.append(SpecError(where, f"extra point {i} must be a list [x1, x2, label] (got {show(p)})"))
            continue
        checked = [_X1.check(p[0], limits), _X2.check(p[1], limits)]
        if label_param is not None:
            checked.append(label_param.check(p[2], limits))
        messages = [m for _, m in checked if m]
        for m in messages:
            errors.append(SpecError(where, f"extra point {i}: {m}"))
        if not messages and label_param is not None:
            (x1, _), (x2, _), (y, _) = checked
            out.append([round(x1, DECIMALS), round(x2, DECIMALS), round(y, DECIMALS) if problem == "regression" else y])
    return out, errors


# -----------------------------------------------------------------------------
# making the points

@dataclass
class Dataset:
    name: str
    problem: str  # "classification" | "regression"
    classes: object  # 2 for binary, k for blobs, None for regression
    features: list
    train_points: list  # [[x1, x2, y], ...] JSON-ready, extra points included
    test_points: list
    x_train: torch.Tensor  # (N, F) float32 features
    y_train: torch.Tensor  # (N,) int64 class ids, or float32 values for regression
    x_test: torch.Tensor
    y_test: torch.Tensor
    dims: int = 2  # 1: curve_fit, house_prices (points [x, t], float64 polynomial features; see curves.py); 0: not points
    degree: Optional[int] = None  # their polynomial degree M
    # the image, sequence and token sets (data_kinds.py): x (N, C, H, W) | (N, T, F) floats | (N, T) ids
    input_kind: str = "tabular"
    input_shape: Optional[list] = None
    per_step: bool = False  # y (N, T): one class per step, IGNORE where a step has no answer
    class_names: Optional[list] = None  # what each class id means
    token_names: Optional[list] = None  # what each token id (or a sequence's feature) means


def make_dataset(spec, limits=Limits()):
    """A dataset spec (normalised or not) -> Dataset. Raises SpecInvalid for a bad spec."""
    d, errors = check_dataset(spec, limits)
    if errors:
        raise SpecInvalid(errors)
    problem, default_classes, generate, _ = DATASETS[d["name"]]
    if d["name"] in data_kinds.INFO:
        return data_kinds.make(d)
    if generate is None:  # a 1-D set
        return Dataset(d["name"], problem, None, [f"x^{j}" for j in range(d["degree"] + 1)], *curves.make(d),
                       dims=1, degree=d["degree"])
    classes = d.get("classes", default_classes)
    rng = np.random.default_rng(d["seed"])
    n = d["samples"]
    pts, labels = generate(rng, n, d["noise"], classes)
    assert pts.shape == (n, 2) and labels.shape == (n,)
    pts = np.round(np.clip(pts, -EXTENT, EXTENT), DECIMALS)
    labels = np.round(labels, DECIMALS) if problem == "regression" else labels

    perm = rng.permutation(n)  # shuffle, then split (as TF Playground does)
    n_train = min(max(round(n * d["train_fraction"]), 1), n - 1)
    rows = [[float(x1), float(x2), (float(y) if problem == "regression" else int(y))]
            for (x1, x2), y in zip(pts[perm], labels[perm])]
    train_points, test_points = rows[:n_train] + d["extra_points"], rows[n_train:]

    def tensors(rows):
        xy = torch.tensor([r[:2] for r in rows], dtype=torch.float32).reshape(-1, 2)  # (N, 2)
        y = torch.tensor([r[2] for r in rows], dtype=torch.float32 if problem == "regression" else torch.int64)
        return featurize(xy, d["features"]), y  # (N, F), (N,)

    x_train, y_train = tensors(train_points)
    x_test, y_test = tensors(test_points)
    return Dataset(d["name"], problem, classes, list(d["features"]), train_points, test_points,
                   x_train, y_train, x_test, y_test)
