"""
The image, sequence and token datasets as the dataset registry sees them: digits8, digits16 (images),
delayed_recall, parity, adding, reverse, sort (sequence tasks) and toy_corpus (next-token prediction).
Their generators live in data_images.py, data_sequences.py and data_corpus.py; here their params become
checked `Param`s (structured errors, never exceptions), and a made dataset becomes the trainer's Dataset.

What a dataset gives the network (input kind and shape, classes, per-step or per-sample targets) is
read off a small sample of it (cached), so validation and training can never disagree with the data.
"""

import functools
import json

from . import data_corpus, data_images, data_sequences
from .blocks.base import Param
from .data_sequences import IGNORE
from .errors import SpecError, show


def _help(en, zh):
    return {"en": en, "zh-hans": zh}


GENERATORS = {
    "digits8": data_images.make_digits8,
    "digits16": data_images.make_digits16,
    **data_sequences.GENERATORS,
    "toy_corpus": data_corpus.make_toy_corpus,
}
BOUNDS = {**data_images.PARAMS, **data_sequences.PARAMS, **data_corpus.PARAMS}  # name -> {param: bounds}

# name -> (problem, help)
INFO = {
    "digits8": ("classification", _help("scikit-learn's 8×8 handwritten digits (1,797 images, 10 classes).",
                                        "scikit-learn 自带的 8×8 手写数字（1797 张图，10 类）。")),
    "digits16": ("classification", _help("16×16 digits drawn from a font, shifted, rotated and noisy: "
                                         "256 inputs, 10 outputs.",
                                         "用字体绘制的 16×16 数字，带平移、旋转和噪声：256 个输入，10 个输出。")),
    "delayed_recall": ("classification", _help("Repeat the symbol seen `lag` steps ago: a memory test.",
                                               "复述 lag 步之前看到的符号：记忆测试。")),
    "parity": ("classification", _help("Is the number of ones in the bit string odd?", "比特串中 1 的个数是奇数吗？")),
    "adding": ("regression", _help("Add the two marked numbers of a long sequence (Hochreiter & Schmidhuber).",
                                   "把长序列中两个被标记的数相加（Hochreiter 与 Schmidhuber）。")),
    "reverse": ("classification", _help("Write the token string backwards.", "把词元串倒过来写。")),
    "sort": ("classification", _help("Write the token string sorted.", "把词元串排序后写出。")),
    "toy_corpus": ("classification", _help("Sentences from a small grammar, in English or Chinese: predict the next token.",
                                           "由小语法生成的英文或中文句子：预测下一个词元。")),
}

PARAM_HELP = {
    "samples": _help("How many examples to generate.", "生成多少个样本。"),
    "train_fraction": _help("The share used for training; the rest test.", "用于训练的比例，其余用于测试。"),
    "noise": _help("Pixel noise (0 to 1).", "像素噪声（0 到 1）。"),
    "jitter": _help("How much the digits are shifted, rotated and scaled (0 to 1).", "数字平移、旋转和缩放的程度（0 到 1）。"),
    "length": _help("Sequence length T.", "序列长度 T。"),
    "lag": _help("How many steps back the symbol to recall is.", "要复述的符号在多少步之前。"),
    "symbols": _help("How many different symbols.", "有多少种不同的符号。"),
    "one_hot": _help("1: feed one-hot vectors (a sequence) instead of token ids.", "1：输入独热向量（序列），而不是词元编号。"),
    "vocab": _help("How many different tokens.", "有多少种不同的词元。"),
    "delimited": _help("1: read the whole string first, then answer (for recurrent nets).",
                       "1：先读完整个串再回答（适合循环网络）。"),
    "language": _help("en: English; zh: Chinese.", "en：英文；zh：中文。"),
    "level": _help("char: one token per character; word: one per word (English only).",
                   "char：每个字符一个词元；word：每个单词一个（仅英文）。"),
    "sentences": _help("How many sentences to generate.", "生成多少个句子。"),
    "block_size": _help("Tokens per training window.", "每个训练窗口的词元数。"),
    "seed": _help("The same seed makes the same data.", "相同的种子生成相同的数据。"),
}
SEED = Param("seed", "int", 1, min=0, max=2**31 - 1, help=PARAM_HELP["seed"])
SAMPLE_FIELDS = ("samples", "sentences")  # what `max_dataset_samples` caps


def _param(key, bounds):
    if len(bounds) == 2:  # (default, (choice, ...))
        return Param(key, "choice", bounds[0], choices=tuple(bounds[1]), help=PARAM_HELP[key])
    default, lo, hi = bounds
    kind = "int" if isinstance(default, int) else "float"
    if key in SAMPLE_FIELDS:
        return Param(key, kind, default, min=lo, max_from="max_dataset_samples", help=PARAM_HELP[key])
    return Param(key, kind, default, min=lo, max=hi, help=PARAM_HELP[key])


