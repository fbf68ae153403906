"""Networks that together use every block type, each checked on its own input (infer_graph: no dataset)."""


def chain(*nodes, extra_edges=()):
    """nodes: (id, type, params) in order, each fed by the one before; plus extra [from, to] edges."""
    out = [{"id": i, "type": t, "params": p} for i, t, p in nodes]
    edges = [[a["id"], b["id"]] for a, b in zip(out, out[1:])]
    return {"nodes": out, "edges": edges + [list(e) for e in extra_edges]}


FNS = ("linear", "step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softmax")

# name -> (network, tabular input width)
NETWORKS = {
    "mlp_activations": (chain(
        ("in", "input", {}), ("h1", "dense", {"units": 8}),
        *[(f"a_{fn}", "activation", {"fn": fn, **({"slope": 0.2} if fn == "leaky_relu" else {})}) for fn in FNS],
        ("d1", "dense", {"units": 6, "bias": False}), ("drop", "dropout", {"p": 0.3}), ("bn", "batchnorm", {}),
        ("ln", "layernorm", {}), ("out", "dense", {"units": 1})), 3),
    "residual_merge": ({
        "nodes": [{"id": "in", "type": "input"}, {"id": "h1", "type": "dense", "params": {"units": 8}},
                  {"id": "h2", "type": "dense", "params": {"units": 8}}, {"id": "sum", "type": "add"},
                  {"id": "cat", "type": "concat"}, {"id": "out", "type": "regression_head", "params": {"outputs": 2}}],
        "edges": [["in", "h1"], ["in", "h2"], ["h1", "sum"], ["h2", "sum"], ["sum", "cat"], ["h1", "cat"], ["cat", "out"]]}, 2),
    "perceptron": (chain(("in", "input", {}), ("p", "perceptron", {"units": 3})), 2),
    "cnn": (chain(
        ("img", "input", {"kind": "image", "channels": 2, "height": 12, "width": 10}),
        ("c1", "conv2d", {"channels": 4, "kernel": 3, "padding": 1}), ("bn", "batchnorm", {}), ("ln", "layernorm", {}),
        ("r", "activation", {"fn": "relu"}), ("mp", "maxpool2d", {}), ("sm", "activation", {"fn": "softmax"}),
        ("c2", "conv2d", {"channels": 3, "kernel": 2, "stride": 2, "padding": 0, "bias": False}),
        ("ap", "avgpool2d", {"kernel": 1, "stride": 1}), ("drop", "dropout", {"p": 0.5}), ("flat", "flatten", {}),
        ("head", "classification_head", {"classes": 5})), None),
    "image_merge": ({
        "nodes": [{"id": "img", "type": "input", "params": {"kind": "image", "channels": 1, "height": 8, "width": 8}},
                  {"id": "a", "type": "conv2d", "params": {"channels": 2}}, {"id": "b", "type": "conv2d", "params": {"channels": 2}},
                  {"id": "s", "type": "add"}, {"id": "c", "type": "concat"}, {"id": "f", "type": "flatten"},
                  {"id": "o", "type": "dense", "params": {"units": 3}}],
        "edges": [["img", "a"], ["img", "b"], ["a", "s"], ["b", "s"], ["s", "c"], ["a", "c"], ["c", "f"], ["f", "o"]]}, None),
    "recurrent": (chain(
        ("seq", "input", {"kind": "sequence", "length": 7, "features": 3}),
        ("l", "lstm", {"hidden": 5, "layers": 2, "output": "sequence", "bidirectional": True}),
        ("bn", "batchnorm", {}), ("g", "gru", {"hidden": 4, "output": "sequence"}),
        ("r", "rnn", {"hidden": 6, "bidirectional": True}), ("o", "dense", {"units": 2})), None),
    "reshape_rnn": (chain(
        ("img", "input", {"kind": "image", "channels": 1, "height": 6, "width": 4}), ("flat", "flatten", {}),
        ("rs", "reshape", {"target": [6, -1]}), ("r", "rnn", {"hidden": 3}), ("rs2", "reshape", {"target": [1, 3]}),
        ("f2", "flatten", {}), ("o", "dense", {"units": 1})), None),
    "transformer": (chain(
        ("tok", "input", {"kind": "tokens", "length": 9, "vocab": 20}), ("emb", "embedding", {"dim": 8}),
        ("pe", "positional_encoding", {"kind": "learned"}), ("pe2", "positional_encoding", {}),
        ("att", "attention", {"causal": True}), ("mha", "multi_head_attention", {"heads": 2, "causal": True}),
        ("mla", "latent_attention", {"heads": 4, "latent": 3}),
        ("tb1", "transformer_block", {"heads": 2, "causal": True, "mlp_ratio": 2}),
        ("tb2", "transformer_block", {"attention": "single"}),
        ("tb3", "transformer_block", {"attention": "latent", "heads": 2, "latent": 4}),
        ("logits", "token_logits", {})), None),
    # ids that are not Python names: keywords, digits, spaces, a module attribute
    "awkward_ids": (chain(("in", "input", {}), ("1st layer", "dense", {"units": 4}), ("class", "activation", {}),
                          ("train", "dense", {"units": 4}), ("x", "dense", {"units": 1})), 2),
}
