"""Fact 7: a small CNN beats an MLP with as many or more parameters on 16×16 digits.

The lesson (models_core.lessons.digits_cnn / digits_mlp): digits16 with strong jitter (shifts up to
2.5 pixels, rotations up to 20°) and some noise; two 3×3 conv layers with max pooling (3,818
parameters) against 256 → 16 → 16 → 10 (4,554 parameters), the same 600 Adam steps of 32 images.
The same filters slide over the whole image, so the CNN recognises a shifted digit; each of the MLP's
weights belongs to one pixel. Trained through train(); per-seed numbers in docs/facts.md.
"""
import pytest

from models_core import train, validate_spec
from models_core.lessons import digits_cnn, digits_mlp

SEEDS = (1, 2, 3)  # 1: the lesson's default


def test_the_mlp_has_at_least_as_many_parameters_and_the_same_data_and_budget():
    cnn, mlp = digits_cnn(), digits_mlp()
    assert validate_spec(mlp).total_params >= validate_spec(cnn).total_params
    assert (cnn["dataset"], cnn["training"]) == (mlp["dataset"], mlp["training"])
    assert {n["type"] for n in mlp["network"]["nodes"]}.isdisjoint({"conv2d", "maxpool2d", "avgpool2d"})


@pytest.mark.parametrize("seed", SEEDS)
def test_facts_a_small_cnn_beats_a_bigger_mlp_on_16x16_digits(seed):
    accuracy = {}
    for name, lesson in (("cnn", digits_cnn), ("mlp", digits_mlp)):
        result = train(lesson(seed=seed), None, stream=False)
        assert result.status == "succeeded", result.reason
        accuracy[name] = result.final["test_accuracy"]
    assert accuracy["cnn"] > accuracy["mlp"], accuracy
