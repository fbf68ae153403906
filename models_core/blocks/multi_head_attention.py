"""
Multi-head attention (as nanoGPT's CausalSelfAttention): the width F is split into `heads` heads of
F / heads each, every head attends on its own, and a projection mixes the heads' outputs.
"""

import torch.nn as nn

from .attention import BYTES, attend, causal_param
from .base import BlockType, Param, ShapeError, text


class MultiHeadAttention(nn.Module):
    def __init__(self, width, heads, causal):
        super().__init__()
        assert width % heads == 0
        self.c_attn = nn.Linear(width, 3 * width, bias=False)  # q, k, v for all heads in one matmul
        self.c_proj = nn.Linear(width, width, bias=False)
        self.nh, self.causal, self.capture, self.weights = heads, causal, False, None

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 × (B, T, C)
        q, k, v = (z.view(B, T, self.nh, C // self.nh).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()  # (B, nh, T, T)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.c_proj(y)

    def kv_cache_bytes_per_token(self):
        return 2 * self.c_proj.in_features * BYTES  # 2 · heads · head_dim floats


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
