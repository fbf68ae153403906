"""Fact 5: attention looks things up by position, and without positions it is order-blind.

- reverse (8 tokens of 8 symbols) with one `attention` head (models_core.lessons.reverse_with_attention):
  after training, the attention argmax of step t falls on step 7 − t, its mirror, for ≥ 90 % of the
  test set's steps — in the map the run view shows (the probe's `attention` message) and over the
  whole test set.
- a two-block Transformer (lessons.transformer_reverse) learns reverse with `positional_encoding` and
  fails without it: its outputs then follow any permutation of its inputs, so step t sees only its own
  token and the bag of all of them, and it can do no better than the best order-blind guess.

The runs go through train(); the test-set measurement uses the model it hands back (RunResult.model).
"""
import functools

import pytest
import torch

from models_core import train, validate_spec
from models_core.datasets import make_dataset
from models_core.graph_model import GraphModel
from models_core.lessons import reverse_with_attention, transformer_reverse

SEEDS = (1, 2, 3)  # 1: the lesson's default
MIRROR_SHARE = 0.90


@functools.cache
def streamed_run(seed):
    """train() on the attention lesson, streaming: (result, the last attention message)."""
    events = []
    result = train(reverse_with_attention(seed=seed), events.append, visual_interval=1e9)
    assert result.status == "succeeded", result.reason
    return result, [e for e in events if e["type"] == "attention"][-1]


def mirror_share(maps):
    """maps (B, T, T), queries × keys -> the share of queries whose strongest key is their mirror."""
    steps = maps.shape[-1]
    mirror = torch.arange(steps - 1, -1, -1)
    return float((maps.argmax(dim=-1) == mirror).float().mean())


@pytest.mark.parametrize("seed", SEEDS)
def test_facts_attention_looks_at_the_mirrored_position_in_the_run_view(seed):
    result, message = streamed_run(seed)
    assert result.final["test_accuracy"] >= 0.9  # it has learned to reverse
    (layer,) = message["layers"]
    assert layer["node"] == "attend" and layer["type"] == "attention" and len(layer["heads"]) == 1
    probe = torch.tensor(layer["heads"][0])  # (T, T) for the probe sequence, as the student sees it
    assert probe.shape == (8, 8) and mirror_share(probe[None]) >= MIRROR_SHARE


@pytest.mark.parametrize("seed", SEEDS)
def test_facts_attention_looks_at_the_mirrored_position_over_the_test_set(seed):
    spec = reverse_with_attention(seed=seed)
    result, _ = streamed_run(seed)
    model = result.model.eval()  # the very model train() ended with
    ds = make_dataset(spec["dataset"])
    model.capture_attention(True)
    with torch.no_grad():
        model(ds.x_test)
    maps = model.attention_weights()["attend"][:, 0]  # (B, T, T): the one head
    assert len(maps) == 400 and mirror_share(maps) >= MIRROR_SHARE


def order_blind_ceiling(x):
    """The best expected accuracy on reverse of any model that sees, at step t, only its own token and
    the bag of all tokens: guess the commonest token of the bag without x_t. x: (B, T) token ids."""
    b, steps = x.shape
    counts = torch.nn.functional.one_hot(x).sum(dim=1)  # (B, V): the bag
    others = counts[:, None, :] - torch.nn.functional.one_hot(x, counts.shape[1])  # (B, T, V): the bag without x_t
    return float(others.max(dim=-1).values.float().mean() / (steps - 1))


@functools.cache
def transformer_accuracy(positional, seed):
    result = train(transformer_reverse(positional=positional, seed=seed), None, stream=False)
    assert result.status == "succeeded", result.reason
    return result.final["test_accuracy"]


@pytest.mark.parametrize("seed", SEEDS)
def test_facts_a_transformer_without_positional_encoding_fails_reverse(seed):
    with_positions, without = transformer_accuracy(True, seed), transformer_accuracy(False, seed)
    assert with_positions >= 0.9
    assert without < 0.5  # fails: wrong on most steps
    ceiling = order_blind_ceiling(make_dataset(transformer_reverse(seed=seed)["dataset"]).x_test)
    assert without <= ceiling + 0.03, (without, ceiling)  # 0.03: about 4 standard errors over 3,200 steps


def test_without_positional_encoding_the_transformer_is_order_blind():
    """Permuting the input tokens permutes the outputs the same way, whatever the weights."""
    spec = transformer_reverse(positional=False)
    torch.manual_seed(0)
    model = GraphModel(validate_spec(spec)).eval()
    x = make_dataset(spec["dataset"]).x_test[:16]  # (16, 8) token ids
    perm = torch.randperm(8)
    with torch.no_grad():
        assert torch.allclose(model(x[:, perm]), model(x)[:, perm], atol=1e-5)
        with_positions = GraphModel(validate_spec(transformer_reverse(positional=True))).eval()
        assert not torch.allclose(with_positions(x[:, perm]), with_positions(x)[:, perm], atol=1e-3)
