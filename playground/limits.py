"""The instance's validation limits: models_core's defaults with the PLAYGROUND_LIMITS setting on top.
The API checks a spec against them and the worker trains under the same ones."""
import functools

from django.conf import settings

from models_core import Limits


@functools.lru_cache(maxsize=1)
def instance_limits():
    return Limits(**settings.PLAYGROUND_LIMITS)
