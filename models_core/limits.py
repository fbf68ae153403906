"""The bounds the server enforces on a spec. One dataclass, so a deployment can loosen or tighten them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_units: int = 16  # units in one dense block
    max_hidden_dense: int = 8  # dense blocks besides the output layer
    max_nodes: int = 64  # nodes in the graph, input included
    min_samples: int = 10  # points in a generated dataset
    max_samples: int = 2000
    max_dataset_samples: int = 10000  # examples (or sentences) of an image, sequence or token dataset
    max_extra_points: int = 200  # points a student added by clicking
    max_epochs: int = 10000
    max_steps: int = 200_000  # optimizer steps of one run (training.steps)
    max_batch_size: int = 2000
    max_learning_rate: float = 10.0  # learning_rate lies in (0, max_learning_rate]
    max_params: int = 500_000  # trainable parameters in the whole network (a 2-block Transformer of width 64 is ~100k)
    max_width: int = 256  # channels, hidden size, embedding dim, latent size, classes of one block
    max_image_side: int = 64  # height and width of an image input
    max_seq_len: int = 256  # steps of any sequence (attention costs T² per head)
    max_vocab: int = 4096  # token ids of a tokens input
    max_activation_bytes: int = 256 * 2**20  # float32 activations of one training batch, estimated
