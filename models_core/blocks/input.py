"""
The input block: what the dataset feeds in. Its `kind` says what that is: tabular features (the 2-D
points' ticked features; the dataset decides the width), an image C×H×W, a sequence of T vectors, or
T token ids. For the kinds besides tabular the node's own params give the shape (until datasets of
those kinds exist). It has no module; GraphModel hands the batch to its consumers directly.
"""

from .base import BlockType, Param, Tokens

KINDS = ("tabular", "image", "sequence", "tokens")


def _h(en, zh):
    return {"en": en, "zh-hans": zh}


def infer_shape(params, input_shapes):
    # input_shapes == [[number of features]]: what the dataset gives a tabular input
    assert len(input_shapes) == 1
    kind = params.get("kind", "tabular")
    if kind == "image":
        return [params["channels"], params["height"], params["width"]]  # (C, H, W)
    if kind == "sequence":
        return [params["length"], params["features"]]  # (T, F)
    if kind == "tokens":
        return Tokens([params["length"]], params["vocab"])  # (T,) integer ids below vocab
    return list(input_shapes[0])  # (F,)


def count_params(params, input_shapes):
    return 0


def build(params, input_shapes):
    return None


BLOCK = BlockType(
    type="input",
    group="io",
    help=_h("The input: tabular features (one unit per feature you tick), an image, a sequence or token ids.",
            "输入：表格特征（每个勾选的特征一个单元）、图像、序列或词元编号。"),
    inputs=0,
    accepts=(),
    params=(
        Param("kind", "choice", "tabular", choices=KINDS,
              help=_h("What the data is: tabular features, an image C×H×W, a sequence T×F or token ids.",
                      "数据是什么：表格特征、图像 C×H×W、序列 T×F 或词元编号。")),
        Param("channels", "int", 1, min=1, max=16, when=("kind", ("image",)),
              help=_h("Image channels: 1 for grey, 3 for colour.", "图像通道数：灰度为 1，彩色为 3。")),
        Param("height", "int", 16, min=1, max_from="max_image_side", when=("kind", ("image",)),
              help=_h("Image height in pixels.", "图像高度（像素）。")),
        Param("width", "int", 16, min=1, max_from="max_image_side", when=("kind", ("image",)),
              help=_h("Image width in pixels.", "图像宽度（像素）。")),
        Param("length", "int", 16, min=1, max_from="max_seq_len", when=("kind", ("sequence", "tokens")),
              help=_h("Sequence length T: how many steps or tokens.", "序列长度 T：多少步或多少个词元。")),
        Param("features", "int", 8, min=1, max_from="max_width", when=("kind", ("sequence",)),
              help=_h("Features F of each step of the sequence.", "序列每一步的特征数 F。")),
        Param("vocab", "int", 64, min=2, max_from="max_vocab", when=("kind", ("tokens",)),
              help=_h("Vocabulary size: token ids run from 0 to vocab − 1.", "词表大小：词元编号从 0 到 vocab − 1。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=build,
)
