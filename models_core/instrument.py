"""
What the student sees besides the loss: gradient sizes per layer, the decision boundary over the
plane, every neuron's output over the plane, and the weights. Each function returns a small JSON-ready
payload; floats are rounded (in one vectorised pass) so that one message stays well under 64 KB.
"""

import gc
import math
from contextlib import contextmanager

import torch

from .datasets.plane import EXTENT
from .features import featurize

BOUNDARY_SIZE = 40  # the boundary heatmap is n × n
NEURON_SIZE = 16  # each neuron's heatmap is at most m × m ...
NEURON_BUDGET = 7000  # ... and all of them together hold at most this many values (≈ 7 bytes each as JSON)


# -----------------------------------------------------------------------------
# rounding to JSON

@contextmanager
def gc_paused():
    """Nested lists of floats mean hundreds of fresh containers per payload, and Python's cyclic GC
    would scan them (and with a big heap, everything else) several times over: measured, that was
    most of the cost of a picture. Floats cannot form cycles, so pause the collector while building."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _none_for_nonfinite(x):
    if isinstance(x, list):
        return [_none_for_nonfinite(v) for v in x]
    return x if math.isfinite(x) else None


def _to_json(t):
    """float64 tensor -> nested lists; NaN and ±inf become None (JSON has no NaN)."""
    vals = t.tolist()
    return vals if bool(torch.isfinite(t).all()) else _none_for_nonfinite(vals)


def rounded(t, decimals):
    """Round to a number of decimals. Done in float64: a float32 0.1 would print as 0.10000000149."""
    return _to_json(torch.round(t.detach().to("cpu", torch.float64), decimals=decimals))


def _sig(x, digits):
    return float(f"{x:.{digits}g}") if math.isfinite(x) else None


def significant_list(values, digits=4):
    """The same for a short list of Python floats."""
    return [_sig(x, digits) for x in values]


def significant(t, digits=4):
    """Round to significant digits (losses and gradients span many orders of magnitude)."""
    t = t.detach().to("cpu", torch.float64)
    if t.numel() <= 64 and t.ndim == 1:  # a few values: plain Python is quicker than 20 tensor ops
        return [_sig(x, digits) for x in t.tolist()]
    mag = torch.floor(torch.log10(t.abs().clamp_min(1e-300)))
    k = (digits - 1 - mag).clamp(-300, 300)  # decimals to keep, per value
    # dividing by an exact power of ten gives the double nearest the short decimal, so it prints short
    pos = torch.round(t * torch.pow(10.0, k.clamp_min(0))) / torch.pow(10.0, k.clamp_min(0))
    neg = torch.round(t / torch.pow(10.0, (-k).clamp_min(0))) * torch.pow(10.0, (-k).clamp_min(0))
    return _to_json(torch.where(k >= 0, pos, neg))


# -----------------------------------------------------------------------------
# the plane

def grid_points(size):
    """(size², 2) points over [-6, 6]², row-major: row i is x2 = -6 + i·step (bottom up), column j is x1."""
    lin = torch.linspace(-EXTENT, EXTENT, size)
    x2, x1 = torch.meshgrid(lin, lin, indexing="ij")  # (size, size) each
    return torch.stack([x1.reshape(-1), x2.reshape(-1)], dim=1)


def grid_features(size, features, device):
    return featurize(grid_points(size), features).to(device)  # (size², F)


def boundary_kind(problem, classes):
    if problem == "regression":
        return "value"
    return "probability" if classes == 2 else "class"


@torch.no_grad()
def boundary(model, grid, size, kind, logits=True):
    """The model's answer over the plane: P(class 1), the argmax class, or the regressed value.
    logits=False: the outputs are already P(class 1) (a perceptron's 0 or 1)."""
    y = model(grid)  # (size², out)
    if kind == "class":
        z = y.argmax(dim=1).double()
    elif kind == "probability" and not logits:
        z = y[:, 0]
    elif kind == "probability":
        z = torch.sigmoid(y[:, 0]) if y.shape[1] == 1 else torch.softmax(y, dim=1)[:, 1]
    else:
        z = y[:, 0]
    z = rounded(z.reshape(size, size), 0 if kind == "class" else 3)
    if kind == "class":
        z = [[None if v is None else int(v) for v in row] for row in z]
    return {"extent": [-int(EXTENT), int(EXTENT)], "size": size, "z": z, "kind": kind}


def neuron_size(units):
    """Heatmap side m such that `units` heatmaps together fit the budget (big networks get coarser)."""
    return max(2, min(NEURON_SIZE, math.isqrt(NEURON_BUDGET // max(units, 1))))


@torch.no_grad()
def neurons(model, grid, size):
    """Every non-input node's output, one m × m heatmap per unit, from a single forward pass."""
    _, outs = model(grid, keep=True)
    ids = [nid for nid in model.ids if outs[nid].ndim == 2]  # only flat outputs: one heatmap per unit
    maps = torch.cat([outs[nid] for nid in ids], dim=1)  # (m², U) all units side by side
    maps = rounded(maps.T.reshape(-1, size, size), 2)  # U nested m × m lists, built in one go
    nodes, at = {}, 0
    for nid in ids:
        width = outs[nid].shape[1]
        nodes[nid] = maps[at:at + width]
        at += width
    return {"size": size, "nodes": nodes}


WEIGHTS_BUDGET = 6000  # weight values in one weights message (the plane's networks have at most ~2,000)


@torch.no_grad()
def weights(model):
    """{dense id: {"weight": [[out × in]], "bias": [out] or None}} for the layers with a weight matrix,
    input to output, as long as they fit in WEIGHTS_BUDGET values."""
    mats, budget = [], WEIGHTS_BUDGET
    for nid, m in model.layers.items():
        w = getattr(m, "weight", None)
        if w is not None and w.ndim == 2 and w.numel() <= budget:  # a big layer (after a flatten) is left out
            mats.append((nid, w, getattr(m, "bias", None)))
            budget -= w.numel()
    parts = [t.reshape(-1) for _, w, b in mats for t in ((w, b) if b is not None else (w,))]
    flat = significant(torch.cat(parts)) if parts else []  # one rounding pass, then split back
    layers, at = {}, 0
    for nid, w, b in mats:
        rows, cols = w.shape
        layers[nid] = {"weight": [flat[at + r * cols: at + (r + 1) * cols] for r in range(rows)]}
        at += rows * cols
        layers[nid]["bias"] = flat[at: at + rows] if b is not None else None
        at += rows if b is not None else 0
    return {"layers": layers}


# -----------------------------------------------------------------------------
# gradients

@torch.no_grad()
def gradient_stats(model):
    """(2·P,) tensor on the model's device: the L2 norm of each parameter tensor's gradient, then the
    L1 norms. Two foreach ops whatever the depth; the caller converts it with everything else in one
    .tolist() (a sync point on a GPU) and per_layer() sums it up by layer."""
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in model.layer_params]
    return torch.stack(torch._foreach_norm(grads) + torch._foreach_norm(grads, 1))


def per_layer(model, stats):
    """gradient_stats as Python floats -> (norms, mean_abs), one value per parameterised layer."""
    n = len(model.layer_params)
    l2, l1 = stats[:n], stats[n:]
    sq, ab = [0.0] * len(model.layer_ids), [0.0] * len(model.layer_ids)
    for i, layer in enumerate(model.param_layer):
        sq[layer] += l2[i] * l2[i]
        ab[layer] += l1[i]
    norms = [math.sqrt(x) for x in sq]
    mean_abs = [x / numel for x, numel in zip(ab, model.layer_numel)]
    return significant_list(norms), significant_list(mean_abs)


# -----------------------------------------------------------------------------
# the 1-D datasets' fitted curve

CURVE_POINTS = 101  # x = 0, 0.01, ..., 1


@torch.no_grad()
def curve(model, xs, feats):
    """The model's prediction along x for a 1-D dataset: xs (K,) and its features (K, F) -> x, y lists."""
    y = model(feats)[:, 0]  # (K,)
    return {"x": rounded(xs, 4), "y": rounded(y, 4)}


# -----------------------------------------------------------------------------
# every run: weight and gradient histograms per layer

HISTOGRAM_BINS = 20


def _histogram(t):
    lo, hi = float(t.min()), float(t.max())
    if not (lo == lo and hi == hi) or abs(lo) == math.inf or abs(hi) == math.inf:
        return {"lo": None, "hi": None, "counts": [0] * HISTOGRAM_BINS}  # a blown-up layer: nothing to bin
    if hi == lo:  # histc needs a range: widen a constant layer (zeros at start) symmetrically
        lo, hi = lo - 0.5, hi + 0.5
    counts = torch.histc(t.float(), bins=HISTOGRAM_BINS, min=lo, max=hi)
    return {"lo": _sig(lo, 4), "hi": _sig(hi, 4), "counts": [int(c) for c in counts.tolist()]}


@torch.no_grad()
def histograms(model):
    """{"layers": [{"node", "weights": {lo, hi, counts}, "grads": {...} or None}]}: all parameters of each
    parameterised node, binned into 20 equal bins between their smallest and largest value."""
    layers = []
    for nid in model.layer_ids:
        ps = list(model.layers[nid].parameters())
        w = torch.cat([p.detach().reshape(-1) for p in ps]).cpu()
        grads = [p.grad.detach().reshape(-1) for p in ps if p.grad is not None]
        layers.append({"node": nid, "weights": _histogram(w),
                       "grads": _histogram(torch.cat(grads).cpu()) if grads else None})
    return {"layers": layers}


# -----------------------------------------------------------------------------
# classification runs: the confusion matrix over the test set

MAX_MISTAKES = 8


def confusion_counts(pred, target, classes):
    """(k·k,) counts on the device, row = true class, column = predicted; IGNORE targets (< 0) skipped."""
    keep = target >= 0
    return torch.bincount(target[keep] * classes + pred[keep], minlength=classes * classes)


def confusion(counts, classes, class_names, mistakes):
    """counts (k·k,) -> the JSON payload; mistakes: up to MAX_MISTAKES {"true", "pred", "image"|"tokens"}."""
    flat = counts.tolist()
    matrix = [flat[r * classes:(r + 1) * classes] for r in range(classes)]
    names = list(class_names) if class_names and len(class_names) == classes else [str(c) for c in range(classes)]
    return {"classes": names, "matrix": matrix, "mistakes": mistakes}