PARAMS = {name: tuple(_param(k, b) for k, b in BOUNDS[name].items()) + (SEED,) for name in GENERATORS}


def params(name):
    return PARAMS[name]


# -----------------------------------------------------------------------------
# what a dataset gives the network

@functools.lru_cache(maxsize=8)
def _make_cached(name, frozen):
    """The generator's dataset for json-frozen params (seed included). Cached: validation, training and
    the preview of one spec build it once. Callers must not modify the tensors in place."""
    p = json.loads(frozen)
    seed = p.pop("seed")
    return GENERATORS[name](p, seed)


def generate(d):
    """A checked dataset spec -> the generator's dataset. Raises ValueError (a combination the bounds
    alone do not catch, such as a lag not below the length)."""
    return _make_cached(d["name"], json.dumps({k: v for k, v in d.items() if k != "name"}, sort_keys=True))


def _small(d):
    """The same dataset with the fewest samples: enough to read its shapes quickly."""
    small = dict(d)
    for key in ("samples",):
        if key in small:
            small[key] = BOUNDS[d["name"]][key][1]
    return small


def shape_of(d):
    """(description, None) or (None, message) for a checked dataset spec. The description:
    {"kind": "image"|"sequence"|"tokens", "shape": [..], "vocab": int, "problem", "classes",
    "per_step": bool, "steps": T}."""
    try:
        g = generate(_small(d))
    except ValueError as e:
        return None, str(e)
    kind = getattr(g, "input_kind", "tokens" if d["name"] == "toy_corpus" else "image")
    per_step = g.y_train.ndim == 2
    return {"kind": kind, "shape": list(g.input_shape), "vocab": len(g.vocab) if d["name"] == "toy_corpus" else getattr(g, "vocab", 0),
            "problem": INFO[d["name"]][0], "classes": g.classes, "per_step": per_step,
            "steps": g.y_train.shape[1] if per_step else None}, None


def input_params(desc):
    """The input node's shape params that this dataset fixes."""
    s = desc["shape"]
    if desc["kind"] == "image":
        return {"channels": s[0], "height": s[1], "width": s[2]}
    if desc["kind"] == "sequence":
        return {"length": s[0], "features": s[1]}
    return {"length": s[0], "vocab": desc["vocab"]}


def check(d, name, limits, path):
    """(normalised spec, errors) for one of these datasets; never raises."""
    errors, out = [], {"name": name}
    known = ["name"] + [p.name for p in PARAMS[name]]
    for key in d:
        if key not in known:
            errors.append(SpecError(f"{path}.{key}", f"unknown field {show(key)} for {name} — known fields: {', '.join(known)}"))
    for p in PARAMS[name]:
        value, msg = p.check(d.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
        out[p.name] = value
    if not errors:
        _, msg = shape_of(out)
        if msg:
            errors.append(SpecError(path, msg))
    return out, errors


# -----------------------------------------------------------------------------
# the trainer's Dataset

def token_labels(g):
    """What each input position of the probe shows: token names for ids, else the step numbers."""
    names = getattr(g, "token_names", None) or getattr(g, "vocab", None)
    return names if isinstance(names, list) else None


def make(d):
    """A checked dataset spec -> a datasets.Dataset (imported here: datasets.py imports this module)."""
    from .datasets import Dataset

    g = generate(d)
    desc, _ = shape_of(d)
    class_names = list(getattr(g, "class_names", None) or (g.vocab if d["name"] == "toy_corpus" else []))
    tokens = token_labels(g) if desc["kind"] == "tokens" else (list(g.token_names) if desc["kind"] == "sequence" else None)
    return Dataset(d["name"], desc["problem"], desc["classes"], [], [], [], g.x_train, g.y_train, g.x_test, g.y_test,
                   dims=0, input_kind=desc["kind"], input_shape=desc["shape"], per_step=desc["per_step"],
                   class_names=class_names, token_names=tokens)


__all__ = ["GENERATORS", "INFO", "IGNORE", "PARAMS", "check", "make", "shape_of", "input_params", "params"]


def examples(ds, k=12):
    """A few training examples to show before training (the dataset preview): images with their
    label, or token / step labels with their targets. [] for the plane's and the 1-D sets."""
    if ds.dims != 0:
        return []
    from .probes import _labels  # the same step labels as the views use
    names = ds.class_names or []
    label = lambda c: names[c] if 0 <= c < len(names) else None  # noqa: E731
    out = []
    for x, y in zip(ds.x_train[:k], ds.y_train[:k]):
        target = [label(c) for c in y.tolist()] if y.ndim == 1 else (label(int(y)) if ds.problem == "classification" else round(float(y), 4))
        if ds.input_kind == "image":
            out.append({"image": [[round(v, 2) for v in row] for row in x[0].tolist()], "label": target})
        else:
            out.append({"tokens": _labels(ds, x), "target": target})
    return out
