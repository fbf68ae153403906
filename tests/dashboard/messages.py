"""Synthetic run messages of the documented shapes (docs/api.md, "Websocket" and "Instrumentation by
kind"), for rendering tests that feed the dashboard by hand. Deterministic; no training behind them."""
import math
import random

SPEC_2D = {
    "network": {"nodes": [{"id": "in", "type": "input"}, {"id": "h1", "type": "dense", "params": {"units": 4}},
                          {"id": "a1", "type": "activation", "params": {"fn": "tanh"}},
                          {"id": "out", "type": "dense", "params": {"units": 1}}],
                "edges": [["in", "h1"], ["h1", "a1"], ["a1", "out"]]},
    "dataset": {"name": "xor", "samples": 200, "noise": 0.1, "train_fraction": 0.5, "features": ["x1", "x2"], "seed": 1},
    "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10, "epochs": 20000, "seed": 1},
}


def metric_point(epoch, rng):
    loss = 0.7 * math.exp(-epoch / 3000) + 0.05 + rng.random() * 0.01
    return {"step": epoch * 10, "epoch": epoch, "train_loss": round(loss, 5), "test_loss": round(loss * 1.1, 5),
            "train_accuracy": round(min(1, 0.5 + epoch / 20000), 4), "test_accuracy": round(min(1, 0.48 + epoch / 21000), 4),
            "t": 0}


def grid(size, f):
    return [[round(f(-6 + 12 * c / (size - 1), -6 + 12 * r / (size - 1)), 4) for c in range(size)] for r in range(size)]


def snapshot(points=12000, seq=100):
    rng = random.Random(1)
    metrics = [metric_point(e, rng) for e in range(1, points + 1)]
    gradients = [{"step": p["step"], "epoch": p["epoch"], "norms": [0.5 / (1 + p["epoch"] / 100), 0.02 * math.exp(-p["epoch"] / 4000)],
                  "mean_abs": [0.01, 0.001]} for p in metrics]
    data = [[rng.uniform(-6, 6), rng.uniform(-6, 6)] for _ in range(200)]
    train = [[x, y, 1 if x * y > 0 else 0] for x, y in data[:100]]
    test = [[x, y, 1 if x * y > 0 else 0] for x, y in data[100:]]
    return {
        "type": "snapshot", "run": "synthetic", "seq": seq, "step": metrics[-1]["step"] if metrics else 0,
        "status": "running", "reason": None, "spec": SPEC_2D, "final": None,
        "data": {"train": train, "test": test, "problem": "classification", "classes": 2},
        "history": {"metrics": metrics, "gradients": {"layers": ["h1", "out"], "points": gradients}, "downsampled": False},
        "latest": {"boundary": None, "neurons": None, "weights": None, "settings": None, "curve": None},
    }


def live(seq, epoch):
    """One live message of each kind a 2-D, image or sequence run can send."""
    rng = random.Random(seq)
    tokens = ["a", "b", "b", "a", "c", "a"]
    T = len(tokens)
    return [
        {"type": "metrics", "seq": seq, "step": epoch * 10, "epoch": epoch, "points": [metric_point(epoch, rng)]},
        {"type": "boundary", "seq": seq + 1, "step": epoch * 10, "epoch": epoch, "extent": [-6, 6], "size": 25, "kind": "probability",
         "z": grid(25, lambda x, y: 1 / (1 + math.exp(-x * y / 4)))},
        {"type": "neurons", "seq": seq + 2, "step": epoch * 10, "epoch": epoch, "size": 12,
         "nodes": {"a1": [grid(12, lambda x, y, k=k: math.tanh((x * math.cos(k) + y * math.sin(k)) / 3)) for k in range(4)],
                   "out": [grid(12, lambda x, y: math.tanh(x * y / 9))]}},
        {"type": "histograms", "seq": seq + 3, "step": epoch * 10, "epoch": epoch,
         "layers": [{"node": "h1", "weights": {"lo": -1 - epoch / 1e4, "hi": 1 + epoch / 1e4, "counts": [rng.randint(0, 9) for _ in range(20)]},
                     "grads": {"lo": -0.01, "hi": 0.01, "counts": [rng.randint(0, 9) for _ in range(20)]}},
                    {"node": "out", "weights": {"lo": -2, "hi": 2, "counts": [rng.randint(0, 3) for _ in range(20)]}, "grads": None}]},
        {"type": "conv", "seq": seq + 4, "step": epoch * 10, "epoch": epoch,
         "probe": {"image": [[(r * c) % 7 / 6 for c in range(16)] for r in range(16)], "label": "3"},
         "layers": [{"node": "c1", "type": "conv2d", "kernels": [[[rng.uniform(-1, 1) for _ in range(3)] for _ in range(3)] for _ in range(4)],
                     "maps": [[[rng.random() for _ in range(14)] for _ in range(14)] for _ in range(4)]},
                    {"node": "p1", "type": "maxpool2d", "maps": [[[rng.random() for _ in range(7)] for _ in range(7)] for _ in range(4)]}]},
        {"type": "confusion", "seq": seq + 5, "step": epoch * 10, "epoch": epoch, "classes": [str(k) for k in range(10)],
         "matrix": [[(20 if r == c else rng.randint(0, 2)) for c in range(10)] for r in range(10)],
         "mistakes": [{"true": "3", "pred": "8", "image": [[rng.random() for _ in range(16)] for _ in range(16)]},
                      {"true": "1", "pred": "0", "tokens": ["1", "0", "1"]}]},
        {"type": "recurrent", "seq": seq + 6, "step": epoch * 10, "epoch": epoch, "tokens": tokens,
         "layers": [{"node": "r1", "kind": "lstm", "hidden": [[math.tanh(t - u) for u in range(8)] for t in range(T)],
                     "gates": {g: [[rng.random() for _ in range(8)] for _ in range(T)] for g in ("input", "forget", "output")}}]},
        {"type": "attention", "seq": seq + 7, "step": epoch * 10, "epoch": epoch, "tokens": tokens,
         "layers": [{"node": "att1", "type": "attention", "heads": [[[1 / T] * T for _ in range(T)],
                                                                  [[1.0 if k == q else 0.0 for k in range(T)] for q in range(T)]]},
                    {"node": "att2", "type": "attention", "heads": [[[1 / T] * T for _ in range(T)]]}]},
        {"type": "kv_cache", "seq": seq + 8, "step": 0, "epoch": 0,
         "blocks": [{"node": "att1", "type": "attention", "bytes_per_token": 512},
                    {"node": "att2", "type": "latent_attention", "bytes_per_token": 128}]},
    ]
