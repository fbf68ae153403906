"""
The image, sequence and text sets (digits8, digits16; delayed_recall, parity, adding, reverse, sort;
toy_corpus) as the registry sees them. Their generators live in data_images.py, data_sequences.py and
data_corpus.py, each `(params, seed) -> a dataset object`, bounds-checked by the generator itself; here
those bounds become checked `Param`s (structured errors, never exceptions), and a made dataset becomes
the trainer's Dataset.

What a dataset gives the network (input kind and shape, classes, per-step or per-sample targets) is
read off a small sample of it (cached), so validation and training can never disagree with the data.
"""

import functools
import json

from ..blocks.base import Param, text
from ..errors import SpecError, show
from .dataset import Dataset

PARAM_HELP = {
    "samples": text("How many examples to generate.", "生成多少个样本。"),
    "train_fraction": text("The share used for training; the rest test.", "用于训练的比例，其余用于测试。"),
    "noise": text("Pixel noise (0 to 1).", "像素噪声（0 到 1）。"),
    "jitter": text("How much the digits are shifted, rotated and scaled (0 to 1).", "数字平移、旋转和缩放的程度（0 到 1）。"),
    "length": text("Sequence length T.", "序列长度 T。"),
    "lag": text("How many steps back the symbol to recall is.", "要复述的符号在多少步之前。"),
    "symbols": text("How many different symbols.", "有多少种不同的符号。"),
    "one_hot": text("1: feed one-hot vectors (a sequence) instead of token ids.", "1：输入独热向量（序列），而不是词元编号。"),
    "vocab": text("How many different tokens.", "有多少种不同的词元。"),
    "delimited": text("1: read the whole string first, then answer (for recurrent nets).",
                      "1：先读完整个串再回答（适合循环网络）。"),
    "language": text("en: English; zh: Chinese.", "en：英文；zh：中文。"),
    "level": text("char: one token per character; word: one per word (English only).",
                  "char：每个字符一个词元；word：每个单词一个（仅英文）。"),
    "sentences": text("How many sentences to generate.", "生成多少个句子。"),
    "block_size": text("Tokens per training window.", "每个训练窗口的词元数。"),
    "seed": text("The same seed makes the same data.", "相同的种子生成相同的数据。"),
}
SEED = Param("seed", "int", 1, min=0, max=2**31 - 1, help=PARAM_HELP["seed"])
SAMPLE_FIELDS = ("samples", "sentences")  # what `max_dataset_samples` caps
FIXED_KIND = {"image": "image", "text": "tokens"}  # the sequence tasks' kind depends on their params
MAX_STEPS = 32  # steps labelled per example: as many as the probe views show


def _param(key, bounds):
    if len(bounds) == 2:  # (default, (choice, ...))
        return Param(key, "choice", bounds[0], choices=tuple(bounds[1]), help=PARAM_HELP[key])
    default, lo, hi = bounds
    kind = "int" if isinstance(default, int) else "float"
    if key in SAMPLE_FIELDS:
        return Param(key, kind, default, min=lo, max_from="max_dataset_samples", help=PARAM_HELP[key])
    return Param(key, kind, default, min=lo, max=hi, help=PARAM_HELP[key])


def params(bounds):
    """A generator's bounds {param: (default, min, max) | (default, choices)} -> its Params, seed last."""
    return tuple(_param(k, b) for k, b in bounds.items()) + (SEED,)


# -----------------------------------------------------------------------------
# what a dataset gives the network

@functools.lru_cache(maxsize=8)
def _make_cached(generator, frozen):
    """The generator's dataset for json-frozen params (seed included). Cached: validation, training and
    the preview of one spec build it once. Callers must not modify the tensors in place."""
    p = json.loads(frozen)
    seed = p.pop("seed")
    return generator(p, seed)


def generate(d, info):
    """A checked dataset spec -> the generator's dataset. Raises ValueError (a combination the bounds
    alone do not catch, such as a lag not below the length)."""
    return _make_cached(info.generator, json.dumps({k: v for k, v in d.items() if k != "name"}, sort_keys=True))


def _small(d, info):
    """The same dataset with the fewest samples: enough to read its shapes quickly."""
    small = dict(d)
    for p in info.params:
        if p.name == "samples":
            small["samples"] = p.min
    return small


def _vocab(g):
    """How many token ids the input holds: a corpus lists its tokens, a token task counts them."""
    vocab = getattr(g, "vocab", 0)
    return len(vocab) if isinstance(vocab, list) else vocab


