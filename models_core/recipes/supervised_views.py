"""
The pictures of a supervised run, one class per family of dataset:
  the plane's (2-D sets): `boundary` + `neurons` + `weights` heatmaps over the plane;
  the 1-D sets (curve_fit, house_prices): `curve` + `weights`: {"x": [101 points over [0, 1]],
    "y": [the model's prediction], "train": [[x, t], ...], "train_rms", "test_rms"};
  images, sequences and tokens: the probe views (probes.py: conv, recurrent, attention) of one example
    + `weights`, at most every PROBE_INTERVAL s.
And the test set's `confusion` matrix with a few of its mistakes, for every classification run.
"""

import math

import torch

from .. import instrument, probes
from ..datasets import poly_features

PROBE_INTERVAL = 0.25  # seconds between two sets of probe views (conv, recurrent, attention)


def rms(losses):
    """[train MSE, test MSE] -> their square roots, in the units of the target (Bishop's E_RMS)."""
    return instrument.significant_list([math.sqrt(x) if x is not None else math.nan for x in losses])


class PlaneViews:
    min_interval = 0.0

    def __init__(self, v, ds, model, device, dtype, logits=True):
        self.kind = instrument.boundary_kind(v.problem, v.classes)
        self.b_size = instrument.BOUNDARY_SIZE
        self.n_size = instrument.neuron_size(sum(v.nodes[nid]["shape"][0] for nid in model.ids))
        self.b_grid = instrument.grid_features(self.b_size, ds.features, device).to(dtype)  # featurised once
        self.n_grid = instrument.grid_features(self.n_size, ds.features, device).to(dtype)
        self.logits = logits  # False: a perceptron's outputs are 0/1 already

    def pictures(self, model, evaluate):
        return {"boundary": instrument.boundary(model, self.b_grid, self.b_size, self.kind, logits=self.logits),
                "neurons": instrument.neurons(model, self.n_grid, self.n_size),
                "weights": instrument.weights(model)}


class CurveViews:
    min_interval = 0.0

    def __init__(self, v, ds, model, device, dtype):
        self.train_points = ds.train_points
        self.x = torch.linspace(0, 1, instrument.CURVE_POINTS, dtype=torch.float64)  # (K,)
        self.feats = poly_features(self.x, ds.degree).to(device, dtype)  # (K, M + 1), featurised once

    def pictures(self, model, evaluate):
        fitted = instrument.curve(model, self.x, self.feats)  # before evaluate, which leaves eval mode
        train_rms, test_rms = rms(evaluate().tolist())
        return {"curve": {**fitted, "train": self.train_points, "train_rms": train_rms, "test_rms": test_rms},
                "weights": instrument.weights(model)}


class ProbeViews:
    # feature maps and attention maps read well at a few frames a second, and each costs a forward
    # pass plus up to ~40 KB of JSON: at most PROBE_INTERVAL apart keeps them a few % of the steps
    min_interval = PROBE_INTERVAL

    def __init__(self, v, ds, model, device, dtype):
        self.types = {nid: v.nodes[nid]["type"] for nid in v.order}
        self.probe = probes.Probe(ds, device, dtype)

    def pictures(self, model, evaluate):
        return {**probes.views(model, self.types, self.probe), "weights": instrument.weights(model)}


def views_for(v, ds, model, device, dtype, logits=True):
    if ds.dims == 0:
        return ProbeViews(v, ds, model, device, dtype)
    if ds.dims == 1:
        return CurveViews(v, ds, model, device, dtype)
    return PlaneViews(v, ds, model, device, dtype, logits)


def confusion(ds, objective, classes, predictions, truth):
    """predictions: the chunks evaluate() filled, every row's predicted class ids; truth: the targets
    of the rows evaluated. The test rows are the last len(ds.y_test) or fewer of them."""
    m = min(len(ds.y_test), len(truth))
    pred, truth = torch.cat(predictions)[-m:], truth[-m:]
    truth = truth if objective.per_step or objective.out_units > 1 else truth[:, 0].long()
    counts = instrument.confusion_counts(pred.reshape(-1), truth.reshape(-1), classes)
    with instrument.gc_paused():
        return instrument.confusion(counts, classes, ds.class_names, mistakes(ds, pred, truth))


def mistakes(ds, pred, truth):
    """Up to MAX_MISTAKES wrong test examples: their image or tokens, true and predicted classes."""
    if ds.dims != 0:
        return []
    wrong = (pred != truth) & (truth >= 0)
    rows = wrong.reshape(wrong.shape[0], -1).any(dim=1).nonzero()[:instrument.MAX_MISTAKES, 0].tolist()
    names = ds.class_names or []
    label = lambda c: names[c] if 0 <= c < len(names) else (None if c < 0 else str(c))  # noqa: E731
    out = []
    for r in rows:
        item = {"true": label(int(truth[r])) if truth.ndim == 1 else [label(c) for c in truth[r].tolist()],
                "pred": label(int(pred[r])) if pred.ndim == 1 else [label(c) for c in pred[r].tolist()]}
        x = ds.x_test[r]
        if ds.input_kind == "image":
            item["image"] = instrument.rounded(x[0], 2)
        else:
            item["tokens"] = probes._labels(ds, x)
        out.append(item)
    return out
