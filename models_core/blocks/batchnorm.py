"""
Batch normalisation: each feature (each channel of an image) is shifted and scaled to mean 0 and
variance 1 over the batch, then by a learned gain and bias. Eval mode uses running averages instead.
"""

from .base import BlockType, Param, text
from .modules import BatchNorm


def _width(shape):
    return shape[0] if len(shape) == 3 else shape[-1]  # channels of an image, else the features


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    return list(shape)


def count_params(params, input_shapes):
    return 2 * _width(input_shapes[0])  # gain and bias; the running statistics are buffers


def build(params, input_shapes):
    (shape,) = input_shapes
    return BatchNorm(_width(shape), len(shape), params["momentum"])


BLOCK = BlockType(
    type="batchnorm",
    group="normalization",
    help=text("Rescales each feature (each image channel) to mean 0 and variance 1 over the batch: training gets steadier.",
              "把每个特征（每个图像通道）在一批数据上调整为均值 0、方差 1：训练更稳定。"),
    inputs=1,
    accepts=("vector", "sequence", "image"),
    uses_train_mode=True,
    params=(
        Param("momentum", "float", 0.1, min=0.0, max=1.0,
              help=text("How fast the running mean and variance (used in eval mode) follow the batches.",
                        "评估时使用的滑动均值和方差跟随每批数据的速度。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
