"""Shape inference through whole graphs: errors name the node and say what to insert; the 2-D datasets
keep their tabular input; limits on sequence length and activation memory."""

import pytest
import torch

from models_core import Limits, SpecInvalid, validate_spec
from models_core.graph_model import GraphModel
from models_core.spec import infer_graph


def net(*chain, inp=None, edges=()):
    """in → chain[0] → chain[1] → ... as nodes n0, n1, ...; (type, params) pairs."""
    nodes, pairs, prev = [{"id": "in", "type": "input", "params": inp or {}}], [], "in"
    for i, (type_, params) in enumerate(chain):
        nodes.append({"id": f"n{i}", "type": type_, "params": params})
        pairs.append([prev, f"n{i}"])
        prev = f"n{i}"
    return {"nodes": nodes, "edges": pairs + [list(e) for e in edges]}


def only_error(fn):
    with pytest.raises(SpecInvalid) as exc:
        fn()
    assert len(exc.value.errors) == 1, exc.value.as_list()
    return exc.value.errors[0]


IMAGE = {"kind": "image", "channels": 1, "height": 16, "width": 16}
SEQ = {"kind": "sequence", "length": 10, "features": 8}
TOKENS = {"kind": "tokens", "length": 12, "vocab": 30}


@pytest.mark.parametrize("chain, inp, node, message", [
    ([("conv2d", {}), ("flatten", {}), ("dense", {"units": 1})], {"kind": "sequence", "length": 16, "features": 16}, "n0",
     "conv2d node 'n0' expects an image C×H×W but gets a sequence 16×16: insert a reshape to 1×16×16 before it"),
    ([("flatten", {}), ("conv2d", {})], {"kind": "sequence", "length": 16, "features": 16}, "n1",
     "conv2d node 'n1' expects an image C×H×W but gets a vector of 256: insert a reshape to 1×16×16 before it"),
    ([("dense", {"units": 4})], IMAGE, "n0",
     "dense node 'n0' expects a vector or a sequence T×F but gets an image 1×16×16: insert a flatten before it"),
    ([("lstm", {})], None, "n0",
     "lstm node 'n0' expects a sequence T×F but gets a vector of 2: insert a reshape to 2×1 (2 steps of one feature) before it"),
    ([("gru", {})], IMAGE, "n0",
     "gru node 'n0' expects a sequence T×F but gets an image 1×16×16: insert a reshape to 16×16 (rows as steps) before it"),
    ([("embedding", {})], SEQ, "n0",
     "embedding node 'n0' expects token ids but gets a sequence 10×8: set the input's kind to 'tokens' (token ids feed an embedding)"),
    ([("attention", {})], TOKENS, "n0",
     "attention node 'n0' expects a sequence T×F but gets token ids of length 12 (vocabulary 30): insert an embedding before it"),
    ([("lstm", {"output": "sequence"}), ("classification_head", {})], SEQ, "n1",
     "classification_head node 'n1' expects a vector but gets a sequence 10×16: insert a flatten before it"),
    ([("multi_head_attention", {"heads": 3})], SEQ, "n0",
     "multi_head_attention node 'n0' splits a width of 8 into 3 heads, but 3 does not divide 8: choose heads among 1, 2, 4, 8"),
    ([("transformer_block", {"heads": 5})], SEQ, "n0",
     "transformer_block node 'n0' splits a width of 8 into 5 heads, but 5 does not divide 8: choose heads among 1, 2, 4, 8"),
    ([("conv2d", {"kernel": 11, "padding": 0}), ("maxpool2d", {"kernel": 8})], IMAGE, "n1",
     "maxpool2d node 'n1' has a window of 8×8, larger than an image 8×6×6: use a smaller kernel"),
    ([("reshape", {"target": [3, 5]})], SEQ, "n0",
     "reshape node 'n0' cannot arrange a sequence 10×8 (80 values) as 3×5 (15 values): choose sizes whose product is 80, "
     "or use -1 for one of them"),
    ([("reshape", {"target": [3, -1]})], SEQ, "n0",
     "reshape node 'n0' cannot arrange a sequence 10×8 (80 values) as 3×-1: the sizes besides -1 must divide 80"),
    ([("token_logits", {})], SEQ, "n0",
     "token_logits node 'n0' has vocab 0 (the input's vocabulary) but the input is not token ids: set vocab, "
     "or set the input's kind to 'tokens'"),
])
def test_shape_errors_name_the_node_and_the_fix(chain, inp, node, message):
    e = only_error(lambda: infer_graph(net(*chain, inp=inp)))
    assert (e.node, e.message) == (node, message)
    assert e.path == f"network.nodes[{int(node[1:]) + 1}]"


