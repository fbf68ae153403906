"""
Single-head scaled dot-product attention: every step t of a sequence (T, F) asks a query q_t, every
step offers a key k_s and a value v_s, and t gets Σ_s softmax_s(q_t·k_s / √d) v_s. Causal: t sees only
s ≤ t. `attend` (modules.py) is shared by every attention block: fused scaled_dot_product_attention
normally, and an explicit softmax(QKᵀ/√d) path when a probe sets `module.capture = True` (the fused
kernel never exposes the weights); the probabilities (B, nh, T, T) are then left in `module.weights`.
"""

from .base import BlockType, Param, text
from .modules import Attention


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    return list(shape)


def count_params(params, input_shapes):
    f = input_shapes[0][1]
    return 3 * f * f


def activations(params, input_shapes):
    t, f = input_shapes[0]
    return 3 * t * f + 2 * t * t  # q, k, v and the scores and probabilities


def causal_param():
    return Param("causal", "bool", False,
                 help=text("Each step sees only itself and earlier steps (for predicting the next token).",
                           "每一步只能看到自己和之前的步（用于预测下一个词元）。"))


BLOCK = BlockType(
    type="attention",
    group="attention",
    help=text("Each step looks at every step and takes a weighted mix of their values: softmax(QKᵀ/√d)V.",
              "每一步查看所有步，并按权重混合它们的值：softmax(QKᵀ/√d)V。"),
    inputs=1,
    accepts=("sequence",),
    attention=True,
    activations=activations,
    params=(causal_param(),),
    infer_shape=infer_shape,
    count_params=count_params,
    build=lambda params, shapes: Attention(shapes[0][1], params["causal"]),
)
