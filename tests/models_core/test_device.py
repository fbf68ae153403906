import logging

import pytest
import torch

from models_core import train
from models_core.device import pick_device

from .helpers import make_spec

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_cpu_is_always_cpu():
    assert pick_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="the fallback needs a machine without a GPU")
def test_without_a_gpu_auto_and_cuda_fall_back_to_cpu(caplog):
    assert pick_device("auto") == torch.device("cpu")
    with caplog.at_level(logging.WARNING, logger="models_core.device"):
        assert pick_device("cuda") == torch.device("cpu")
    assert "no CUDA GPU" in caplog.text
    r = train(make_spec(training={"device": "cuda", "epochs": 2}), None, stream=False)
    assert r.status == "succeeded"


@cuda
def test_training_on_the_gpu_streams_and_learns():
    events = []
    spec = make_spec([4], dataset={"name": "gauss", "samples": 200, "noise": 0}, training={"device": "cuda", "epochs": 10})
    r = train(spec, events.append)
    assert pick_device("auto").type == "cuda"
    assert r.status == "succeeded" and r.final["test_accuracy"] >= 0.95
    assert {e["type"] for e in events} >= {"metrics", "gradients", "boundary", "neurons", "weights"}
