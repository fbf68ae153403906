"""
The block registry. To add a block: write blocks/<name>.py that makes a BlockType called BLOCK, and
list it in _BLOCKS below. Everything else (validation, the editor's catalogue, the model) follows.
"""

from ..limits import Limits
from . import activation, dense
from . import input as input_block  # (input is a builtin)
from .base import BlockType, Param, ShapeError

_BLOCKS = (input_block.BLOCK, dense.BLOCK, activation.BLOCK)

REGISTRY = {b.type: b for b in _BLOCKS}
assert len(REGISTRY) == len(_BLOCKS), "two blocks share a type name"


def catalogue(limits=Limits()):
    """JSON-ready description of every block for GET /api/blocks."""
    return [b.as_dict(limits) for b in _BLOCKS]


__all__ = ["REGISTRY", "catalogue", "BlockType", "Param", "ShapeError"]
