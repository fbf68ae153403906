"""
Multi-head latent attention (DeepSeek-V2): keys and values are rebuilt from one shared latent
c = x W_dkv of `latent` numbers per token, K = c W_uk, V = c W_uv. At inference only c is cached, so
the KV cache holds `latent` floats per token instead of 2 · heads · head_dim. (DeepSeek also compresses
the queries and adds a decoupled RoPE key; this teaching version leaves those out.)
"""

import torch.nn as nn

from .attention import BYTES, attend, causal_param
from .base import BlockType, Param, text
from .multi_head_attention import check_heads, heads_param


class LatentAttention(nn.Module):
    def __init__(self, width, heads, latent, causal):
        super().__init__()
        assert width % heads == 0
        self.wq = nn.Linear(width, width, bias=False)
        self.w_dkv = nn.Linear(width, latent, bias=False)  # down: the shared latent, what gets cached
        self.w_uk = nn.Linear(latent, width, bias=False)  # up: keys of all heads
        self.w_uv = nn.Linear(latent, width, bias=False)  # up: values of all heads
        self.c_proj = nn.Linear(width, width, bias=False)
        self.nh, self.causal, self.capture, self.weights = heads, causal, False, None

    def forward(self, x):
        B, T, C = x.shape
        c = self.w_dkv(x)  # (B, T, latent)
        q, k, v = self.wq(x), self.w_uk(c), self.w_uv(c)  # 3 × (B, T, C)
        q, k, v = (z.view(B, T, self.nh, C // self.nh).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()  # (B, nh, T, T)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    def kv_cache_bytes_per_token(self):
        return self.w_dkv.out_features * BYTES  # only the latent


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    check_heads(shape[1], params["heads"])
    return list(shape)


def count_params(params, input_shapes):
    f, lat = input_shapes[0][1], params["latent"]
    return 2 * f * f + 3 * f * lat  # wq, c_proj; w_dkv, w_uk, w_uv


def activations(params, input_shapes):
    t, f = input_shapes[0]
    return 4 * t * f + t * params["latent"] + 2 * params["heads"] * t * t


def latent_param(when=()):
    return Param("latent", "int", 16, min=1, max_from="max_width", when=when,
                 help=text("Size of the shared key-value latent: all a token leaves in the KV cache.",
                           "共享的键值潜向量大小：每个词元在 KV 缓存中只留下它。"))


BLOCK = BlockType(
    type="latent_attention",
    group="attention",
    help=text("DeepSeek's multi-head latent attention: keys and values come from one small shared latent, "
              "so the KV cache shrinks.",
              "DeepSeek 的多头潜在注意力：键和值都由一个小的共享潜向量生成，因此 KV 缓存更小。"),
    inputs=1,
    accepts=("sequence",),
    attention=True,
    activations=activations,
    params=(heads_param(), latent_param(), causal_param()),
    infer_shape=infer_shape,
    count_params=count_params,
    build=lambda params, shapes: LatentAttention(shapes[0][1], params["heads"], params["latent"], params["causal"]),
)
