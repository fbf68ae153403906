"""
models_core: the pure-PyTorch half of Neural Playground. It imports nothing from Django, Celery or
Channels. See docs/models_core.md for the map of modules; `python -m models_core.speed` measures it.
"""

from .errors import SpecError, SpecInvalid
from .limits import Limits
from .spec import ValidatedSpec, validate_spec
from .train import RunResult, train

__all__ = ["validate_spec", "ValidatedSpec", "SpecInvalid", "SpecError", "Limits", "train", "RunResult"]