def test_add_and_concat_shapes_and_arity():
    branches = net(("dense", {"units": 4}), inp={"kind": "tabular"}, edges=[["in", "b"], ["b", "s"], ["n0", "s"]])
    branches["nodes"] += [{"id": "b", "type": "dense", "params": {"units": 4}}, {"id": "s", "type": "add"}]
    assert infer_graph(branches).nodes["s"]["shape"] == [4]
    branches["nodes"][-2]["params"]["units"] = 3
    e = only_error(lambda: infer_graph(branches))
    assert e.message == ("add node 's' adds inputs of equal shape but gets a vector of 3 (input 1) and a vector of 4 "
                         "(input 2): make them the same shape, or use a concat")
    branches["nodes"][-1]["type"] = "concat"
    assert infer_graph(branches).nodes["s"]["shape"] == [7]
    branches["edges"].append(["in", "s"])  # a third input
    assert infer_graph(branches).nodes["s"]["shape"] == [9]
    e = only_error(lambda: infer_graph(net(("dense", {}), ("concat", {}))))
    assert e.message == "concat node 'n1' takes 2 inputs or more but has 1 (from n0): connect one into it"
    e = only_error(lambda: infer_graph(net(("dense", {}), ("add", {}), edges=[["in", "n1"]])))
    assert "adds inputs of equal shape but gets a vector of 8 (input 1) and a vector of 2 (input 2)" in e.message


def test_residual_convolution_graph_builds_and_runs():
    inp = {"kind": "image", "channels": 3, "height": 12, "width": 12}
    g = net(("conv2d", {"channels": 8}), ("batchnorm", {}), ("activation", {"fn": "relu"}), ("conv2d", {"channels": 8}),
            ("add", {}), ("maxpool2d", {}), ("concat", {}), ("avgpool2d", {"kernel": 3, "stride": 3}), ("flatten", {}),
            ("dropout", {"p": 0.2}), ("classification_head", {"classes": 10}), inp=inp,
            edges=[["n0", "n4"], ["n4", "side"], ["side", "n6"]])
    g["nodes"].append({"id": "side", "type": "avgpool2d"})
    info = infer_graph(g)
    assert [info.nodes[f"n{i}"]["shape"] for i in (4, 5, 6, 7, 8)] == [[8, 12, 12], [8, 6, 6], [16, 6, 6], [16, 2, 2], [64]]
    model = GraphModel(info)
    assert model.needs_eval_mode
    y = model(torch.randn(2, 3, 12, 12))
    assert y.shape == (2, 10)
    y.sum().backward()
    assert sum(p.numel() for p in model.parameters()) == info.total_params


