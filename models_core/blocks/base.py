"""
What a block is. A BlockType declares its params (for validation and for the editor's catalogue) and
three pure functions: shape inference, parameter counting and building the nn.Module. A new block
(conv, lstm, attention, ...) is one more file that makes one BlockType, registered in __init__.py.
"""

import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..errors import show
from ..limits import Limits

KINDS = ("int", "float", "bool", "choice")


class ShapeError(ValueError):
    """Raised by infer_shape when a block cannot take the shapes it is given; the text says why."""


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

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.kind != "choice" or self.default in self.choices
        assert set(self.help) == {"en", "zh-hans"}

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

    def as_dict(self, limits=Limits()):
        lo, hi = self.bounds(limits)
        return {"name": self.name, "kind": self.kind, "default": self.default, "min": lo, "max": hi,
                "min_exclusive": self.min_exclusive, "choices": list(self.choices) or None,
                "help": dict(self.help)}


@dataclass(frozen=True)
class BlockType:
    """
    A kind of node. Shapes are lists of ints without the batch dimension ([8] for 8 units).
    infer_shape(params, input_shapes) -> shape, raising ShapeError for inputs it cannot take;
    count_params(params, input_shapes) -> int; build(params, input_shapes) -> nn.Module (None: input).
    `params` reaching these functions are already checked and have every default filled in.
    """

    type: str
    group: str  # where the editor files it: "io", "layers", "activations"
    help: dict  # {"en": ..., "zh-hans": ...}
    inputs: int  # how many incoming edges the node takes (0 for the input block)
    infer_shape: Callable
    count_params: Callable
    build: Callable
    params: tuple = field(default=())
    uses_train_mode: bool = False  # behaves differently under model.eval() (dropout, batch norm)

    def __post_init__(self):
        assert set(self.help) == {"en", "zh-hans"}
        assert len({p.name for p in self.params}) == len(self.params)

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
                out[p.name] = p.default
                continue
            value, msg = p.check(params[p.name], limits)
            if msg:
                errors.append((p.name, msg))
            else:
                out[p.name] = value
        return out, errors

    def as_dict(self, limits=Limits()):
        return {"type": self.type, "group": self.group, "help": dict(self.help), "inputs": self.inputs,
                "params": [p.as_dict(limits) for p in self.params]}
