"""Every block's shape inference and parameter count against the real module (micrograd's spirit:
PyTorch is the reference), with a forward and a backward pass through each."""

import json

import pytest
import torch

from models_core.blocks import REGISTRY, Tokens, catalogue
from models_core.blocks.base import kind_of

# (block type, params (defaults filled in by check_params), input shapes)
CASES = [
    ("dense", {"units": 5}, [[7]]),
    ("dense", {"units": 3, "bias": False, "init": "xavier"}, [[4, 6]]),
    ("dense", {"units": 4, "init": "he"}, [[9]]),
    ("activation", {"fn": "gelu"}, [[3, 4]]),
    ("activation", {"fn": "leaky_relu", "slope": 0.2}, [[2, 5, 5]]),
    ("activation", {"fn": "softmax"}, [[3, 4, 4]]),
    ("activation", {"fn": "sign"}, [[6]]),
    ("dropout", {"p": 0.3}, [[2, 4, 4]]),
    ("batchnorm", {}, [[6]]),
    ("batchnorm", {}, [[5, 3]]),
    ("batchnorm", {}, [[3, 4, 4]]),
    ("layernorm", {}, [[6]]),
    ("layernorm", {}, [[5, 3]]),
    ("layernorm", {}, [[3, 4, 4]]),
    ("flatten", {}, [[2, 3, 4]]),
    ("flatten", {}, [[5, 3]]),
    ("reshape", {"target": [1, 4, 4]}, [[16]]),
    ("reshape", {"target": [-1, 2]}, [[2, 3, 4]]),
    ("add", {}, [[4, 3], [4, 3], [4, 3]]),
    ("concat", {}, [[3], [5]]),
    ("concat", {}, [[2, 4, 4], [3, 4, 4]]),
    ("concat", {}, [[6, 2], [6, 3]]),
    ("perceptron", {"units": 3}, [[4]]),
    ("conv2d", {"channels": 4, "kernel": 3, "stride": 1, "padding": 1}, [[1, 8, 8]]),
    ("conv2d", {"channels": 2, "kernel": 5, "stride": 2, "padding": 0, "bias": False}, [[3, 9, 11]]),
    ("maxpool2d", {}, [[2, 7, 8]]),
    ("avgpool2d", {"kernel": 3, "stride": 1}, [[2, 5, 5]]),
    ("rnn", {"hidden": 4}, [[6, 3]]),
    ("rnn", {"hidden": 3, "layers": 2, "bidirectional": True, "output": "sequence"}, [[5, 2]]),
    ("lstm", {"hidden": 4, "layers": 2}, [[6, 3]]),
    ("lstm", {"hidden": 3, "bidirectional": True}, [[4, 5]]),
    ("gru", {"hidden": 5, "output": "sequence"}, [[4, 2]]),
    ("gru", {"hidden": 2, "layers": 3, "bidirectional": True}, [[4, 2]]),
    ("embedding", {"dim": 6}, [Tokens([5], 11)]),
    ("positional_encoding", {}, [[7, 5]]),
    ("positional_encoding", {"kind": "learned"}, [[7, 6]]),
    ("attention", {}, [[5, 6]]),
    ("attention", {"causal": True}, [[4, 3]]),
    ("multi_head_attention", {"heads": 2}, [[5, 8]]),
    ("multi_head_attention", {"heads": 3, "causal": True}, [[4, 6]]),
    ("latent_attention", {"heads": 2, "latent": 3}, [[5, 8]]),
    ("transformer_block", {}, [[5, 8]]),
    ("transformer_block", {"attention": "single", "mlp_ratio": 2}, [[4, 6]]),
    ("transformer_block", {"attention": "latent", "heads": 2, "latent": 4, "causal": True}, [[4, 6]]),
    ("classification_head", {"classes": 3}, [[7]]),
    ("regression_head", {"outputs": 2}, [[7]]),
    ("token_logits", {"vocab": 13}, [[5, 6]]),
]


def full(block, params):
    out, errors = block.check_params(params)
    assert not errors, errors
    return out


def example(shape, batch=3):
    if isinstance(shape, Tokens):
        return torch.randint(0, shape.vocab, (batch, *shape))  # (B, T) ids
    return torch.randn(batch, *shape)


def test_every_block_has_a_case():
    assert {t for t, _, _ in CASES} | {"input"} == set(REGISTRY)


