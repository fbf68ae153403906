"""The one place that decides where a run trains."""

import logging

import torch

log = logging.getLogger(__name__)


def pick_device(requested="auto"):
    """"auto" -> cuda when a GPU is visible, else cpu. "cuda" without a GPU falls back to cpu with a
    warning: a student's run should still finish, and the log tells the operator the GPU is missing."""
    assert requested in ("auto", "cpu", "cuda"), requested
    if requested == "cpu":
        return torch.device("cpu")
    if torch.cuda.is_available():  # only called inside a run: no CUDA init at import (forked workers)
        return torch.device("cuda")
    if requested == "cuda":
        log.warning("device 'cuda' was requested but no CUDA GPU is available: training on cpu")
    return torch.device("cpu")
