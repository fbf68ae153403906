"""
What a block is. A BlockType declares its params (for validation and for the editor's catalogue),
which kinds of tensor it accepts, and three pure functions: shape inference, parameter counting and
building the nn.Module. A new block is one more file that makes one BlockType, registered in
__init__.py.

Shapes are lists of ints without the batch dimension, and their rank says what they are:
(F,) a vector, (T, F) a sequence of T vectors, (C, H, W) an image. Token ids (T,) are a `Tokens`
shape, which also knows the vocabulary size. Spec validation checks a node's input kinds against its
block's `accepts` before calling infer_shape, so infer_shape only sees kinds it declared.
"""

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..errors import show
from ..limits import Limits

KINDS = ("int", "float", "bool", "choice", "shape")  # shape: a list of 1 to 3 sizes (reshape)
MAX_SHAPE_DIMS = 3
MAX_DIM = 65536


class ShapeError(ValueError):
    """Raised by infer_shape when a block cannot take the shapes it is given. The text follows the
    node's name, says what is wrong and what to do: "needs ... but ...: use ..."."""


class Tokens(list):
    """The shape (T,) of token ids: integers below `vocab`, fed to an embedding."""

    def __init__(self, shape, vocab):
        super().__init__(shape)
        assert len(self) == 1 and vocab >= 1
        self.vocab = vocab


KIND_NAMES = {"vector": "a vector", "sequence": "a sequence T×F", "image": "an image C×H×W", "tokens": "token ids"}


def kind_of(shape):
    """"vector" (F,), "sequence" (T, F), "image" (C, H, W) or "tokens"."""
    if isinstance(shape, Tokens):
        return "tokens"
    return {1: "vector", 2: "sequence", 3: "image"}[len(shape)]


def dims(shape):
    return "×".join(str(d) for d in shape)


def describe(shape):
    """"a vector of 256", "a sequence 16×8", "an image 1×16×16", "token ids of length 16"."""
    kind = kind_of(shape)
    if kind == "tokens":
        return f"token ids of length {shape[0]} (vocabulary {shape.vocab})"
    if kind == "vector":
        return f"a vector of {shape[0]}"
    return f"{KIND_NAMES[kind].split()[0]} {kind} {dims(shape)}"


