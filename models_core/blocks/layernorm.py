"""
Layer normalisation: each sample's features are shifted and scaled to mean 0 and variance 1 on their
own (no batch statistics), then by a learned gain and bias. On a sequence it normalises each step's
vector; on an image all of C×H×W together, with a gain and bias per channel.
"""

import torch.nn as nn

from .base import BlockType, same_shape, text


def _width(shape):
    return shape[0] if len(shape) == 3 else shape[-1]


def count_params(params, input_shapes):
    return 2 * _width(input_shapes[0])


def build(params, input_shapes):
    (shape,) = input_shapes
    if len(shape) == 3:
        return nn.GroupNorm(1, shape[0])  # one group: layer norm over (C, H, W), per-channel affine
    return nn.LayerNorm(shape[-1])  # (B, [T,] F) over F


BLOCK = BlockType(
    type="layernorm",
    group="normalization",
    help=text("Rescales each sample's values to mean 0 and variance 1, on its own: the normalisation transformers use.",
              "把每个样本自己的数值调整为均值 0、方差 1：Transformer 使用的归一化。"),
    inputs=1,
    accepts=("vector", "sequence", "image"),
    infer_shape=same_shape,
    count_params=count_params,
    build=build,
)
