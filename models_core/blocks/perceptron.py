"""
Rosenblatt's perceptron (1958): a layer of threshold units, y = step(x Wᵀ + b), 0 or 1. Its step has
no gradient, so backprop cannot train it; the trainer sees `trained_by == "rosenblatt"` and applies the
perceptron rule instead: w += lr · (target − y) · x.
"""

from .base import BlockType, Param, text
from .modules import Perceptron


def infer_shape(params, input_shapes):
    return [params["units"]]


def count_params(params, input_shapes):
    (fan_in,) = input_shapes[0]
    return (fan_in + 1) * params["units"]


def build(params, input_shapes):
    (fan_in,) = input_shapes[0]
    return Perceptron(fan_in, params["units"])


BLOCK = BlockType(
    type="perceptron",
    group="layers",
    help=text("Rosenblatt's perceptron: threshold units that output 0 or 1, trained by the perceptron rule, not by backprop.",
              "罗森布拉特感知机：输出 0 或 1 的阈值单元，用感知机规则训练，而不是反向传播。"),
    inputs=1,
    accepts=("vector",),
    trained_by="rosenblatt",
    params=(
        Param("units", "int", 1, min=1, max_from="max_units",
              help=text("How many threshold units (one per yes/no answer).", "阈值单元的个数（每个回答一个是/否问题）。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
