"""Kept for old import paths only (playground/web/views.py reads DATASETS for the names): the 1-D sets
are rows of the one table in datasets/registry.py, made by datasets/curves.py."""

from .datasets import CURVES as DATASETS
from .datasets import poly_features

__all__ = ["DATASETS", "poly_features"]
