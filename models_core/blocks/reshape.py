"""Reshape: the same values in a new shape (1 to 3 sizes, one of them may be -1 for whatever is left).
The target's rank says what comes out: [F] a vector, [T, F] a sequence, [C, H, W] an image."""

import math

from .base import BlockType, Param, ShapeError, describe, dims, no_params, text
from .modules import Reshape


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    n, target = math.prod(shape), list(params["target"])
    known = math.prod(d for d in target if d != -1)
    if -1 in target:
        if n % known:
            raise ShapeError(f"cannot arrange {describe(shape)} ({n} values) as {dims(target)}: "
                             f"the sizes besides -1 must divide {n}")
        target[target.index(-1)] = n // known
    elif known != n:
        raise ShapeError(f"cannot arrange {describe(shape)} ({n} values) as {dims(target)} ({known} values): "
                         f"choose sizes whose product is {n}, or use -1 for one of them")
    return target


def build(params, input_shapes):
    return Reshape(infer_shape(params, input_shapes))


BLOCK = BlockType(
    type="reshape",
    group="shape",
    help=text("Arranges the same values in a new shape: [16] vector, [4, 4] sequence, [1, 4, 4] image.",
              "把同样的数值排成新的形状：[16] 向量、[4, 4] 序列、[1, 4, 4] 图像。"),
    inputs=1,
    accepts=("vector", "sequence", "image"),
    params=(
        Param("target", "shape", (-1,),
              help=text("The new shape without the batch: 1 to 3 sizes; -1 once stands for whatever is left.",
                        "新的形状（不含批次维）：1 到 3 个尺寸；-1 可出现一次，表示剩下的部分。")),
    ),
    infer_shape=infer_shape,
    count_params=no_params,
    build=build,
)
