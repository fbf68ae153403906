"""A 2-D convolution: `channels` filters of kernel × kernel slide over the image, each seeing all input
channels. (C, H, W) -> (channels, H', W') with H' = ⌊(H + 2·padding − kernel) / stride⌋ + 1."""

import torch.nn as nn

from .base import BlockType, Param, ShapeError, describe, text


def out_side(side, kernel, stride, padding):
    return (side + 2 * padding - kernel) // stride + 1


def infer_shape(params, input_shapes):
    (c, h, w), = input_shapes
    k, s, p = params["kernel"], params["stride"], params["padding"]
    if k > min(h, w) + 2 * p:
        raise ShapeError(f"has a kernel of {k}×{k}, larger than {describe([c, h, w])} with padding {p}: "
                         "use a smaller kernel or more padding")
    return [params["channels"], out_side(h, k, s, p), out_side(w, k, s, p)]


def count_params(params, input_shapes):
    c_in, k, c_out = input_shapes[0][0], params["kernel"], params["channels"]
    return c_out * c_in * k * k + (c_out if params["bias"] else 0)


def build(params, input_shapes):
    c_in = input_shapes[0][0]
    return nn.Conv2d(c_in, params["channels"], params["kernel"], stride=params["stride"],
                     padding=params["padding"], bias=params["bias"])  # (B, C, H, W) -> (B, channels, H', W')


BLOCK = BlockType(
    type="conv2d",
    group="convolution",
    help=text("Slides small learned filters over an image; each filter makes one output channel (a feature map).",
              "在图像上滑动小的可学习滤波器；每个滤波器产生一个输出通道（特征图）。"),
    inputs=1,
    accepts=("image",),
    params=(
        Param("channels", "int", 8, min=1, max_from="max_width",
              help=text("How many filters, so how many output channels.", "滤波器的个数，也就是输出通道数。")),
        Param("kernel", "int", 3, min=1, max=11,
              help=text("Filter size: kernel × kernel pixels.", "滤波器大小：kernel × kernel 个像素。")),
        Param("stride", "int", 1, min=1, max=4,
              help=text("Step between filter positions: 2 halves the image.", "滤波器每次移动的步长：2 会把图像缩小一半。")),
        Param("padding", "int", 1, min=0, max=5,
              help=text("Zero pixels added around the image; kernel 3 with padding 1 keeps the size.",
                        "在图像四周补的零像素；kernel 3 配 padding 1 保持尺寸不变。")),
        Param("bias", "bool", True,
              help=text("Give each filter a bias it can learn.", "为每个滤波器加一个可学习的偏置。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
