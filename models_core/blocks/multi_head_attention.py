"""
Multi-head attention (as nanoGPT's CausalSelfAttention): the width F is split into `heads` heads of
F / heads each, every head attends on its own, and a projection mixes the heads' outputs.
"""

from .attention import causal_param
from .base import BlockType, Param, ShapeError, text
from .modules import MultiHeadAttention


def check_heads(width, heads):
    if width % heads:
        raise ShapeError(f"splits a width of {width} into {heads} heads, but {heads} does not divide {width}: "
                         f"choose heads among {', '.join(str(h) for h in range(1, min(width, 16) + 1) if width % h == 0)}")


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    check_heads(shape[1], params["heads"])
    return list(shape)


def count_params(params, input_shapes):
    f = input_shapes[0][1]
    return 4 * f * f


def activations(params, input_shapes):
    t, f = input_shapes[0]
    return 4 * t * f + 2 * params["heads"] * t * t


def heads_param(when=()):
    return Param("heads", "int", 4, min=1, max=16, when=when,
                 help=text("How many heads attend side by side; each gets width / heads numbers.",
                           "并行注意的头数；每个头分到 width / heads 个数。"))


BLOCK = BlockType(
    type="multi_head_attention",
    group="attention",
    help=text("Several attention heads side by side, each free to look for something different.",
              "多个注意力头并行，每个头可以关注不同的东西。"),
    inputs=1,
    accepts=("sequence",),
    attention=True,
    activations=activations,
    params=(heads_param(), causal_param()),
    infer_shape=infer_shape,
    count_params=count_params,
    build=lambda params, shapes: MultiHeadAttention(shapes[0][1], params["heads"], params["causal"]),
)
