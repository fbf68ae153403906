"""The block catalogue's pace (issue 5): steps per second of a LeNet-sized CNN on 16×16 digits, a
2-layer LSTM and a 2-block Transformer on toy sequences, with and without their instrumentation, on
the CPU here and on CUDA when there is one; and `validate_spec` latency for a 50-node graph.

Instrumentation overhead = how much longer the same run takes when it streams every event (metrics,
gradients, histograms, the probe views, the confusion matrix) into a sink that JSON-encodes each one,
as the publisher does, against `stream=False`. Publishing itself (database + channel layer) is part A
of benchmarks/run.py.
"""
import json
import statistics
import time

import torch

from models_core import validate_spec
from models_core.train import train

REPEATS = 5


def chain(*nodes):
    ids = [n[0] for n in nodes]
    return {"nodes": [{"id": i, "type": t, "params": p} for i, t, p in nodes],
            "edges": [[a, b] for a, b in zip(ids, ids[1:])]}


MODELS = {
    # LeCun's LeNet-5 shape, sized for 16×16: conv 6@5×5 → pool → conv 16@3×3 → pool → 120 → 84 → 10
    "LeNet CNN, digits16": ({"network": chain(
        ("in", "input", {"kind": "image"}), ("c1", "conv2d", {"channels": 6, "kernel": 5, "padding": 2}),
        ("a1", "activation", {"fn": "relu"}), ("p1", "maxpool2d", {}),
        ("c2", "conv2d", {"channels": 16, "kernel": 3}), ("a2", "activation", {"fn": "relu"}), ("p2", "maxpool2d", {}),
        ("f", "flatten", {}), ("d1", "dense", {"units": 16}), ("a3", "activation", {"fn": "relu"}),
        ("out", "dense", {"units": 10})),
        "dataset": {"name": "digits16", "samples": 2000}}, 32),
    "2-layer LSTM, delayed_recall": ({"network": chain(
        ("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 16}),
        ("l", "lstm", {"hidden": 64, "layers": 2, "output": "sequence"}), ("out", "dense", {"units": 8})),
        "dataset": {"name": "delayed_recall", "length": 32, "lag": 8, "symbols": 8}}, 32),
    "2-block Transformer, reverse": ({"network": chain(
        ("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 64}), ("pe", "positional_encoding", {}),
        ("t1", "transformer_block", {"heads": 4}), ("t2", "transformer_block", {"heads": 4}),
        ("out", "token_logits", {})),
        "dataset": {"name": "reverse", "length": 16, "vocab": 16}}, 32),
}


def _spec(base, batch, steps, device):
    return {**base, "training": {"optimizer": "adam", "learning_rate": 0.003, "batch_size": batch, "steps": steps,
                                 "device": device}}


def bench_model(name, base, batch, device, steps):
    spec = validate_spec(_spec(base, batch, steps, device), limits=_roomy())
    train(spec, stream=False)  # warm-up: the dataset's cache, kernels, allocator
    off, on, events = [], [], []
    for _ in range(REPEATS):  # interleaved, medians
        t0 = time.perf_counter()
        train(spec, stream=False)
        off.append(time.perf_counter() - t0)
        sink_bytes = []
        t0 = time.perf_counter()
        train(spec, lambda e: sink_bytes.append(len(json.dumps(e))), visual_interval=0.1)
        on.append(time.perf_counter() - t0)
        events.append(sink_bytes)
    off_s, on_s = statistics.median(off), statistics.median(on)
    return {"device": device, "params": spec.total_params, "batch": batch, "steps": steps,
            "steps_per_s_off": round(steps / off_s, 1), "steps_per_s_instrumented": round(steps / on_s, 1),
            "instrumentation_overhead_pct": round(100 * (on_s / off_s - 1), 1),
            "events_per_run": len(events[-1]), "largest_message_kb": round(max(events[-1]) / 1024, 1)}


def _roomy():
    from models_core import Limits
    return Limits(max_params=1_000_000)  # the 2-block Transformer at width 64 is ~100k parameters


def bench_validation(nodes=50, repeats=200):
    """A 50-node graph mixing every family of block, validated as on every edit."""
    layers = [("in", "input", {"kind": "tokens"}), ("e", "embedding", {"dim": 16}), ("pe", "positional_encoding", {})]
    kinds = [("transformer_block", {"heads": 2}), ("layernorm", {}), ("dropout", {}), ("multi_head_attention", {"heads": 2}),
             ("latent_attention", {"heads": 2, "latent": 8}), ("attention", {})]
    while len(layers) < nodes - 1:
        t, p = kinds[len(layers) % len(kinds)]
        layers.append((f"n{len(layers)}", t, p))
    layers.append(("out", "token_logits", {}))
    spec = {"network": chain(*layers), "dataset": {"name": "reverse"}}
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        validate_spec(spec)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"nodes": nodes, "median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times))], 2)}


def run(steps=500):  # a few epochs: a lesson's run is thousands of steps, start and end costs amortise
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    out = {"models": {}, "validation": bench_validation()}
    for name, (base, batch) in MODELS.items():
        for device in devices:
            out["models"][f"{name} ({device})"] = r = bench_model(name, base, batch, device, steps)
            print(name, r, flush=True)
    return out


def markdown(result):
    lines = ["## C. The block catalogue: steps per second and instrumentation overhead", "",
             "| model | device | parameters | batch | steps/s instrumented | steps/s off | overhead | events / largest message |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in result["models"].items():
        lines.append(f"| {name.rsplit(' (', 1)[0]} | {r['device']} | {r['params']:,} | {r['batch']} | {r['steps_per_s_instrumented']} | "
                     f"{r['steps_per_s_off']} | {r['instrumentation_overhead_pct']} % | {r['events_per_run']} / {r['largest_message_kb']} KB |")
    v = result["validation"]
    lines += ["", f"Medians of {REPEATS} interleaved repeats of {next(iter(result['models'].values()))['steps']} steps. "
              "Overhead target ≤ 10 % of step time. No GPU was lent to the machine that wrote this report "
              "unless a cuda row is listed.", "",
              f"`validate_spec` on a {v['nodes']}-node graph (embedding, attention of every kind, layer norms): "
              f"median {v['median_ms']} ms, p95 {v['p95_ms']} ms (target p95 ≤ 50 ms).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(run()))
