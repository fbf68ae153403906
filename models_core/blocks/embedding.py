"""An embedding: a learned table of `dim` numbers per token id. Token ids (T,) -> vectors (T, dim).
The vocabulary size comes from the token input."""

import torch.nn as nn

from .base import BlockType, Param, text


def infer_shape(params, input_shapes):
    (t,), = input_shapes
    return [t, params["dim"]]


def count_params(params, input_shapes):
    return input_shapes[0].vocab * params["dim"]


def build(params, input_shapes):
    return nn.Embedding(input_shapes[0].vocab, params["dim"])  # (B, T) ints -> (B, T, dim)


BLOCK = BlockType(
    type="embedding",
    group="attention",
    help=text("Looks up a learned vector for each token id: the first layer of a language model.",
              "为每个词元编号查出一个可学习的向量：语言模型的第一层。"),
    inputs=1,
    accepts=("tokens",),
    params=(
        Param("dim", "int", 16, min=1, max_from="max_width",
              help=text("How many numbers describe each token.", "每个词元用多少个数来描述。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
