"""
A pre-LayerNorm transformer block (GPT-2 / nanoGPT): x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)), with
mlp = Linear(F, r·F) → GELU → Linear(r·F, F). The attention is single-head, multi-head or latent.
"""

from . import attention, latent_attention, multi_head_attention
from .attention import causal_param
from .base import BlockType, Param, text
from .latent_attention import latent_param
from .modules import Attention, LatentAttention, MultiHeadAttention, TransformerBlock
from .multi_head_attention import check_heads, heads_param

KINDS = ("multi_head", "single", "latent")
MULTI = ("multi_head", "latent")  # the kinds that have heads


def make_attention(width, params):
    kind, causal = params["attention"], params["causal"]
    if kind == "single":
        return Attention(width, causal)
    if kind == "latent":
        return LatentAttention(width, params["heads"], params["latent"], causal)
    return MultiHeadAttention(width, params["heads"], causal)


def infer_shape(params, input_shapes):
    (shape,) = input_shapes
    if params["attention"] in MULTI:
        check_heads(shape[1], params["heads"])
    return list(shape)


def _attention_block(params):
    return {"single": attention.BLOCK, "multi_head": multi_head_attention.BLOCK,
            "latent": latent_attention.BLOCK}[params["attention"]]


def count_params(params, input_shapes):
    f, r = input_shapes[0][1], params["mlp_ratio"]
    attn = _attention_block(params).count_params(params, input_shapes)
    return 4 * f + attn + (f * r * f + r * f) + (r * f * f + f)  # 2 layer norms, attention, mlp


def activations(params, input_shapes):
    t, f = input_shapes[0]
    return 4 * t * f + _attention_block(params).activations(params, input_shapes) + 2 * t * params["mlp_ratio"] * f


BLOCK = BlockType(
    type="transformer_block",
    group="attention",
    help=text("A transformer layer: attention, then a small MLP, each with layer norm before and a skip connection around.",
              "一个 Transformer 层：先注意力，再一个小 MLP，每个前面有层归一化、外面有跳跃连接。"),
    inputs=1,
    accepts=("sequence",),
    attention=True,
    activations=activations,
    params=(
        Param("attention", "choice", "multi_head", choices=KINDS,
              help=text("Which attention: multi_head, single (one head) or latent (DeepSeek's MLA).",
                        "使用哪种注意力：multi_head（多头）、single（单头）或 latent（DeepSeek 的 MLA）。")),
        heads_param(when=("attention", MULTI)),
        latent_param(when=("attention", ("latent",))),
        causal_param(),
        Param("mlp_ratio", "int", 4, min=1, max=8,
              help=text("The MLP's hidden width as a multiple of the block's width.", "MLP 隐藏层宽度是本层宽度的几倍。")),
    ),
    infer_shape=infer_shape,
    count_params=count_params,
    build=lambda params, shapes: TransformerBlock(shapes[0][1], make_attention(shapes[0][1], params), params["mlp_ratio"]),
)
