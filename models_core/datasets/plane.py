"""
The 2-D sets, after TensorFlow Playground's generators: every point lies in [-EXTENT, EXTENT]², a label
is 0/1 (binary), 0..k-1 (blobs) or a value in [-1, 1] (regression). `noise` is TF Playground's noise
as a fraction (its slider's 0–50 % is our 0–0.5). Everything is drawn from one numpy Generator seeded
by `seed`, so a dataset spec always makes the same points, on any machine.

A generator is (rng, n, noise, classes) -> points (n, 2) float64, labels (n,); registry.py names them.
"""

import math

import numpy as np
import torch

from ..blocks.base import Param, text
from ..errors import SpecError, show
from ..features import FEATURES, featurize
from .dataset import Dataset

EXTENT = 6.0  # points lie in [-EXTENT, EXTENT]²
DECIMALS = 4  # coordinates are rounded once, so the points drawn and the points trained on agree


# -----------------------------------------------------------------------------
# generators

def _gaussian_cloud(rng, center, std, n):
    """n points around center, redrawn until inside the square (clipping would pile them on the edge)."""
    pts = rng.normal(center, std, size=(n, 2))
    for _ in range(100):
        out = np.abs(pts).max(axis=1) > EXTENT
        if not out.any():
            break
        pts[out] = rng.normal(center, std, size=(int(out.sum()), 2))
    return np.clip(pts, -EXTENT, EXTENT)


def circle(rng, n, noise, classes):
    radius = 5.0
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n - n_in)])
    angle = rng.uniform(0, 2 * math.pi, n)
    pts = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    # as in TF Playground, noise moves the point used for the label, not the point drawn
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(*(pts + jitter).T) < radius * 0.5).astype(np.int64)
    return pts, labels


def xor(rng, n, noise, classes):
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)  # padding keeps points off the axes
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    q = pts + jitter
    labels = (q[:, 0] * q[:, 1] >= 0).astype(np.int64)
    return pts, labels


def gauss(rng, n, noise, classes):
    std = math.sqrt(0.5 + 7.0 * noise)  # TF Playground: variance 0.5 at no noise, 4 at 50 %
    n_pos = n // 2
    pts = np.concatenate([_gaussian_cloud(rng, (2, 2), std, n_pos), _gaussian_cloud(rng, (-2, -2), std, n - n_pos)])
    labels = np.concatenate([np.ones(n_pos, np.int64), np.zeros(n - n_pos, np.int64)])
    return pts, labels


def spiral(rng, n, noise, classes):
    arms = []
    for m, delta, label in ((n // 2, 0.0, 1), (n - n // 2, math.pi, 0)):
        i = np.arange(m)
        r = i / m * 5
        t = 1.75 * i / m * 2 * math.pi + delta
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (m, 2)) * noise
        arms.append((xy, np.full(m, label, np.int64)))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


def moons(rng, n, noise, classes):
    # scikit-learn's two moons, centred and scaled by 3 to fill the square; noise is 3 × its std
    n_out = n // 2
    t_out, t_in = rng.uniform(0, math.pi, n_out), rng.uniform(0, math.pi, n - n_out)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1)
    pts = (np.concatenate([outer, inner]) - (0.5, 0.25)) * 3.0
    pts += rng.normal(0, 3.0 * noise, pts.shape)
    labels = np.concatenate([np.zeros(n_out, np.int64), np.ones(n - n_out, np.int64)])
    return pts, labels


