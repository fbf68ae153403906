import itertools
import json

import pytest
import torch
import torch.nn as nn

from models_core import Limits, validate_spec
from models_core.blocks import REGISTRY, BlockType, Param, catalogue
from models_core.blocks.activation import FUNCTIONS
from models_core.graph_model import GraphModel

from .helpers import chain, make_spec


@pytest.mark.parametrize("fan_in, units, bias", list(itertools.product([1, 2, 7], [1, 3, 16], [True, False])))
def test_dense_shape_and_params_match_the_real_module(fan_in, units, bias):
    block, params = REGISTRY["dense"], {"units": units, "bias": bias}
    module = block.build(params, [[fan_in]])
    y = module(torch.randn(5, fan_in))
    assert list(y.shape[1:]) == block.infer_shape(params, [[fan_in]])  # micrograd spirit: the module is the reference
    assert block.count_params(params, [[fan_in]]) == sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_activation_shape_and_params_match_the_real_module(fn):
    block = REGISTRY["activation"]
    module = block.build({"fn": fn}, [[6]])
    assert list(module(torch.randn(4, 6)).shape[1:]) == block.infer_shape({"fn": fn}, [[6]]) == [6]
    assert block.count_params({"fn": fn}, [[6]]) == sum(p.numel() for p in module.parameters()) == 0


def test_validated_shapes_and_counts_match_the_built_model():
    for widths, feats in [([4, 2], ["x1", "x2"]), ([8] * 6, ["x1", "x2", "x1_sq", "sin_x2"]), ([], ["x1x2"])]:
        v = validate_spec(make_spec(widths, dataset={"features": feats}))
        model = GraphModel(v)
        y, outs = model(torch.randn(3, len(feats)), keep=True)
        for nid, info in v.nodes.items():
            assert list(outs[nid].shape[1:]) == info["shape"], nid
        assert sum(p.numel() for p in model.parameters()) == v.total_params
        assert y.shape == (3, 1)


def test_activation_functions():
    x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
    build = lambda fn: REGISTRY["activation"].build({"fn": fn}, [[5]])  # noqa: E731
    assert torch.equal(build("linear")(x), x)
    assert torch.equal(build("relu")(x), torch.relu(x))
    assert torch.allclose(build("sigmoid")(x), torch.sigmoid(x))
    assert torch.allclose(build("tanh")(x), torch.tanh(x))
    assert build("step")(x).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_step_has_zero_gradient():
    x = torch.tensor([-1.0, 0.3, 2.0], requires_grad=True)
    (REGISTRY["activation"].build({"fn": "step"}, [[3]])(x) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_catalogue_is_json_ready_and_follows_limits():
    cat = catalogue(Limits(max_units=32))
    json.dumps(cat)
    by_type = {b["type"]: b for b in cat}
    assert list(by_type)[:3] == ["input", "dense", "activation"]
    assert [by_type[t]["inputs"] for t in ("input", "dense", "activation", "add")] == [0, 1, 1, 2]
    assert [by_type[t]["max_inputs"] for t in ("input", "dense", "add", "concat")] == [0, 1, None, None]
    units = by_type["dense"]["params"][0]
    assert (units["name"], units["kind"], units["default"], units["min"], units["max"]) == ("units", "int", 8, 1, 32)
    fn = by_type["activation"]["params"][0]
    assert fn["choices"] == ["linear", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax"]
    assert fn["default"] == "tanh"
    for b in cat:
        assert set(b["help"]) == {"en", "zh-hans"}
        assert all(set(p["help"]) == {"en", "zh-hans"} for p in b["params"])
    assert catalogue()[1]["params"][0]["max"] == 16


def test_a_new_block_is_one_more_registry_entry(monkeypatch):
    """What adding blocks/scale.py would do: validation, counting and the model pick it up."""
    class Scale(nn.Module):
        def __init__(self, width, init):
            super().__init__()
            self.gain = nn.Parameter(torch.full((width,), init))

        def forward(self, x):
            return x * self.gain

    scale = BlockType(
        type="scale", group="layers", inputs=1,
        help={"en": "Multiplies each unit by a learned gain.", "zh-hans": "每个单元乘以一个可学习的增益。"},
        params=(Param("init", "float", 1.0, min=-5.0, max=5.0, help={"en": "start gain", "zh-hans": "初始增益"}),),
        infer_shape=lambda params, shapes: list(shapes[0]),
        count_params=lambda params, shapes: shapes[0][0],
        build=lambda params, shapes: Scale(shapes[0][0], params["init"]),
    )
    monkeypatch.setitem(REGISTRY, "scale", scale)
    spec = {"network": {"nodes": [{"id": "in", "type": "input"}, {"id": "s", "type": "scale", "params": {"init": 2}},
                                  {"id": "out", "type": "dense", "params": {"units": 1}}],
                        "edges": [["in", "s"], ["s", "out"]]}}
    v = validate_spec(spec)
    assert v.nodes["s"] == {"shape": [2], "params": 2, "type": "scale"} and v.total_params == 5
    assert GraphModel(v).layer_ids == ["s", "out"]
    spec["network"]["nodes"][1]["params"]["init"] = 9
    with pytest.raises(Exception) as exc:
        validate_spec(spec)
    assert exc.value.errors[0].message == "init must be between -5 and 5 (got 9)"


def test_graph_model_runs_nodes_in_topological_order():
    # nodes listed out of order: the model still feeds each node after its source
    net = chain([3])
    net["nodes"] = list(reversed(net["nodes"]))
    v = validate_spec({"network": net, "dataset": {"name": "xor"}})
    model = GraphModel(v)
    assert model.ids == ["h1", "a1", "out"]
    assert model(torch.zeros(2, 2)).shape == (2, 1)
