"""
The shipped lesson configurations: each function returns a full spec {"network", "dataset",
"training"} (the format of docs/api.md) that makes one point of the course. The numbers are the ones
measured to make that point reliably within the default instance limits and a small CPU budget; the
fact tests (tests/models_core/test_facts_*.py) train them and docs/facts.md records what they gave.

A lesson is plain data: a caller may change any field (a seed, the budget) and validate it again.
"""

import math


def chain(*nodes):
    """(id, type, params) triples, each feeding the next -> a network."""
    ids = [n[0] for n in nodes]
    return {"nodes": [{"id": i, "type": t, "params": dict(p)} for i, t, p in nodes],
            "edges": [[a, b] for a, b in zip(ids, ids[1:])]}


def _training(seed, **kw):
    return {"optimizer": "adam", "device": "cpu", "seed": seed, **kw}


# -----------------------------------------------------------------------------
# fact 3: Bishop's curve fitting (Deep Learning §1.2)

def polynomial_fit(degree=3, samples=10, ln_lambda=None, seed=None):
    """A single dense unit on the powers 1, x, …, x^M is the polynomial of degree M, fitted in closed
    form. ln_lambda: an L2 penalty of rate e^ln_lambda (ln λ = −18 tames M = 9 on 10 points).
    seed None: the dataset's default seed."""
    training = {"solver": "closed_form", "device": "cpu"}
    if ln_lambda is not None:
        training["regularization"] = {"kind": "l2", "rate": math.exp(ln_lambda)}
    dataset = {"name": "curve_fit", "samples": samples, "degree": degree}
    if seed is not None:
        dataset["seed"] = seed
    return {"network": chain(("in", "input", {}), ("out", "dense", {"units": 1})), "dataset": dataset,
            "training": training}


# -----------------------------------------------------------------------------
# fact 4: long memory (Hochreiter & Schmidhuber's adding problem)

ADDING_LENGTH = 50  # the marked values lie up to 49 steps before the answer
ADDING_BUDGET = 1500  # steps of 32 sequences


def long_memory(cell="lstm", seed=0):
    """The adding problem over 50 steps with a 16-unit `cell` (rnn, lstm or gru): sum the two marked
    values. Answering the mean every time scores an MSE of about 1/6; solving it means a tenth of that.
    Measured here (seeds 0–9): gru solves it within 200 steps, lstm after a plateau of 500–1,100 steps,
    and a plain rnn of the same size stays at the baseline: the gradient from the answer fades before it
    reaches the first marker (fact 4's first half). The 1,500-step budget leaves room for the slowest
    lstm seed; Adam with gradient clipping gives the rnn a fair chance."""
    assert cell in ("rnn", "lstm", "gru")
    return {"network": chain(("in", "input", {"kind": "sequence"}), ("memory", cell, {"hidden": 16}),
                             ("out", "regression_head", {})),
            "dataset": {"name": "adding", "length": ADDING_LENGTH, "samples": 2000, "seed": seed},
            "training": _training(seed, learning_rate=0.02, batch_size=32, steps=ADDING_BUDGET, clip_grad_norm=1.0)}


# -----------------------------------------------------------------------------
# fact 5: attention can look up a position; without positions it is order-blind

# 8 tokens of 8 symbols: short enough that 600 steps learn it completely (100 % in seeds 1–3), long
# enough that an order-blind guess is poor (about a third of the steps right)
REVERSE = {"name": "reverse", "length": 8, "vocab": 8, "samples": 2000}


def reverse_with_attention(seed=1):
    """Token → embedding + positions → one attention head → token scores: to write the string
    backwards, step t must look at step T − 1 − t, and the attention map shows it doing so (for
    every query of the test set, in seeds 1–3)."""
    return {"network": chain(("in", "input", {"kind": "tokens"}), ("embed", "embedding", {"dim": 16}),
                             ("pos", "positional_encoding", {"kind": "sinusoidal"}),
                             ("attend", "attention", {}), ("out", "token_logits", {})),
            "dataset": {**REVERSE, "seed": seed},
            "training": _training(seed, learning_rate=0.01, batch_size=32, steps=600, clip_grad_norm=1.0)}


