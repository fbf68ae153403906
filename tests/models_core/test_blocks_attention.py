"""Attention blocks: the explicit capture path equals the fused kernel, its probabilities are causal
when asked, and the KV cache sizes follow the architecture (MLA caches only its latent)."""

import math

import pytest
import torch

from models_core.blocks import REGISTRY
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph

ATTENTION = [("attention", {"causal": False}, 1), ("multi_head_attention", {"heads": 4, "causal": False}, 4),
             ("latent_attention", {"heads": 2, "latent": 3, "causal": False}, 2),
             ("transformer_block", {"attention": "latent", "heads": 4, "latent": 5, "causal": False}, 4),
             ("transformer_block", {"attention": "single", "causal": False}, 1)]


def build(type_, params, t=6, f=8):
    block = REGISTRY[type_]
    params, errors = block.check_params(params)
    assert not errors
    return block.build(params, [[t, f]])


@pytest.mark.parametrize("type_, params, heads", ATTENTION)
@pytest.mark.parametrize("causal", [False, True])
def test_capture_path_matches_the_fused_kernel(type_, params, heads, causal):
    torch.manual_seed(0)
    m = build(type_, {**params, "causal": causal})
    x = torch.randn(3, 6, 8)
    fused = m(x)
    assert m.weights is None
    m.capture = True
    explicit = m(x)
    assert torch.allclose(fused, explicit, atol=1e-5)
    att = m.weights  # (B, nh, T, T)
    assert att.shape == (3, heads, 6, 6)
    assert torch.allclose(att.sum(-1), torch.ones(3, heads, 6), atol=1e-6)
    if causal:
        assert torch.all(att.triu(diagonal=1) == 0)
        assert torch.allclose(att[..., 0, 0], torch.ones(3, heads))  # the first step sees only itself
    else:
        assert torch.all(att > 0)


def test_single_head_weights_are_softmax_of_scaled_scores():
    torch.manual_seed(0)
    m = build("attention", {})
    m.capture = True
    x = torch.randn(2, 6, 8)
    m(x)
    q, k = m.query(x), m.key(x)
    assert torch.allclose(m.weights[:, 0], torch.softmax(q @ k.transpose(1, 2) / math.sqrt(8), dim=-1), atol=1e-6)


def test_causal_attention_ignores_the_future():
    torch.manual_seed(0)
    m = build("multi_head_attention", {"heads": 2, "causal": True})
    x = torch.randn(1, 6, 8)
    y = m(x)
    x2 = x.clone()
    x2[:, 4:] = torch.randn(1, 2, 8)  # change the last two steps
    assert torch.allclose(m(x2)[:, :4], y[:, :4], atol=1e-6)
    assert not torch.allclose(m(x2)[:, 4:], y[:, 4:])


def test_kv_cache_bytes_per_token():
    assert build("attention", {}, f=8).kv_cache_bytes_per_token() == 2 * 8 * 4
    assert build("multi_head_attention", {"heads": 4}, f=16).kv_cache_bytes_per_token() == 2 * 4 * (16 // 4) * 4
    assert build("latent_attention", {"heads": 4, "latent": 6}, f=16).kv_cache_bytes_per_token() == 6 * 4
    assert build("transformer_block", {"attention": "latent", "heads": 2, "latent": 5}, f=16).kv_cache_bytes_per_token() == 20


def test_graph_model_captures_a_language_models_attention():
    net = {"nodes": [{"id": "in", "type": "input", "params": {"kind": "tokens", "length": 7, "vocab": 20}},
                     {"id": "emb", "type": "embedding", "params": {"dim": 8}},
                     {"id": "pos", "type": "positional_encoding", "params": {"kind": "learned"}},
                     {"id": "t1", "type": "transformer_block", "params": {"heads": 2, "causal": True}},
                     {"id": "t2", "type": "transformer_block", "params": {"attention": "latent", "heads": 4, "latent": 4,
                                                                          "causal": True}},
                     {"id": "ln", "type": "layernorm"},
                     {"id": "out", "type": "token_logits"}],
           "edges": [["in", "emb"], ["emb", "pos"], ["pos", "t1"], ["t1", "t2"], ["t2", "ln"], ["ln", "out"]]}
    g = infer_graph(net)
    assert g.nodes["in"] == {"shape": [7], "params": 0, "type": "input", "vocab": 20}
    assert g.nodes["out"]["shape"] == [7, 20]
    assert next(n for n in g.network["nodes"] if n["id"] == "out")["params"] == {"vocab": 20}  # taken from the input
    model = GraphModel(g)
    assert model.attention_ids == ["t1", "t2"]
    x = torch.randint(0, 20, (2, 7))
    y = model(x)
    model.capture_attention()
    assert torch.allclose(model(x), y, atol=1e-5)
    weights = model.attention_weights()
    assert weights["t1"].shape == (2, 2, 7, 7) and weights["t2"].shape == (2, 4, 7, 7)
    assert sum(p.numel() for p in model.parameters()) == g.total_params


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("type_, params, heads", ATTENTION)
def test_fused_and_captured_attention_agree_on_the_gpu(type_, params, heads):
    torch.manual_seed(0)
    m = build(type_, {**params, "causal": True})
    x = torch.randn(3, 6, 8)
    cpu = m(x)
    m = m.cuda()
    fused = m(x.cuda())  # whichever fused kernel the GPU picks
    m.capture = True
    explicit = m(x.cuda())
    assert torch.allclose(fused.cpu(), cpu, atol=1e-3) and torch.allclose(explicit.cpu(), cpu, atol=1e-3)
    assert m.weights.shape == (3, heads, 6, 6) and m.weights.is_cuda
