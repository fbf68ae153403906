"""
Positional encoding: attention ignores order, so each step t of a sequence (T, D) gets a position
vector added. sinusoidal (Vaswani et al.): pe[t, 2i] = sin(t / 10000^(2i/D)), pe[t, 2i+1] = cos(...),
fixed; learned: a (T, D) table trained like any weight (GPT-2).
"""

from .base import BlockType, Param, same_shape, text
from .modules import PositionalEncoding


def count_params(params, input_shapes):
    t, d = input_shapes[0]
    return t * d if params["kind"] == "learned" else 0


def build(params, input_shapes):
    t, d = input_shapes[0]
    return PositionalEncoding(t, d, params["kind"] == "learned")


BLOCK = BlockType(
    type="positional_encoding",
    group="attention",
    help=text("Adds each step's position to its vector, since attention alone cannot tell order.",
              "把每一步的位置信息加到它的向量上，因为注意力本身分辨不出顺序。"),
    inputs=1,
    accepts=("sequence",),
    params=(
        Param("kind", "choice", "sinusoidal", choices=("sinusoidal", "learned"),
              help=text("sinusoidal: fixed sine waves of many frequencies; learned: a trained vector per position.",
                        "sinusoidal：固定的多频率正弦波；learned：每个位置一个训练出来的向量。")),
    ),
    infer_shape=same_shape,
    count_params=count_params,
    build=build,
)
