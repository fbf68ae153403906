"""
Synthetic sequence tasks whose difficulty is one knob (a lag, a length): the classic memory tests for
recurrent nets and attention.

- delayed_recall: random symbols; the target at step t is the symbol seen at step t − lag.
- parity: a bit string; the target is 1 when it holds an odd number of ones.
- adding: Hochreiter & Schmidhuber's adding problem: values and two markers; the target is the sum of
  the two marked values.
- reverse, sort: token strings; the target string is the input reversed, or sorted ascending.

Inputs are token ids (N, T) int64 (`input_kind` "tokens", fed to an embedding) or sequences (N, T, F)
float32 (`input_kind` "sequence"). Targets are one class per step (N, T) int64 (`target` "per_step"),
one class per sequence (N,) int64 ("sequence") or one value per sequence (N,) float32 (regression).
Per-step targets hold IGNORE (−100, what F.cross_entropy skips by default) at the steps that have no
answer. Everything random comes from one numpy Generator seeded by `seed`.

Short tasks have few distinct sequences (parity of length 4 has 16), so train and test can share some:
the test set measures the rule learned, not novelty.
"""

from dataclasses import dataclass

import numpy as np
import torch

from .data_images import fill_params

IGNORE = -100  # per-step target with no answer: F.cross_entropy's default ignore_index
MAX_ELEMENTS = 2**24  # numbers in one input tensor (64 MB as float32): samples × steps × features

_COMMON = {"samples": (2000, 100, 20000), "train_fraction": (0.8, 0.1, 0.9)}

# name -> {param: (default, min, max)}; an int default means an int param
PARAMS = {
    "delayed_recall": {"length": (10, 2, 256), "lag": (2, 0, 64), "symbols": (4, 2, 26),
                       "one_hot": (0, 0, 1), **_COMMON},
    "parity": {"length": (8, 1, 64), **_COMMON},
    "adding": {"length": (20, 2, 256), **_COMMON},
    "reverse": {"length": (8, 1, 128), "vocab": (8, 2, 64), "delimited": (0, 0, 1), **_COMMON},
    "sort": {"length": (8, 1, 128), "vocab": (8, 2, 64), "delimited": (0, 0, 1), **_COMMON},
}


@dataclass
class SequenceDataset:
    name: str
    problem: str  # "classification" | "regression"
    input_kind: str  # "tokens" (N, T) int64 | "sequence" (N, T, F) float32
    input_shape: tuple  # (T,) for tokens, (T, F) for a sequence
    vocab: int  # input token ids lie in [0, vocab) (tokens only; 0 for a float sequence)
    token_names: list  # what each input token id means (tokens or one-hot channels)
    target: str  # "per_step" (N, T) | "sequence" (N,)
    classes: object  # per-step or per-sequence classes; None for regression
    class_names: list  # what each class id means; [] for regression
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    params: dict  # the params used, defaults filled in


def _split(name, x, y, p, rng, **meta):
    """Shuffle, then cut at train_fraction. x, y are numpy arrays with N first."""
    n = len(x)
    perm = rng.permutation(n)
    k = min(max(round(n * p["train_fraction"]), 1), n - 1)
    x, y = torch.from_numpy(x[perm]), torch.from_numpy(y[perm])
    shape = tuple(x.shape[1:])
    return SequenceDataset(name=name, input_shape=shape, x_train=x[:k], y_train=y[:k], x_test=x[k:],
                           y_test=y[k:], params=p, **meta)


def _check_size(name, *dims):
    """Refuse before allocating: the params' bounds alone allow 20000 × 256 × 26 one-hot floats."""
    size = int(np.prod(dims))
    if size > MAX_ELEMENTS:
        raise ValueError(f"{name}: {' × '.join(map(str, dims))} = {size:,} input numbers, more than "
                         f"{MAX_ELEMENTS:,}: use fewer samples or a shorter sequence")


def _letters(k):
    return [chr(ord("A") + i) for i in range(k)]


# -----------------------------------------------------------------------------