def test_input_kinds_fill_only_their_own_params():
    g = infer_graph(net(("flatten", {}), ("dense", {"units": 1}), inp={"kind": "image", "height": 4}))
    params = g.network["nodes"][0]["params"]
    assert params == {"kind": "image", "channels": 1, "height": 4, "width": 16}
    assert g.nodes["in"]["shape"] == [1, 4, 16]
    assert infer_graph(net(("dense", {"units": 1})), input_shape=[5]).network["nodes"][0]["params"] == {"kind": "tabular"}
    g = infer_graph(net(("embedding", {"dim": 4}), ("flatten", {}), ("dense", {"units": 1}), inp={"kind": "tokens"}))
    assert g.network["nodes"][0]["params"] == {"kind": "tokens", "length": 16, "vocab": 64}
    assert g.nodes["n0"] == {"shape": [16, 4], "params": 64 * 4, "type": "embedding"}
    act = infer_graph(net(("activation", {"fn": "leaky_relu"}), ("dense", {}))).network["nodes"][1]["params"]
    assert act == {"fn": "leaky_relu", "slope": 0.01}


def test_two_d_datasets_want_a_tabular_input():
    spec = {"network": net(("flatten", {}), ("dense", {"units": 1}), inp=IMAGE), "dataset": {"name": "spiral"}}
    e = only_error(lambda: validate_spec(spec))
    assert (e.path, e.node) == ("network.nodes[0].params.kind", "in")
    assert e.message == ("input 'in' is an image 1×16×16 but dataset 'spiral' gives 2 tabular features: "
                         "use kind 'tabular', or pick an image dataset")
    spec["network"]["nodes"][0]["params"] = {"kind": "tokens"}
    assert "pick a tokens dataset" in only_error(lambda: validate_spec(spec)).message


def test_two_d_datasets_with_the_new_blocks():
    """Tabular graphs may use normalisation, dropout, skips and heads; the output still fits the problem."""
    g = net(("dense", {"units": 8, "init": "he"}), ("batchnorm", {}), ("activation", {"fn": "gelu"}), ("dropout", {"p": 0.1}),
            ("dense", {"units": 8}), ("add", {}), ("layernorm", {}), ("concat", {}), ("classification_head", {"classes": 2}),
            edges=[["n1", "n5"], ["in", "n7"]])
    v = validate_spec({"network": g, "dataset": {"name": "xor", "features": ["x1", "x2", "x1x2"]}})
    assert v.nodes["n7"]["shape"] == [11] and v.nodes["n8"]["shape"] == [2]
    model = GraphModel(v)
    assert model(torch.randn(5, 3)).shape == (5, 2)
    g["nodes"][-1] = {"id": "n8", "type": "regression_head"}
    e = only_error(lambda: validate_spec({"network": g, "dataset": {"name": "xor"}}))
    assert (e.path, e.message) == ("network.nodes[9].type", "the output node 'n8' is a regression_head (mse) but 'xor' is "
                                   "classification: use a classification_head or a dense block")
    assert validate_spec({"network": g, "dataset": {"name": "plane"}}).nodes["n8"]["shape"] == [1]
    # a tabular point can also be arranged as a tiny image for a convolution
    conv = net(("reshape", {"target": [1, 2, 2]}), ("conv2d", {"channels": 2, "kernel": 2, "padding": 0}), ("flatten", {}),
               ("dense", {"units": 1}))
    v = validate_spec({"network": conv, "dataset": {"features": ["x1", "x2", "x1_sq", "x2_sq"]}})
    assert v.nodes["n1"]["shape"] == [2, 1, 1]
    e = only_error(lambda: validate_spec({"network": net(("conv2d", {}), ("flatten", {}), ("dense", {"units": 1}))}))
    assert e.message == ("conv2d node 'n0' expects an image C×H×W but gets a vector of 2: insert a reshape to C×H×W "
                         "(with C·H·W = 2) before it")


def test_output_must_be_flat_for_the_two_d_datasets():
    spec = {"network": net(("reshape", {"target": [2, 1]}), ("dense", {"units": 1})), "dataset": {"name": "circle"}}
    e = only_error(lambda: validate_spec(spec))
    assert e.message == "the output node 'n1' gives shape [2, 1]: it must give a flat vector — insert a flatten before it"


