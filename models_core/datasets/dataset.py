"""The trainer's Dataset: what make_dataset returns for every family. It imports nothing of
models_core, so every family module can build one."""

from dataclasses import dataclass
from typing import Optional

import torch


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
    # the image, sequence and text sets (kinds.py): x (N, C, H, W) | (N, T, F) floats | (N, T) ids
    input_kind: str = "tabular"
    input_shape: Optional[list] = None
    per_step: bool = False  # y (N, T): one class per step, IGNORE where a step has no answer
    class_names: Optional[list] = None  # what each class id means
    token_names: Optional[list] = None  # what each token id (or a sequence's feature) means
