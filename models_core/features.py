"""The input features a student can tick, as in TensorFlow Playground: functions of a point (x1, x2)."""

import torch

FEATURES = ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]

LABELS = {"x1": "X₁", "x2": "X₂", "x1_sq": "X₁²", "x2_sq": "X₂²", "x1x2": "X₁X₂",
          "sin_x1": "sin(X₁)", "sin_x2": "sin(X₂)"}

_FNS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1_sq": lambda x1, x2: x1 * x1,
    "x2_sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: torch.sin(x1),
    "sin_x2": lambda x1, x2: torch.sin(x2),
}
assert list(_FNS) == FEATURES


def featurize(points, names):
    """(N, 2) points -> (N, F) float32 features, one column per name in `names` order."""
    p = torch.as_tensor(points, dtype=torch.float32)
    assert p.ndim == 2 and p.shape[1] >= 2, p.shape
    assert names and all(n in _FNS for n in names), names
    x1, x2 = p[:, 0], p[:, 1]
    return torch.stack([_FNS[n](x1, x2) for n in names], dim=1)  # (N, F)


def catalogue():
    return [{"name": n, "label": LABELS[n]} for n in FEATURES]
