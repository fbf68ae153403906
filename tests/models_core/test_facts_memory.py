"""Fact 4, second half: a long-memory lesson that gated cells learn and a plain RNN cannot.

The lesson (models_core.lessons.long_memory): Hochreiter & Schmidhuber's adding problem over 50 steps
— sum the two marked values of a sequence — with 16 hidden units and 1,500 Adam steps of 32 sequences
(clipped gradients). Success is a test MSE of at most 10 % of the baseline's, the baseline being the
best constant answer (the training targets' mean). In at least 4 of 5 seeds lstm and gru succeed and
an rnn of the same size and budget fails. Trained through the product's path: train() on the spec.
Measured per seed in docs/facts.md.
"""
import functools

import pytest

from models_core import train, validate_spec
from models_core.datasets import make_dataset
from models_core.lessons import ADDING_BUDGET, long_memory

SEEDS = range(5)
SUCCESS = 0.10  # the test MSE as a fraction of the baseline's


@functools.cache
def error_fraction(cell, seed):
    """The lesson's test MSE after its budget, as a fraction of the baseline's."""
    spec = long_memory(cell, seed=seed)
    result = train(spec, None, stream=False)
    assert result.status == "succeeded" and result.steps == ADDING_BUDGET, result.reason
    return result.final["test_loss"] / baseline_mse(spec)


def baseline_mse(spec):
    """The test MSE of always answering the mean training target (about 1/6 for the adding problem)."""
    ds = make_dataset(spec["dataset"])
    return float(((ds.y_test - ds.y_train.mean()) ** 2).mean())


def test_the_cells_are_compared_like_with_like():
    specs = {cell: long_memory(cell, seed=0) for cell in ("rnn", "lstm", "gru")}
    for cell, spec in specs.items():
        assert [n["type"] for n in spec["network"]["nodes"]] == ["input", cell, "regression_head"]
        memory = spec["network"]["nodes"][1]["params"]
        assert memory == specs["rnn"]["network"]["nodes"][1]["params"]  # same hidden size
        assert (spec["dataset"], spec["training"]) == (specs["rnn"]["dataset"], specs["rnn"]["training"])
        v = validate_spec(spec)  # within the default instance limits
        assert v.nodes["in"]["shape"] == [50, 2]  # 50 steps of (value, marker)
    assert 0.15 < baseline_mse(specs["rnn"]) < 0.19  # 1/6 in expectation


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_facts_gated_cells_solve_the_adding_problem_over_50_steps(cell):
    fractions = [error_fraction(cell, seed) for seed in SEEDS]
    assert sum(f <= SUCCESS for f in fractions) >= 4, fractions


def test_facts_a_plain_rnn_of_the_same_size_and_budget_fails():
    fractions = [error_fraction("rnn", seed) for seed in SEEDS]
    assert sum(f > SUCCESS for f in fractions) >= 4, fractions
