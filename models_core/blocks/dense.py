"""A fully connected layer: y = x Wᵀ + b, the neurons of TensorFlow Playground. It acts on the last
axis, so it takes a vector (F,) -> (units,) or a sequence (T, F) -> (T, units), never an image."""

import torch.nn as nn

from .base import BlockType, Param

INITS = ("default", "xavier", "he")


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    return list(shape[:-1]) + [params["units"]]


def count_params(params, input_shapes):
    fan_in, units = input_shapes[0][-1], params["units"]
    return fan_in * units + (units if params["bias"] else 0)


def init_linear(layer, init):
    """default: PyTorch's uniform ±1/√fan_in; xavier: Glorot uniform (for tanh, sigmoid); he: Kaiming
    normal (for relu). The last two start the biases at zero."""
    if init == "default":
        return layer
    if init == "xavier":
        nn.init.xavier_uniform_(layer.weight)
    else:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    if layer.bias is not None:
        nn.init.zeros_(layer.bias)
    return layer


def build(params, input_shapes):
    fan_in = input_shapes[0][-1]
    layer = nn.Linear(fan_in, params["units"], bias=params["bias"])  # (B, [T,] fan_in) -> (B, [T,] units)
    return init_linear(layer, params.get("init", "default"))


BLOCK = BlockType(
    type="dense",
    group="layers",
    help={"en": "A layer of neurons. Each neuron adds up its weighted inputs plus a bias.",
          "zh-hans": "一层神经元。每个神经元把输入加权求和，再加上偏置。"},
    inputs=1,
    accepts=("vector", "sequence"),
    params=(
        Param("units", "int", 8, min=1, max_from="max_units",
              help={"en": "How many neurons the layer has.", "zh-hans": "这一层有多少个神经元。"}),
        Param("bias", "bool", True,
              help={"en": "Give each neuron a bias it can learn.", "zh-hans": "为每个神经元加一个可学习的偏置。"}),
        Param("init", "choice", "default", choices=INITS,
              help={"en": "Starting weights: default (PyTorch), xavier (for tanh/sigmoid) or he (for relu).",
                    "zh-hans": "初始权重：default（PyTorch 默认）、xavier（适合 tanh/sigmoid）或 he（适合 relu）。"}),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
