"""
k-fold cross-validation for the curve-fitting and tabular sets: the training points are cut into k
folds; k models (same initial weights, same settings) each train on k − 1 folds and are scored on the
fold they did not see. The mean of those validation errors estimates how well the model generalises
without touching the test set, and their spread says how much to trust the estimate — which is how
one picks a polynomial degree M or a λ honestly (Bishop §1.2).

The folds are the run's training points only; the test set stays untouched for the final model, which
the run then trains on all the training points as usual.
"""

import dataclasses
import math

import torch

from .instrument import significant_list

MAX_FOLDS = 10


def splits(n, k, seed):
    """k (train indices, validation indices) pairs covering range(n): shuffled once by `seed`, then
    cut into k folds whose sizes differ by at most one."""
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    out, at = [], 0
    for size in sizes:
        val = perm[at:at + size]
        train = torch.cat([perm[:at], perm[at + size:]])
        out.append((train, val))
        at += size
    return out


def fold_dataset(ds, train_idx, val_idx):
    """The dataset with the held-out fold in place of the test set."""
    pick = lambda rows, idx: [rows[i] for i in idx.tolist()]  # noqa: E731
    return dataclasses.replace(ds, x_train=ds.x_train[train_idx], y_train=ds.y_train[train_idx],
                               x_test=ds.x_train[val_idx], y_test=ds.y_train[val_idx],
                               train_points=pick(ds.train_points, train_idx), test_points=pick(ds.train_points, val_idx))


def _mean_std(values):
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def cross_validate(v, ds, k, train, control=None):
    """Trains the k fold models with `train` (models_core.train.train, passed in to avoid a cycle).
    -> (payload, None) with {"folds", "val_loss": [per fold], "val_loss_mean", "val_loss_std"
    (+ "val_rms" ..., "val_accuracy" ... as the problem has them)}, or (None, RunResult) when a fold
    run did not succeed (stopped, or it diverged)."""
    per_fold = []
    for train_idx, val_idx in splits(len(ds.x_train), k, v.spec["training"]["seed"]):
        result = train(v, None, control, stream=False, dataset=fold_dataset(ds, train_idx, val_idx))
        if result.status != "succeeded":
            return None, result
        per_fold.append(result.final)
    payload = {"folds": k}
    for name, key in (("val_loss", "test_loss"), ("val_rms", "test_rms"), ("val_accuracy", "test_accuracy")):
        if key in per_fold[0]:
            values = [f[key] for f in per_fold]
            mean, std = _mean_std(values)
            payload[name] = significant_list(values)
            payload[f"{name}_mean"], payload[f"{name}_std"] = significant_list([mean, std])
    return payload, None
