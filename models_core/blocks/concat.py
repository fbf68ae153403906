"""Concat: 2 or more inputs side by side, along the features (the last axis) or an image's channels."""

from .base import BlockType, ShapeError, describe, kind_of, no_params, text
from .modules import Concat


def _axis(shape):
    return 0 if len(shape) == 3 else len(shape) - 1  # channels of an image, else the features


def infer_shape(params, input_shapes):
    first = input_shapes[0]
    axis = _axis(first)
    for k, shape in enumerate(input_shapes[1:], 2):
        rest = [d for i, d in enumerate(shape) if i != axis]
        if kind_of(shape) != kind_of(first) or rest != [d for i, d in enumerate(first) if i != axis]:
            what = "channels" if len(first) == 3 else "features"
            raise ShapeError(f"joins inputs that differ only in their {what} but gets {describe(first)} (input 1) "
                             f"and {describe(shape)} (input {k}): make the other sizes match")
    out = list(first)
    out[axis] = sum(s[axis] for s in input_shapes)
    return out


def build(params, input_shapes):
    return Concat(_axis(input_shapes[0]) + 1)  # + 1: the batch axis comes first


BLOCK = BlockType(
    type="concat",
    group="merge",
    help=text("Puts 2 or more inputs side by side: features after features, or channels after channels.",
              "把 2 个或更多输入并排拼接：特征接特征，或通道接通道。"),
    inputs=2,
    many_inputs=True,
    accepts=("vector", "sequence", "image"),
    infer_shape=infer_shape,
    count_params=no_params,
    build=build,
)
