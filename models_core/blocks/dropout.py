"""Dropout: while training, zero each value with probability p and scale the rest by 1/(1 − p), so
no unit can rely on any other. In eval mode it does nothing."""

import torch.nn as nn

from .base import BlockType, Param, no_params, same_shape, text


def build(params, input_shapes):
    return nn.Dropout(params["p"])


BLOCK = BlockType(
    type="dropout",
    group="regularization",
    help=text("While training, switches off a random share of values so that the network cannot rely on any one.",
              "训练时随机关掉一部分数值，让网络不能依赖任何单个单元。"),
    inputs=1,
    accepts=("vector", "sequence", "image"),
    uses_train_mode=True,
    params=(
        Param("p", "float", 0.5, min=0.0, max=0.95,
              help=text("The probability of dropping each value.", "每个数值被丢弃的概率。")),
    ),
    infer_shape=same_shape,
    count_params=no_params,
    build=build,
)