def make_delayed_recall(params, seed):
    """x[:, t] are symbols drawn uniformly from `symbols` letters. Exactly:
    y[:, t] = x[:, t − lag] for lag ≤ t < length, and y[:, t] = IGNORE for t < lag.
    one_hot 1 feeds (T, symbols) one-hot floats instead of token ids."""
    p = fill_params(params, PARAMS["delayed_recall"], "delayed_recall")
    n, T, L, K = p["samples"], p["length"], p["lag"], p["symbols"]
    if L >= T:
        raise ValueError(f"delayed_recall: lag must be below length (lag {L}, length {T}): nothing to recall")
    _check_size("delayed_recall", n, T, K if p["one_hot"] else 1)
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, K, (n, T))  # (N, T)
    y = np.full((n, T), IGNORE, np.int64)
    y[:, L:] = tokens[:, :T - L]
    names = _letters(K)
    if p["one_hot"]:
        x = np.eye(K, dtype=np.float32)[tokens]  # (N, T, K)
        kind, vocab = "sequence", 0
    else:
        x, kind, vocab = tokens.astype(np.int64), "tokens", K
    return _split("delayed_recall", x, y, p, rng, problem="classification", input_kind=kind, vocab=vocab,
                  token_names=names, target="per_step", classes=K, class_names=list(names))


def make_parity(params, seed):
    """x (N, T, 1) bits 0./1.; y = (sum of bits) mod 2. Classes balanced exactly: the label is drawn
    first, then T − 1 random bits and a last bit that makes the parity right (still uniform given y)."""
    p = fill_params(params, PARAMS["parity"], "parity")
    n, T = p["samples"], p["length"]
    _check_size("parity", n, T)
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    bits = rng.integers(0, 2, (n, T))
    bits[:, -1] = (y - bits[:, :-1].sum(axis=1)) % 2
    assert ((bits.sum(axis=1) % 2) == y).all()
    x = bits.astype(np.float32)[:, :, None]  # (N, T, 1)
    return _split("parity", x, y, p, rng, problem="classification", input_kind="sequence", vocab=0,
                  token_names=["bit"], target="sequence", classes=2, class_names=["even", "odd"])


def make_adding(params, seed):
    """x (N, T, 2): channel 0 values uniform in [0, 1], channel 1 markers, exactly two ones: one in the
    first half (t < T//2), one in the second. y = the sum of the two marked values, in [0, 2]. Always
    answering 1 scores MSE 1/6 ≈ 0.167: a model must beat that to have learnt anything."""
    p = fill_params(params, PARAMS["adding"], "adding")
    n, T = p["samples"], p["length"]
    _check_size("adding", n, T, 2)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (n, T)).astype(np.float32)
    half = T // 2
    first = rng.integers(0, half, n)
    second = rng.integers(half, T, n)
    markers = np.zeros((n, T), np.float32)
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = (values[rows, first] + values[rows, second]).astype(np.float32)
    x = np.stack([values, markers], axis=2)  # (N, T, 2)
    return _split("adding", x, y, p, rng, problem="regression", input_kind="sequence", vocab=0,
                  token_names=["value", "marker"], target="sequence", classes=None, class_names=[])


def _string_task(name, params, seed, transform):
    """Token strings → transform(string), one class per step. With delimited 1 the model reads first,
    answers after: x = string, SEP, BLANK × (T − 1) and y = IGNORE × T, answer (length 2T), so a causal
    model (an RNN) has seen the whole string before it must write the first answer token."""
    p = fill_params(params, PARAMS[name], name)
    n, T, V = p["samples"], p["length"], p["vocab"]
    _check_size(name, n, 2 * T if p["delimited"] else T)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, V, (n, T)).astype(np.int64)
    y = transform(x).astype(np.int64)
    names = [str(i) for i in range(V)]
    token_names = list(names)
    if p["delimited"]:
        sep, blank = V, V + 1
        x = np.concatenate([x, np.full((n, 1), sep), np.full((n, T - 1), blank)], axis=1)
        y = np.concatenate([np.full((n, T), IGNORE), y], axis=1)
        token_names += ["SEP", "_"]
    return _split(name, x, y, p, rng, problem="classification", input_kind="tokens", vocab=len(token_names),
                  token_names=token_names, target="per_step", classes=V, class_names=names)


def make_reverse(params, seed):
    """y[:, t] = x[:, T − 1 − t] (with delimited 1: the answer half, see _string_task)."""
    return _string_task("reverse", params, seed, lambda x: x[:, ::-1])


def make_sort(params, seed):
    """y = x sorted ascending along the sequence (with delimited 1: the answer half)."""
    return _string_task("sort", params, seed, lambda x: np.sort(x, axis=1))


GENERATORS = {"delayed_recall": make_delayed_recall, "parity": make_parity, "adding": make_adding,
              "reverse": make_reverse, "sort": make_sort}
