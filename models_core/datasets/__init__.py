"""
The datasets. registry.py holds the one table (DatasetInfo rows: name, family, problem, params, help,
generator) and what reads it: check_dataset, make_dataset, catalogue, gives. One module per family
checks and makes its sets: plane.py (the 2-D sets and EXTENT), curves.py (the 1-D regression sets and
poly_features), kinds.py (the image, sequence and text sets, whose generators are data_images.py,
data_sequences.py and data_corpus.py, and their preview examples). dataset.py holds the trainer's
Dataset. None of them imports anything of models_core above them (the views, the spec, the trainer).
"""

from ..data_sequences import IGNORE
from ..features import FEATURES
from .curves import poly_features
from .dataset import Dataset
from .kinds import examples, input_params, step_labels
from .plane import EXTENT
from .registry import (CURVES, DATASETS, FAMILIES, PLANE, DatasetInfo, catalogue, check_dataset, gives,
                       input_width, make_dataset)

__all__ = ["CURVES", "DATASETS", "EXTENT", "FAMILIES", "FEATURES", "IGNORE", "PLANE", "Dataset", "DatasetInfo",
           "catalogue", "check_dataset", "gives", "examples", "input_params", "input_width", "make_dataset",
           "poly_features", "step_labels"]
