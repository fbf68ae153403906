"""
Epochs per second with streaming on and off, for the two benchmark networks:
  (a) circle, 500 samples, half for training, batch 10: 2 → dense 4 → tanh → dense 2 → tanh → dense 1
  (b) spiral, 500 samples, half for training, batch 10: six dense(8) + tanh layers, then dense 1
Streaming goes to a sink that appends to a list, with visuals every 0.1 s.

    python -m models_core.speed [--epochs 300] [--repeats 3] [--threads 1]
"""

import argparse
import statistics
import time

import torch

from .spec import validate_spec
from .train import train


def chain(widths, fn="tanh", out_units=1):
    nodes, edges, prev = [{"id": "in", "type": "input"}], [], "in"
    for i, w in enumerate(widths, 1):
        nodes += [{"id": f"h{i}", "type": "dense", "params": {"units": w}},
                  {"id": f"a{i}", "type": "activation", "params": {"fn": fn}}]
        edges += [[prev, f"h{i}"], [f"h{i}", f"a{i}"]]
        prev = f"a{i}"
    nodes.append({"id": "out", "type": "dense", "params": {"units": out_units}})
    edges.append([prev, "out"])
    return {"nodes": nodes, "edges": edges}


def bench_spec(name, widths, epochs):
    return {"network": chain(widths),
            "dataset": {"name": name, "samples": 500, "train_fraction": 0.5, "features": ["x1", "x2"]},
            "training": {"optimizer": "sgd", "learning_rate": 0.03, "batch_size": 10, "epochs": epochs,
                         "device": "cpu"}}


def measure(v, stream):
    """(epochs per second, visual refreshes per second)"""
    events = []
    t0 = time.perf_counter()
    r = train(v, events.append, stream=stream, visual_interval=0.1)
    dt = time.perf_counter() - t0
    return r.epochs / dt, sum(1 for e in events if e["type"] == "boundary") / dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cases = {"(a) circle 2-4-2-1": bench_spec("circle", [4, 2], args.epochs),
             "(b) spiral 6 × dense(8)": bench_spec("spiral", [8] * 6, args.epochs)}
    train(validate_spec(bench_spec("circle", [4, 2], 2)), None, stream=False)  # warm up: imports, allocator
    for label, spec in cases.items():
        v = validate_spec(spec)
        on, off, vis = [], [], []
        for _ in range(args.repeats):  # interleaved, so drifts in machine load hit both alike
            eps, hz = measure(v, True)
            on.append(eps)
            vis.append(hz)
            off.append(measure(v, False)[0])
        m_on, m_off = statistics.median(on), statistics.median(off)
        print(f"{label}: stream on {m_on:6.1f} epochs/s ({statistics.median(vis):4.1f} visual refreshes/s), "
              f"stream off {m_off:6.1f} epochs/s, streaming costs {100 * (1 - m_on / m_off):4.1f} %")


if __name__ == "__main__":
    main()
