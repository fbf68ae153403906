"""A fully connected layer: y = x Wᵀ + b, the neurons of TensorFlow Playground."""

import torch.nn as nn

from .base import BlockType, Param, ShapeError


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    if len(shape) != 1:
        raise ShapeError(f"a dense block needs a flat input, got shape {shape}")
    return [params["units"]]


def count_params(params, input_shapes):
    (fan_in,) = input_shapes[0]
    units = params["units"]
    return fan_in * units + (units if params["bias"] else 0)


def build(params, input_shapes):
    (fan_in,) = input_shapes[0]
    return nn.Linear(fan_in, params["units"], bias=params["bias"])  # (B, fan_in) -> (B, units)


BLOCK = BlockType(
    type="dense",
    group="layers",
    help={"en": "A layer of neurons. Each neuron adds up its weighted inputs plus a bias.",
          "zh-hans": "一层神经元。每个神经元把输入加权求和，再加上偏置。"},
    inputs=1,
    params=(
        Param("units", "int", 8, min=1, max_from="max_units",
              help={"en": "How many neurons the layer has.", "zh-hans": "这一层有多少个神经元。"}),
        Param("bias", "bool", True,
              help={"en": "Give each neuron a bias it can learn.", "zh-hans": "为每个神经元加一个可学习的偏置。"}),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
