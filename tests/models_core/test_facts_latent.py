"""Fact 6: multi-head latent attention (DeepSeek-V2) caches far less per token at about the same loss.

The lesson (models_core.lessons.toy_lm): a one-block character language model of the English toy
corpus, width 32 with 4 heads, whose transformer_block attends with the multi_head_attention module or
the latent_attention module (a shared key-value latent of 8). latent_attention caches ≤ 15 % of the
KV-cache bytes per token of multi_head_attention of the same width and heads (measured: 12.5 %), and
its test loss (next-token cross-entropy) is within 10 % of it (measured: +3 % to +5 %). Trained
through train(); the bytes are those of the run's `kv_cache` message. Numbers in docs/facts.md.
"""
import functools

import pytest

from models_core import train
from models_core.graph_model import GraphModel
from models_core.lessons import chain, toy_lm
from models_core.probes import kv_cache
from models_core.spec import infer_graph

SEEDS = (1, 2, 3)  # 1: the lesson's default
KINDS = ("multi_head_attention", "latent_attention")


@functools.cache
def lm_run(attention, seed):
    """(final metrics, bytes per token from the kv_cache message) of a streamed run of the lesson."""
    events = []
    result = train(toy_lm(attention, seed=seed), events.append, visual_interval=1e9)
    assert result.status == "succeeded", result.reason
    (message,) = [e for e in events if e["type"] == "kv_cache"]
    (block,) = message["blocks"]
    return result.final, block["bytes_per_token"]


def test_the_two_models_differ_only_in_their_attention():
    mha, mla = toy_lm("multi_head_attention"), toy_lm("latent_attention")
    assert (mha["dataset"], mha["training"]) == (mla["dataset"], mla["training"])
    blocks = [next(n for n in spec["network"]["nodes"] if n["type"] == "transformer_block")["params"] for spec in (mha, mla)]
    assert blocks[0] == {"attention": "multi_head", "heads": 4, "causal": True, "mlp_ratio": 4}
    assert blocks[1] == {**blocks[0], "attention": "latent", "latent": 8}


def test_facts_latent_attention_caches_at_most_15_percent_of_the_bytes_per_token():
    mha, mla = lm_run("multi_head_attention", 1)[1], lm_run("latent_attention", 1)[1]
    assert (mha, mla) == (2 * 32 * 4, 8 * 4)  # keys and values of width 32 vs a latent of 8, float32
    assert mla <= 0.15 * mha


def test_the_standalone_attention_blocks_report_the_same_cache():
    """The blocks themselves, outside a transformer_block, as the kv_cache message reports them."""
    reported = {}
    for kind in KINDS:
        params = {"heads": 4, "causal": True, **({"latent": 8} if kind == "latent_attention" else {})}
        net = chain(("in", "input", {"kind": "sequence", "length": 32, "features": 32}), ("attend", kind, params))
        (block,) = kv_cache(GraphModel(infer_graph(net)), {"attend": kind})["blocks"]
        reported[kind] = block["bytes_per_token"]
    assert reported == {"multi_head_attention": 256, "latent_attention": 32}


@pytest.mark.parametrize("seed", SEEDS)
def test_facts_latent_attention_learns_the_toy_corpus_within_10_percent_of_the_loss(seed):
    mha, mla = lm_run("multi_head_attention", seed)[0], lm_run("latent_attention", seed)[0]
    assert mha["test_loss"] < 0.7  # both have learnt the grammar's spelling (a uniform guess: ln 44 ≈ 3.8)
    assert mla["test_loss"] <= 1.10 * mha["test_loss"], (mla["test_loss"], mha["test_loss"])