def blobs(rng, n, noise, classes):
    std = 0.5 + 2.5 * noise
    counts = [n // classes + (1 if j < n % classes else 0) for j in range(classes)]
    pts, labels = [], []
    for j, m in enumerate(counts):
        a = 2 * math.pi * j / classes + math.pi / 2
        pts.append(_gaussian_cloud(rng, (3.5 * math.cos(a), 3.5 * math.sin(a)), std, m))
        labels.append(np.full(m, j, np.int64))
    return np.concatenate(pts), np.concatenate(labels)


def tilted_plane(rng, n, noise, classes):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    q = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    return pts, np.clip((q[:, 0] + q[:, 1]) / 10.0, -1, 1)


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gauss(rng, n, noise, classes):
    pts = rng.uniform(-EXTENT, EXTENT, (n, 2))
    q = pts + rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    d = np.hypot(q[:, None, 0] - _BUMPS[:, 0], q[:, None, 1] - _BUMPS[:, 1])  # (n, 6)
    v = _BUMPS[:, 2] * np.clip(1 - d / 2, 0, 1)  # each bump: ±1 at its centre, 0 beyond radius 2
    return pts, v[np.arange(n), np.abs(v).argmax(axis=1)]  # the bump strongest in absolute value


# -----------------------------------------------------------------------------
# params and validation of a 2-D dataset spec

# the scalar fields of a dataset spec, besides name, features and extra_points
PARAMS = (
    Param("samples", "int", 500, min=10, max_from="max_samples",
          help=text("How many points to generate.", "生成多少个点。")),
    Param("noise", "float", 0.1, min=0.0, max=1.0,
          help=text("How much the points scatter (0 to 1).", "点的散乱程度（0 到 1）。")),
    Param("train_fraction", "float", 0.5, min=0.1, max=0.9,
          help=text("The share of points used for training; the rest test.", "用于训练的点的比例，其余用于测试。")),
    Param("seed", "int", 1, min=0, max=2**31 - 1,
          help=text("The same seed makes the same points.", "相同的种子生成相同的点。")),
)
CLASSES = Param("classes", "int", 3, min=3, max=5, help=text("How many classes (blobs).", "类别数（blobs）。"))
KNOWN = ["name", "features", "extra_points", "classes"] + [p.name for p in PARAMS]


def unknown_fields(d, path):
    """The errors for fields no 2-D set has (run first, before the name is judged)."""
    return [SpecError(f"{path}.{key}", f"unknown field {show(key)} in dataset — known fields: {', '.join(KNOWN)}")
            for key in d if key not in KNOWN]


def check(d, info, limits, path):
    """(normalised spec, [SpecError]) for a 2-D set, or for an unknown name (info None: the fields are
    still judged, so that their mistakes show too). Bad fields are None in the dict."""
    errors, out = [], {"name": info.name if info else None}
    for p in PARAMS:
        value, msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
        out[p.name] = value

    classes = None
    if info is not None and CLASSES in info.params:
        classes, msg = CLASSES.check(d.get("classes", CLASSES.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.classes", msg))
        out["classes"] = classes
    elif info is not None:
        classes = info.classes
        if d.get("classes") is not None:
            errors.append(SpecError(f"{path}.classes", f"classes applies only to blobs, not to {show(info.name)}: remove it"))

    out["features"], errs = _check_features(d.get("features", ["x1", "x2"]), f"{path}.features")
    if errs:
        out["features"] = None
    errors += errs
    problem = info.problem if info else None
    out["extra_points"], errs = _check_extra_points(d.get("extra_points", []), problem, classes, limits,
                                                    f"{path}.extra_points")
    errors += errs
    return out, errors


def width(d):
    """How many features the input gets, or None where the features are broken."""
    return len(d["features"]) if d.get("features") else None


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


_X1 = Param("x1", "float", 0.0, min=-EXTENT, max=EXTENT, help=text("", ""))
_X2 = Param("x2", "float", 0.0, min=-EXTENT, max=EXTENT, help=text("", ""))
_VALUE = Param("label", "float", 0.0, min=-1.0, max=1.0, help=text("", ""))


def _check_extra_points(points, problem, classes, limits, path):
    if not isinstance(points, list):
        return None, [SpecError(path, f"extra_points must be a list of [x1, x2, label] (got {show(points)})")]
    if len(points) > limits.max_extra_points:
        return None, [SpecError(path, f"at most {limits.max_extra_points} extra points are allowed (got {len(points)}): remove some")]
    if problem == "regression":
        label_param = _VALUE
    elif classes is not None:
        label_param = Param("label", "int", 0, min=0, max=classes - 1, help=text("", ""))
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

def make(d, info):
    """A checked 2-D dataset spec -> Dataset: the points drawn, shuffled, split, then featurised."""
    problem = info.problem
    classes = d.get("classes", info.classes)
    rng = np.random.default_rng(d["seed"])
    n = d["samples"]
    pts, labels = info.generator(rng, n, d["noise"], classes)
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
    return Dataset(info.name, problem, classes, list(d["features"]), train_points, test_points,
                   x_train, y_train, x_test, y_test)
