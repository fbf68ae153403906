"""
Heads: the last block of a network, a linear layer that also declares the loss the trainer pairs with
it. classification_head: `classes` logits, softmax + cross-entropy; regression_head: `outputs` values,
mean squared error; token_logits: a score per vocabulary entry at every step, cross-entropy against the
next token.
"""

import torch.nn as nn

from .base import BlockType, Param, ShapeError, Tokens, text


def linear(width_param):
    def infer_shape(params, input_shapes):
        (shape,) = input_shapes
        return list(shape[:-1]) + [params[width_param]]

    def count_params(params, input_shapes):
        return (input_shapes[0][-1] + 1) * params[width_param]

    def build(params, input_shapes):
        return nn.Linear(input_shapes[0][-1], params[width_param])  # (B, [T,] F) -> (B, [T,] width)
    return infer_shape, count_params, build


def _vocab_from_input(params, input_shape):
    """token_logits with vocab 0 scores the token input's vocabulary."""
    if params["vocab"]:
        return params
    if not isinstance(input_shape, Tokens):
        raise ShapeError("has vocab 0 (the input's vocabulary) but the input is not token ids: "
                         "set vocab, or set the input's kind to 'tokens'")
    return {**params, "vocab": input_shape.vocab}


CLASSIFICATION = BlockType(
    type="classification_head",
    group="heads",
    help=text("The output for classes: one score per class; softmax turns them into probabilities, trained by cross-entropy.",
              "分类输出：每个类别一个分数；softmax 把它们变成概率，用交叉熵训练。"),
    inputs=1,
    accepts=("vector",),
    loss="cross_entropy",
    params=(Param("classes", "int", 2, min=2, max_from="max_width",
                  help=text("How many classes to tell apart.", "要区分多少个类别。")),),
    **dict(zip(("infer_shape", "count_params", "build"), linear("classes"))),
)

REGRESSION = BlockType(
    type="regression_head",
    group="heads",
    help=text("The output for numbers: predicts values, trained by the mean squared error.",
              "数值输出：预测数值，用均方误差训练。"),
    inputs=1,
    accepts=("vector",),
    loss="mse",
    params=(Param("outputs", "int", 1, min=1, max_from="max_width",
                  help=text("How many numbers to predict.", "要预测多少个数。")),),
    **dict(zip(("infer_shape", "count_params", "build"), linear("outputs"))),
)

TOKEN_LOGITS = BlockType(
    type="token_logits",
    group="heads",
    help=text("The output of a language model: at every step, a score for each possible next token.",
              "语言模型的输出：在每一步，为每个可能的下一个词元打分。"),
    inputs=1,
    accepts=("vector", "sequence"),
    loss="cross_entropy",
    from_input=_vocab_from_input,
    params=(Param("vocab", "int", 0, min=0, max_from="max_vocab",
                  help=text("How many tokens to score; 0: the vocabulary of the token input.",
                            "要打分的词元个数；0 表示与词元输入的词表相同。")),),
    **dict(zip(("infer_shape", "count_params", "build"), linear("vocab"))),
)
