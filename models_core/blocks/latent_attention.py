"""
Multi-head latent attention (DeepSeek-V2): keys and values are rebuilt from one shared latent
c = x W_dkv of `latent` numbers per token, K = c W_uk, V = c W_uv. At inference only c is cached, so
the KV cache holds `latent` floats per token instead of 2 · heads · head_dim. (DeepSeek also compresses
the queries and adds a decoupled RoPE key; this teaching version leaves those out.)
"""

from .attention import causal_param
from .base import BlockType, Param, text
from .modules import LatentAttention
from .multi_head_attention import check_heads, heads_param


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
