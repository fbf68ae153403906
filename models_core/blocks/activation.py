"""An elementwise nonlinearity. Without one between dense blocks, any stack of them is one linear map."""

import torch.nn as nn

from .base import BlockType, Param
from .modules import Sign, Step

FUNCTIONS = ("linear", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax")


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    return list(shape)  # elementwise: same shape out


def count_params(params, input_shapes):
    return 0


def build(params, input_shapes):
    fn = params["fn"]
    if fn == "leaky_relu":
        return nn.LeakyReLU(params.get("slope", 0.01))
    if fn == "softmax":  # over the features: the last axis, or the channels of an image (B, C, H, W)
        return nn.Softmax(dim=1 if len(input_shapes[0]) == 3 else -1)
    return {"linear": nn.Identity, "step": Step, "sign": Sign, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
            "relu": nn.ReLU, "gelu": nn.GELU}[fn]()


BLOCK = BlockType(
    type="activation",
    group="activations",
    help={"en": "Bends each value with a function. Without it, stacked layers stay a straight line.",
          "zh-hans": "用一个函数把每个值“弯曲”。没有它，多层叠加仍然只是一条直线。"},
    inputs=1,
    accepts=("vector", "sequence", "image"),
    params=(
        Param("fn", "choice", "tanh", choices=FUNCTIONS,
              help={"en": "linear: unchanged; step: 0 or 1 and sign: -1, 0 or 1 (no gradient!); sigmoid: 0..1; "
                          "tanh: -1..1; relu: max(0, x); leaky_relu: x or slope·x; gelu: a smooth relu; "
                          "softmax: positive, summing to 1 over the features.",
                    "zh-hans": "linear：不变；step：0 或 1，sign：-1、0 或 1（没有梯度！）；sigmoid：0 到 1；"
                               "tanh：-1 到 1；relu：max(0, x)；leaky_relu：x 或 slope·x；gelu：平滑的 relu；"
                               "softmax：全为正，在特征上加起来等于 1。"}),
        Param("slope", "float", 0.01, min=0.0, max=1.0, when=("fn", ("leaky_relu",)),
              help={"en": "leaky_relu: the slope for negative inputs.", "zh-hans": "leaky_relu：负输入的斜率。"}),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
