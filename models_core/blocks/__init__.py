"""
The block registry. To add a block: write blocks/<name>.py that makes a BlockType called BLOCK, and
list it in _BLOCKS below. Everything else (validation, the editor's catalogue, the model) follows.
"""

from ..limits import Limits
from . import (activation, add, attention, batchnorm, concat, conv2d, dense, dropout, embedding, flatten, heads,
               latent_attention, layernorm, multi_head_attention, perceptron, pool, positional_encoding, recurrent,
               reshape, transformer_block)
from . import input as input_block  # (input is a builtin)
from .base import BlockType, Param, ShapeError, Tokens

_BLOCKS = (
    input_block.BLOCK, dense.BLOCK, activation.BLOCK,  # the spine: TensorFlow Playground
    dropout.BLOCK, batchnorm.BLOCK, layernorm.BLOCK, flatten.BLOCK, reshape.BLOCK, add.BLOCK, concat.BLOCK,
    perceptron.BLOCK,
    conv2d.BLOCK, pool.MAX, pool.AVG,
    recurrent.RNN, recurrent.LSTM, recurrent.GRU,
    embedding.BLOCK, positional_encoding.BLOCK, attention.BLOCK, multi_head_attention.BLOCK, latent_attention.BLOCK,
    transformer_block.BLOCK,
    heads.CLASSIFICATION, heads.REGRESSION, heads.TOKEN_LOGITS,
)

REGISTRY = {b.type: b for b in _BLOCKS}
assert len(REGISTRY) == len(_BLOCKS), "two blocks share a type name"


def catalogue(limits=Limits()):
    """JSON-ready description of every block for GET /api/blocks."""
    return [b.as_dict(limits) for b in _BLOCKS]


__all__ = ["REGISTRY", "catalogue", "BlockType", "Param", "ShapeError", "Tokens"]
