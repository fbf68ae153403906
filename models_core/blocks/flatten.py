"""Flatten: an image C×H×W or a sequence T×F becomes one vector of C·H·W (T·F) values."""

import math

import torch.nn as nn

from .base import BlockType, no_params, text


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    return [math.prod(shape)]


def build(params, input_shapes):
    return nn.Flatten()  # (B, *shape) -> (B, prod(shape))


BLOCK = BlockType(
    type="flatten",
    group="shape",
    help=text("Lays an image or a sequence out as one long vector, for dense layers.",
              "把图像或序列展开成一个长向量，以便接全连接层。"),
    inputs=1,
    accepts=("vector", "sequence", "image"),
    infer_shape=infer_shape,
    count_params=no_params,
    build=build,
)
