import copy

import pytest

# The example request, verbatim: the contract every client relies on.
EXAMPLE_SPEC = {
    "network": {
        "nodes": [
            {"id": "in", "type": "input"},
            {"id": "h1", "type": "dense", "params": {"units": 8}},
            {"id": "a1", "type": "activation", "params": {"fn": "tanh"}},
            {"id": "h2", "type": "dense", "params": {"units": 8}},
            {"id": "a2", "type": "activation", "params": {"fn": "tanh"}},
            {"id": "out", "type": "dense", "params": {"units": 1}},
        ],
        "edges": [["in", "h1"], ["h1", "a1"], ["a1", "h2"], ["h2", "a2"], ["a2", "out"]],
    },
    "dataset": {"name": "spiral", "samples": 500, "noise": 0.1, "train_fraction": 0.5,
                "features": ["x1", "x2"], "seed": 1},
    "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10, "epochs": 200,
                 "regularization": {"kind": "l2", "rate": 0.001}, "seed": 1, "device": "auto"},
}


def make_spec(epochs=20, **training):
    spec = copy.deepcopy(EXAMPLE_SPEC)
    spec["training"].update(epochs=epochs, **training)
    return spec


@pytest.fixture
def spec():
    return make_spec()