def transformer_reverse(positional=True, seed=1):
    """A two-block Transformer on reverse. Without positional_encoding every step sees the same bag of
    tokens, so the net cannot tell which one mirrors it: it fails, however long it trains."""
    nodes = [("in", "input", {"kind": "tokens"}), ("embed", "embedding", {"dim": 16})]
    if positional:
        nodes.append(("pos", "positional_encoding", {"kind": "sinusoidal"}))
    block = {"attention": "multi_head", "heads": 2, "mlp_ratio": 2}
    nodes += [("block1", "transformer_block", block), ("block2", "transformer_block", block), ("out", "token_logits", {})]
    return {"network": chain(*nodes), "dataset": {**REVERSE, "seed": seed},
            "training": _training(seed, learning_rate=0.01, batch_size=32, steps=600, clip_grad_norm=1.0)}


# -----------------------------------------------------------------------------
# fact 6: multi-head latent attention shrinks the KV cache

def toy_lm(attention="multi_head_attention", seed=1):
    """A one-block character language model of the English toy corpus: embedding and learned positions
    of width 32, a causal transformer_block with 4 heads whose attention is the multi_head_attention or
    the latent_attention module, then the next-token scores. With latent_attention a token caches a
    latent of 8 floats instead of 4 heads × 8 keys and 4 × 8 values: 12.5 % of the bytes. A cosine
    schedule over 20 epochs (about 1,100 steps) brings both close to converged, so their losses compare
    what each can learn rather than how fast it starts (the latent one starts slower)."""
    kind = {"multi_head_attention": "multi_head", "latent_attention": "latent"}[attention]
    block = {"attention": kind, "heads": 4, "causal": True, "mlp_ratio": 4, **({"latent": 8} if kind == "latent" else {})}
    return {"network": chain(("in", "input", {"kind": "tokens"}), ("embed", "embedding", {"dim": 32}),
                             ("pos", "positional_encoding", {"kind": "learned"}), ("block", "transformer_block", block),
                             ("norm", "layernorm", {}), ("out", "token_logits", {})),
            "dataset": {"name": "toy_corpus", "language": "en", "sentences": 2000, "seed": seed},
            "training": _training(seed, learning_rate=0.01, batch_size=32, epochs=20, clip_grad_norm=1.0,
                                  schedule={"kind": "cosine"})}


# -----------------------------------------------------------------------------
# fact 7: convolution on images

# strong jitter (shifts up to 2.5 px, rotations up to 20°): where the CNN's shared filters pay off
# (measured: CNN 82–89 %, MLP 52–60 %; at the default jitter 0.5 the gap is only 3–10 points)
DIGITS16 = {"name": "digits16", "samples": 2000, "jitter": 1.0, "noise": 0.2}


def digits_cnn(seed=1):
    """Two 3×3 conv layers (8, then 16 channels), each with ReLU and 2×2 max pooling, then the 10
    class scores: 3,818 parameters. The same filter slides everywhere, so a shifted digit is still seen."""
    return {"network": chain(("in", "input", {"kind": "image"}),
                             ("conv1", "conv2d", {"channels": 8, "kernel": 3, "padding": 1}),
                             ("relu1", "activation", {"fn": "relu"}), ("pool1", "maxpool2d", {}),
                             ("conv2", "conv2d", {"channels": 16, "kernel": 3, "padding": 1}),
                             ("relu2", "activation", {"fn": "relu"}), ("pool2", "maxpool2d", {}),
                             ("flat", "flatten", {}), ("out", "classification_head", {"classes": 10})),
            "dataset": {**DIGITS16, "seed": seed},
            "training": _training(seed, learning_rate=0.01, batch_size=32, steps=600)}


def digits_mlp(seed=1):
    """256 pixels → 16 → 16 → 10 with ReLU: 4,554 parameters, more than the CNN's, but each weight is
    tied to one pixel, so a digit moved by two pixels is new to it."""
    return {"network": chain(("in", "input", {"kind": "image"}), ("flat", "flatten", {}),
                             ("hidden1", "dense", {"units": 16}), ("relu1", "activation", {"fn": "relu"}),
                             ("hidden2", "dense", {"units": 16}), ("relu2", "activation", {"fn": "relu"}),
                             ("out", "classification_head", {"classes": 10})),
            "dataset": {**DIGITS16, "seed": seed},
            "training": _training(seed, learning_rate=0.01, batch_size=32, steps=600)}