def test_sequence_length_and_activation_memory_limits():
    e = only_error(lambda: infer_graph(net(("attention", {}), inp={"kind": "sequence", "length": 300})))
    assert (e.path, e.message) == ("network.nodes[0].params.length", "length must be between 1 and 256 (got 300)")
    e = only_error(lambda: infer_graph(net(("reshape", {"target": [-1, 1]}), ("lstm", {}), inp={**IMAGE, "height": 17})))
    assert e.message == ("reshape node 'n0' makes a sequence 272×1, longer than 256 steps: use a shorter sequence "
                         "(attention costs grow with its square)")
    seq = net(("multi_head_attention", {"heads": 4}), ("flatten", {}), ("dense", {"units": 1}),
              inp={"kind": "sequence", "length": 200, "features": 16})
    g = infer_graph(seq)
    per_sample = g.activation_bytes
    assert per_sample > 4 * 2 * 4 * 200 * 200  # at least the scores and probabilities of 4 heads
    e = only_error(lambda: infer_graph(seq, limits=Limits(max_activation_bytes=per_sample * 100), batch_size=101))
    assert e.path == "network" and e.message.startswith("the network needs about ")
    assert e.message.endswith("— use a smaller batch, shorter sequences or narrower blocks")
    infer_graph(seq, limits=Limits(max_activation_bytes=per_sample * 100), batch_size=100)


def test_validated_spec_carries_the_activation_estimate():
    from .helpers import make_spec
    v = validate_spec(make_spec([4]))
    assert v.activation_bytes == 4 * (2 + 4 + 4 + 1)  # floats of every node's output, one sample
    assert v.network is v.spec["network"]


@pytest.mark.parametrize("target, message", [
    ([], "target must be a list of 1 to 3 sizes like [1, 16, 16] (-1 once: whatever is left) (got a list)"),
    ([1, 2, 3, 4], "target must be a list of 1 to 3 sizes like [1, 16, 16] (-1 once: whatever is left) (got a list)"),
    ("4x4", "target must be a list of 1 to 3 sizes like [1, 16, 16] (-1 once: whatever is left) (got '4x4')"),
    ([4, 0], "target must be a list of 1 to 3 sizes like [1, 16, 16] (-1 once: whatever is left); sizes lie between "
             "1 and 65536 (got 0)"),
    ([4, True], "target must be a list of 1 to 3 sizes like [1, 16, 16] (-1 once: whatever is left); sizes lie between "
                "1 and 65536 (got true)"),
    ([-1, -1], "target may hold -1 only once (got [-1, -1])"),
])
def test_reshape_target_is_checked(target, message):
    e = only_error(lambda: infer_graph(net(("reshape", {"target": target}), ("dense", {}))))
    assert (e.path, e.node, e.message) == ("network.nodes[1].params.target", "n0", message)
    assert infer_graph(net(("reshape", {"target": [2.0, 1]}), ("flatten", {}), ("dense", {}))).nodes["n0"]["shape"] == [2, 1]


def test_params_of_other_kinds_are_checked_and_kept_but_not_filled():
    e = only_error(lambda: infer_graph(net(("dense", {}), inp={"kind": "tabular", "height": 0})))
    assert (e.path, e.message) == ("network.nodes[0].params.height", "height must be between 1 and 64 (got 0)")
    g = infer_graph(net(("dense", {}), inp={"kind": "tabular", "height": 8}))
    assert g.network["nodes"][0]["params"] == {"kind": "tabular", "height": 8}
    tb = infer_graph(net(("transformer_block", {"attention": "single"}), inp=SEQ)).network["nodes"][1]["params"]
    assert tb == {"attention": "single", "causal": False, "mlp_ratio": 4}  # no heads, no latent


def test_batchnorm_trains_on_a_batch_of_one():
    g = infer_graph(net(("dense", {}), ("batchnorm", {}), ("dense", {"units": 1})))
    model = GraphModel(g)
    model.train()
    model(torch.randn(1, 2)).sum().backward()  # a plain BatchNorm1d raises here: no variance in one row