def shape_of(d, info):
    """(description, None) or (None, message) for a checked dataset spec. The description:
    {"kind": "image"|"sequence"|"tokens", "shape": [..], "vocab": int, "problem", "classes",
    "per_step": bool, "steps": T}."""
    try:
        g = generate(_small(d, info), info)
    except ValueError as e:
        return None, str(e)
    kind = FIXED_KIND.get(info.family) or g.input_kind
    per_step = g.y_train.ndim == 2
    return {"kind": kind, "shape": list(g.input_shape), "vocab": _vocab(g), "problem": info.problem,
            "classes": g.classes, "per_step": per_step, "steps": g.y_train.shape[1] if per_step else None}, None


def input_params(desc):
    """The input node's shape params that this dataset fixes."""
    s = desc["shape"]
    if desc["kind"] == "image":
        return {"channels": s[0], "height": s[1], "width": s[2]}
    if desc["kind"] == "sequence":
        return {"length": s[0], "features": s[1]}
    return {"length": s[0], "vocab": desc["vocab"]}


def check(d, info, limits, path):
    """(normalised spec, errors) for one of these datasets; never raises."""
    name, errors = info.name, []
    out = {"name": name}
    known = ["name"] + [p.name for p in info.params]
    for key in d:
        if key not in known:
            errors.append(SpecError(f"{path}.{key}", f"unknown field {show(key)} for {name} — known fields: {', '.join(known)}"))
    for p in info.params:
        value, msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
        out[p.name] = value
    if not errors:
        _, msg = shape_of(out, info)
        if msg:
            errors.append(SpecError(path, msg))
    return out, errors


def width(d):
    """Not tabular: what the input gets is shape_of's."""
    return None


# -----------------------------------------------------------------------------
# the trainer's Dataset

def token_labels(g):
    """What each input position of the probe shows: token names for ids, else the step numbers."""
    names = getattr(g, "token_names", None) or getattr(g, "vocab", None)
    return names if isinstance(names, list) else None


def make(d, info):
    """A checked dataset spec -> Dataset."""
    g = generate(d, info)
    desc, _ = shape_of(d, info)
    vocab = getattr(g, "vocab", None)
    class_names = list(getattr(g, "class_names", None) or (vocab if isinstance(vocab, list) else []))
    tokens = token_labels(g) if desc["kind"] == "tokens" else (list(g.token_names) if desc["kind"] == "sequence" else None)
    return Dataset(info.name, desc["problem"], desc["classes"], [], [], [], g.x_train, g.y_train, g.x_test, g.y_test,
                   dims=0, input_kind=desc["kind"], input_shape=desc["shape"], per_step=desc["per_step"],
                   class_names=class_names, token_names=tokens)


# -----------------------------------------------------------------------------
# what the student sees of an example (the preview here; the probe views in probes.py)

def step_labels(ds, x):
    """One label per step of a sequence: token names for ids; for vectors, the one-hot symbol's name,
    or the first feature's value (with • on a marked step, as in the adding problem)."""
    names = ds.token_names or []
    if ds.input_kind == "tokens":
        return [names[i] if i < len(names) else str(i) for i in x.tolist()][:MAX_STEPS]
    out = []
    for row in x.tolist()[:MAX_STEPS]:
        if len(names) == len(row) > 1 and sorted(row)[-1] == 1.0 and sum(row) == 1.0:
            out.append(names[row.index(1.0)])
        else:
            marked = "marker" in names and row[names.index("marker")] > 0.5
            out.append(f"{row[0]:.2g}" + ("•" if marked else ""))
    return out


def examples(ds, k=12):
    """A few training examples to show before training (the dataset preview): images with their
    label, or token / step labels with their targets. [] for the plane's and the 1-D sets."""
    if ds.dims != 0:
        return []
    names = ds.class_names or []
    label = lambda c: names[c] if 0 <= c < len(names) else None  # noqa: E731
    out = []
    for x, y in zip(ds.x_train[:k], ds.y_train[:k]):
        target = [label(c) for c in y.tolist()] if y.ndim == 1 else (label(int(y)) if ds.problem == "classification" else round(float(y), 4))
        if ds.input_kind == "image":
            out.append({"image": [[round(v, 2) for v in row] for row in x[0].tolist()], "label": target})
        else:
            out.append({"tokens": step_labels(ds, x), "target": target})
    return out