def wanted(accepts):
    names = [KIND_NAMES[k] for k in accepts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def fit_hint(accepts, shape):
    """What to insert before a block that accepts `accepts` so that `shape` fits it."""
    kind = kind_of(shape)
    if kind == "tokens":
        return "insert an embedding before it"
    if "tokens" in accepts:
        return "set the input's kind to 'tokens' (token ids feed an embedding)"
    if "image" in accepts:
        if kind == "vector":
            side = math.isqrt(shape[0])
            if side * side == shape[0]:
                return f"insert a reshape to 1×{side}×{side} before it"
            return f"insert a reshape to C×H×W (with C·H·W = {shape[0]}) before it"
        return f"insert a reshape to 1×{dims(shape)} before it"
    if "vector" in accepts:
        return "insert a flatten before it"
    if "sequence" in accepts:
        if kind == "vector":
            return f"insert a reshape to {shape[0]}×1 ({shape[0]} steps of one feature) before it"
        c, h, w = shape
        return f"insert a reshape to {c * h}×{w} (rows as steps) before it"
    raise AssertionError(f"no hint from {kind} to {accepts}")


def mismatch(accepts, shape):
    """The ShapeError text for an input of a kind the block does not accept."""
    return f"expects {wanted(accepts)} but gets {describe(shape)}: {fit_hint(accepts, shape)}"


def _num(x):
    return f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Param:
    """One setting of a block (or of a dataset / the training): its type, default and bounds."""

    name: str
    kind: str  # "int" | "float" | "bool" | "choice"
    default: object
    help: dict  # {"en": ..., "zh-hans": ...}
    min: Optional[float] = None
    max: Optional[float] = None
    choices: tuple = ()
    min_exclusive: bool = False  # learning_rate lies in (0, 10]: 0 itself is refused
    max_from: Optional[str] = None  # a Limits field that caps this value instead of max (dense units)
    when: tuple = ()  # ("kind", ("image",)): only used (and only filled in) when that param has one of these values

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.kind != "choice" or self.default in self.choices
        assert set(self.help) == {"en", "zh-hans"}
        assert not self.when or (len(self.when) == 2 and isinstance(self.when[1], tuple))

    def applies(self, params):
        """Whether this param matters given the other (already checked) params."""
        return not self.when or params.get(self.when[0]) in self.when[1]

    def bounds(self, limits):
        hi = getattr(limits, self.max_from) if self.max_from else self.max
        return self.min, hi

    def check(self, value, limits=Limits()):
        """(normalised value, None) or (None, message). Never raises, whatever the value."""
        name = self.name
        if self.kind == "bool":
            if isinstance(value, bool):
                return value, None
            return None, f"{name} must be true or false (got {show(value)})"
        if self.kind == "shape":
            return self._check_shape(value)
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value, None
            return None, f"{name} must be one of {', '.join(self.choices)} (got {show(value)})"
        # numbers: bool is a subclass of int in Python but not a number in a spec
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "a whole number" if self.kind == "int" else "a number"
            return None, f"{name} must be {what} (got {show(value)})"
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{name} must be a finite number (got {show(value)})"
        if self.kind == "int":
            if isinstance(value, float):
                if not value.is_integer():
                    return None, f"{name} must be a whole number (got {show(value)})"
                value = int(value)  # 8.0 from a client that only has floats is 8
        lo, hi = self.bounds(limits)
        too_low = lo is not None and (value <= lo if self.min_exclusive else value < lo)
        too_high = hi is not None and value > hi
        if too_low or too_high:  # python compares huge ints and floats exactly: no overflow here
            if self.min_exclusive:
                return None, f"{name} must be greater than {_num(lo)} and at most {_num(hi)} (got {show(value)})"
            return None, f"{name} must be between {_num(lo)} and {_num(hi)} (got {show(value)})"
        return (float(value) if self.kind == "float" else value), None

    def _check_shape(self, value):
        name, how = self.name, f"a list of 1 to {MAX_SHAPE_DIMS} sizes like [1, 16, 16] (-1 once: whatever is left)"
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_SHAPE_DIMS:
            return None, f"{name} must be {how} (got {show(value)})"
        out = []
        for d in value:
            if isinstance(d, float) and math.isfinite(d) and d.is_integer():
                d = int(d)
            if isinstance(d, bool) or not isinstance(d, int) or not (d == -1 or 1 <= d <= MAX_DIM):
                return None, f"{name} must be {how}; sizes lie between 1 and {MAX_DIM} (got {show(d)})"
            out.append(d)
        if out.count(-1) > 1:
            return None, f"{name} may hold -1 only once (got {out})"
        return out, None

    def as_dict(self, limits=Limits()):
        lo, hi = self.bounds(limits)
        default = list(self.default) if self.kind == "shape" else self.default
        return {"name": self.name, "kind": self.kind, "default": default, "min": lo, "max": hi,
                "min_exclusive": self.min_exclusive, "choices": list(self.choices) or None,
                "when": {self.when[0]: list(self.when[1])} if self.when else None,
                "help": dict(self.help)}


@dataclass(frozen=True)
class BlockType:
    """
    A kind of node. Shapes are lists of ints without the batch dimension ([8] for 8 units).
    infer_shape(params, input_shapes) -> shape, raising ShapeError for inputs it cannot take;
    count_params(params, input_shapes) -> int; build(params, input_shapes) -> nn.Module (None: input).
    `params` reaching these functions are already checked and have every default filled in, and
    every input shape is of a kind listed in `accepts`.
    """

    type: str
    group: str  # where the editor files it: "io", "layers", "activations", "convolution", ...
    help: dict  # {"en": ..., "zh-hans": ...}
    inputs: int  # how many incoming edges the node takes (0 for the input block); the minimum if many_inputs
    infer_shape: Callable
    count_params: Callable
    build: Callable
    params: tuple = field(default=())
    uses_train_mode: bool = False  # behaves differently under model.eval() (dropout, batch norm)
    accepts: tuple = ("vector",)  # the input kinds it takes: vector, sequence, image, tokens
    many_inputs: bool = False  # takes `inputs` or more edges (add, concat)
    trained_by: str = "backprop"  # "rosenblatt": the perceptron learning rule, not gradients
    loss: Optional[str] = None  # heads: the loss the trainer pairs with this output ("cross_entropy", "mse")
    attention: bool = False  # its module can capture (B, heads, T, T) attention weights
    activations: Optional[Callable] = None  # (params, input_shapes) -> extra floats per sample beyond its output
    from_input: Optional[Callable] = None  # (params, the graph input's shape) -> params: defaults taken from the input

    def __post_init__(self):
        assert set(self.help) == {"en", "zh-hans"}
        assert len({p.name for p in self.params}) == len(self.params)
        assert all(k in KIND_NAMES for k in self.accepts)
        names = [p.name for p in self.params]
        assert all(not p.when or p.when[0] in names[:names.index(p.name)] for p in self.params), \
            "a param's `when` must name an earlier param"

    def check_params(self, params, limits=Limits()):
        """(normalised params, [(param name, message)]) for a node's `params` object."""
        known = {p.name: p for p in self.params}
        out, errors = {}, []
        for key in params:
            if key not in known:
                hint = f"known params: {', '.join(known)}" if known else "it takes no params"
                errors.append((key, f"unknown param {show(key)} for a {self.type} block — {hint}"))
        for p in self.params:
            if p.name not in params:
                if p.applies(out):  # irrelevant params (channels of a tabular input) stay out
                    out[p.name] = list(p.default) if p.kind == "shape" else p.default
                continue
            value, msg = p.check(params[p.name], limits)
            if msg:
                errors.append((p.name, msg))
            else:
                out[p.name] = value
        return out, errors

    def as_dict(self, limits=Limits()):
        return {"type": self.type, "group": self.group, "help": dict(self.help), "inputs": self.inputs,
                "max_inputs": None if self.many_inputs else self.inputs, "accepts": list(self.accepts),
                "trained_by": self.trained_by, "loss": self.loss, "attention": self.attention,
                "params": [p.as_dict(limits) for p in self.params]}


def text(en, zh):
    """A help text in both languages the editor speaks."""
    return {"en": en, "zh-hans": zh}


def same_shape(params, input_shapes):
    """infer_shape of a block that keeps its input's shape."""
    (shape,) = input_shapes
    return list(shape)


def no_params(params, input_shapes):
    return 0
