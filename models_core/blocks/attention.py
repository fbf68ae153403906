"""
Single-head scaled dot-product attention: every step t of a sequence (T, F) asks a query q_t, every
step offers a key k_s and a value v_s, and t gets Σ_s softmax_s(q_t·k_s / √d) v_s. Causal: t sees only
s ≤ t. `attend` is shared by every attention block: fused scaled_dot_product_attention normally, and an
explicit softmax(QKᵀ/√d) path when a probe sets `module.capture = True` (the fused kernel never exposes
the weights); the probabilities (B, nh, T, T) are then left in `module.weights`.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .base import BlockType, Param, text

BYTES = 4  # float32


def attend(q, k, v, causal, capture=False):
    """q, k, v: (B, nh, T, hs) -> (y (B, nh, T, hs), probabilities (B, nh, T, T) or None)."""
    if not capture:
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal), None
    t = q.shape[-2]
    att = (q @ k.transpose(-2, -1)) / math.sqrt(k.shape[-1])  # (B, nh, T, T)
    if causal:
        mask = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
        att = att.masked_fill(~mask, float("-inf"))
    att = F.softmax(att, dim=-1)
    assert att.shape[-2:] == (t, t)
    return att @ v, att  # (B, nh, T, hs)


class Attention(nn.Module):
    """One head, head size = F: y = softmax(Q Kᵀ / √F) V with Q = x W_q, K = x W_k, V = x W_v."""

    def __init__(self, width, causal):
        super().__init__()
        self.query = nn.Linear(width, width, bias=False)
        self.key = nn.Linear(width, width, bias=False)
        self.value = nn.Linear(width, width, bias=False)
        self.causal, self.capture, self.weights = causal, False, None

    def forward(self, x):
        q, k, v = (m(x).unsqueeze(1) for m in (self.query, self.key, self.value))  # (B, 1, T, F)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()
        return y.squeeze(1)  # (B, T, F)

    def kv_cache_bytes_per_token(self):
        return 2 * self.key.out_features * BYTES  # a key and a value of F floats


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
