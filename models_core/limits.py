"""The bounds the server enforces on a spec. One dataclass, so a deployment can loosen or tighten them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_units: int = 16  # units in one dense block
    max_hidden_dense: int = 8  # dense blocks besides the output layer
    max_nodes: int = 64  # nodes in the graph, input included
    min_samples: int = 10  # points in a generated dataset
    max_samples: int = 2000
    max_extra_points: int = 200  # points a student added by clicking
    max_epochs: int = 10000
    max_batch_size: int = 2000
    max_learning_rate: float = 10.0  # learning_rate lies in (0, max_learning_rate]
    max_params: int = 100_000  # trainable parameters in the whole network