@pytest.mark.parametrize("type_, params, shapes", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_shape_and_params_match_the_real_module(type_, params, shapes):
    torch.manual_seed(0)
    block = REGISTRY[type_]
    params = full(block, params)
    assert all(kind_of(s) in block.accepts for s in shapes)
    want = block.infer_shape(params, shapes)
    module = block.build(params, shapes)
    xs = [example(s) for s in shapes]
    for x in xs:
        x.requires_grad_(x.is_floating_point())
    y = module(*xs)
    assert list(y.shape) == [3] + list(want)
    assert block.count_params(params, shapes) == sum(p.numel() for p in module.parameters())
    y.float().sum().backward()  # the backward pass runs (step/sign give zero gradients, honestly)
    trainable = [p for p in module.parameters() if p.requires_grad]
    assert all(p.grad is not None for p in trainable) or type_ == "perceptron"


def test_catalogue_describes_every_block_in_both_languages():
    cat = catalogue()
    json.dumps(cat, ensure_ascii=False)
    assert [b["type"] for b in cat] == list(REGISTRY)
    for b in cat:
        assert b["help"]["en"] and b["help"]["zh-hans"] and b["group"]
        for p in b["params"]:
            assert p["help"]["en"] and p["help"]["zh-hans"], (b["type"], p["name"])
            assert p["kind"] in ("int", "float", "bool", "choice", "shape")
    by = {b["type"]: b for b in cat}
    assert by["perceptron"]["trained_by"] == "rosenblatt" and by["dense"]["trained_by"] == "backprop"
    assert (by["classification_head"]["loss"], by["regression_head"]["loss"], by["token_logits"]["loss"]) == \
        ("cross_entropy", "mse", "cross_entropy")
    assert by["conv2d"]["accepts"] == ["image"] and by["embedding"]["accepts"] == ["tokens"]
    channels = next(p for p in by["input"]["params"] if p["name"] == "channels")
    assert channels["when"] == {"kind": ["image"]}
    assert next(p for p in by["reshape"]["params"])["default"] == [-1]


def test_step_and_sign_have_zero_gradients_and_perceptron_outputs_0_or_1():
    for fn in ("step", "sign"):
        x = torch.tensor([-1.0, 0.3, 2.0], requires_grad=True)
        (REGISTRY["activation"].build({"fn": fn}, [[3]])(x) * 3).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]
    assert REGISTRY["activation"].build({"fn": "sign"}, [[3]])(torch.tensor([-2.0, 0.0, 5.0])).tolist() == [-1, 0, 1]
    p = REGISTRY["perceptron"].build({"units": 2}, [[3]])
    with torch.no_grad():
        p.weight.copy_(torch.tensor([[1.0, 0, 0], [0, -1.0, 0]]))
        p.bias.zero_()
    assert p(torch.tensor([[2.0, 3.0, 0.0], [-1.0, -1.0, 5.0]])).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_recurrent_last_state_is_the_final_step_of_each_direction():
    torch.manual_seed(0)
    block = REGISTRY["gru"]
    seq = block.build(full(block, {"hidden": 3, "bidirectional": True, "output": "sequence"}), [[5, 2]])
    last = block.build(full(block, {"hidden": 3, "bidirectional": True}), [[5, 2]])
    last.load_state_dict(seq.state_dict())
    x = torch.randn(4, 5, 2)
    y = seq(x)  # (B, T, 2H): forward states then backward states
    assert torch.allclose(last(x), torch.cat([y[:, -1, :3], y[:, 0, 3:]], dim=1), atol=1e-6)


def test_sinusoidal_encoding_and_softmax_axes():
    pe = REGISTRY["positional_encoding"].build({"kind": "sinusoidal"}, [[4, 5]])
    assert torch.allclose(pe(torch.zeros(1, 4, 5))[0, 2], torch.tensor(
        [torch.sin(torch.tensor(2.0)), torch.cos(torch.tensor(2.0)), torch.sin(torch.tensor(2 / 10000 ** 0.4)),
         torch.cos(torch.tensor(2 / 10000 ** 0.4)), torch.sin(torch.tensor(2 / 10000 ** 0.8))]), atol=1e-6)
    image = REGISTRY["activation"].build({"fn": "softmax"}, [[3, 2, 2]])(torch.randn(2, 3, 2, 2))
    assert torch.allclose(image.sum(dim=1), torch.ones(2, 2, 2))  # over the channels


def test_dense_inits():
    torch.manual_seed(0)
    for init in ("xavier", "he"):
        layer = REGISTRY["dense"].build({"units": 300, "bias": True, "init": init}, [[200]])
        assert layer.bias.abs().max() == 0
        std = layer.weight.std().item()
        want = (2 / 500) ** 0.5 if init == "xavier" else (2 / 200) ** 0.5
        assert abs(std - want) / want < 0.05, (init, std, want)
