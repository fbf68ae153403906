"""Pooling: each channel shrinks by taking the max (or the mean) of every kernel × kernel window.
(C, H, W) -> (C, H', W') with H' = ⌊(H − kernel) / stride⌋ + 1. No parameters."""

import torch.nn as nn

from .base import BlockType, Param, ShapeError, describe, no_params, text


def infer_shape(params, input_shapes):
    (c, h, w), = input_shapes
    k, s = params["kernel"], params["stride"]
    if k > min(h, w):
        raise ShapeError(f"has a window of {k}×{k}, larger than {describe([c, h, w])}: use a smaller kernel")
    return [c, (h - k) // s + 1, (w - k) // s + 1]


def _params():
    return (
        Param("kernel", "int", 2, min=1, max=8,
              help=text("Window size: kernel × kernel pixels become one.", "窗口大小：kernel × kernel 个像素合成一个。")),
        Param("stride", "int", 2, min=1, max=8,
              help=text("Step between windows; equal to the kernel, windows do not overlap.",
                        "窗口之间的步长；等于 kernel 时窗口不重叠。")),
    )


def _block(type_, module, en, zh):
    return BlockType(type=type_, group="convolution", help=text(en, zh), inputs=1, accepts=("image",), params=_params(),
                     infer_shape=infer_shape, count_params=no_params,
                     build=lambda params, shapes: module(params["kernel"], stride=params["stride"]))


MAX = _block("maxpool2d", nn.MaxPool2d, "Shrinks each channel, keeping the largest value of each window.",
             "缩小每个通道，保留每个窗口中的最大值。")
AVG = _block("avgpool2d", nn.AvgPool2d, "Shrinks each channel, keeping the mean of each window.",
             "缩小每个通道，保留每个窗口的平均值。")
