"""Add: the sum of 2 or more inputs of the same shape: a residual (skip) connection, x + f(x)."""

from .base import BlockType, ShapeError, describe, no_params, text
from .modules import Add


def infer_shape(params, input_shapes):
    first = input_shapes[0]
    for k, shape in enumerate(input_shapes[1:], 2):
        if list(shape) != list(first):
            raise ShapeError(f"adds inputs of equal shape but gets {describe(first)} (input 1) and "
                             f"{describe(shape)} (input {k}): make them the same shape, or use a concat")
    return list(first)


def build(params, input_shapes):
    return Add()


BLOCK = BlockType(
    type="add",
    group="merge",
    help=text("Adds 2 or more inputs of the same shape: the skip connection of residual networks.",
              "把 2 个或更多形状相同的输入相加：残差网络的跳跃连接。"),
    inputs=2,
    many_inputs=True,
    accepts=("vector", "sequence", "image"),
    infer_shape=infer_shape,
    count_params=no_params,
    build=build,
)
