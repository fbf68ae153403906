"""The input block: the features the student ticked. It has no module; the dataset feeds it."""

from .base import BlockType


def infer_shape(params, input_shapes):
    # the dataset is the input block's only source: input_shapes == [[number of features]]
    assert len(input_shapes) == 1
    return list(input_shapes[0])


def count_params(params, input_shapes):
    return 0


def build(params, input_shapes):
    return None  # GraphModel hands the feature tensor to this node's consumers directly


BLOCK = BlockType(
    type="input",
    group="io",
    help={"en": "The input: one unit per feature you tick (x1, x2, x1², ...).",
          "zh-hans": "输入：每个勾选的特征（x1、x2、x1² ……）对应一个单元。"},
    inputs=0,
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
