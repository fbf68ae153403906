"""`make bench`: training pace, streaming cost, coalescing and websocket latency.

Writes benchmarks/report.md and benchmarks/report.json. Numbers, not assertions: targets are listed
beside each measurement so a reader sees at once what holds.

  A. in-process (the embedded path's parts, SQLite): the real RunPublisher (persist + channel layer)
     as the sink, against stream=False; the two TensorFlow Playground configurations;
  B. the production shape on loopback: Redis, PostgreSQL, a separate Celery worker, daphne, and a
     websocket client measuring latency from the worker's metrics point to the client;
  C. the block catalogue (benchmarks/models_bench.py): steps/s of a CNN, an LSTM and a Transformer,
     instrumentation overhead, validation latency;
  D. the graph editor (benchmarks/editor_bench.py): validation round trip in the browser, 50 blocks;
  E. the run dashboard (benchmarks/dashboard_bench.py): fps in chromium under a live run for 10 minutes.

`python -m benchmarks.run` runs them all; BENCH_ONLY=A,C (letters) runs a subset.
"""
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models_core.speed import chain  # noqa: E402  the same networks models_core's own speed check uses
OUT = ROOT / "benchmarks"

# TensorFlow Playground, measured in headless chromium on one of these 2-core machines (the issue).
TFP = {"circle 2-4-2-1": 56, "spiral 6x8": 17}
REPEATS = 5


def spec(dataset, hidden, epochs, lr=0.03):
    return {
        "network": chain(hidden),
        "dataset": {"name": dataset, "samples": 500, "noise": 0.1, "train_fraction": 0.5, "features": ["x1", "x2"], "seed": 1},
        "training": {"optimizer": "sgd", "learning_rate": lr, "batch_size": 10, "epochs": epochs,
                     "regularization": {"kind": "none", "rate": 0}, "seed": 1, "device": "cpu"},
    }


def issue_example(epochs):
    """The spine issue's example request, verbatim but for the epoch count (longer, to time it)."""
    from tests.conftest import make_spec

    return make_spec(epochs=epochs)


CONFIGS = {
    "default (issue example: spiral 8-8, L2)": issue_example(300),
    "circle 2-4-2-1": spec("circle", [4, 2], 400),
    "spiral 6x8": spec("spiral", [8] * 6, 300),
}


def setup_django(db_path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_in_process():
    from django.conf import settings

    from models_core import train, validate_spec
    from playground.runs.controls import DbControl
    from playground.runs.models import Run
    from playground.runs.publisher import RunPublisher

    from playground.runs.execute import prepare_for_training

    prepare_for_training()  # as the worker does before every run
    results = {}
    for name, raw in CONFIGS.items():
        v = validate_spec(raw)
        epochs = v.spec["training"]["epochs"]
        steps_per_epoch = -(-int(500 * 0.5) // 10)
        off_times, on_times, curve_times = [], [], []
        for _ in range(REPEATS):  # interleaved, medians: the machine's other load hits both alike
            # off: the same run, still stoppable (it polls its controls), with nothing streamed
            control_run = Run.objects.create(spec=v.spec, status="running")
            t0 = time.perf_counter()
            off = train(v.spec, lambda e: None, DbControl(control_run.id), stream=False)
            off_times.append(time.perf_counter() - t0)

            # the loss curve alone: per-epoch metrics and gradients, no pictures, nothing published
            t0 = time.perf_counter()
            train(v.spec, lambda e: None, DbControl(control_run.id), visual_interval=math.inf)
            curve_times.append(time.perf_counter() - t0)

            run = Run.objects.create(spec=v.spec, status="running")
            publisher = RunPublisher(run.id, settings.PUBLISH_INTERVAL_S).start()
            counts = Counter()

            def sink(event):
                counts[event["type"]] += 1
                publisher.emit(event)

            t0 = time.perf_counter()
            on = train(v.spec, sink, DbControl(run.id), visual_interval=settings.VISUAL_INTERVAL_S)
            on_times.append(time.perf_counter() - t0)
            final = {"type": "status", "status": on.status, "final": on.final, "step": on.steps}
            publisher.close(final_messages=[final])
            last = run.events.order_by("-seq").first().payload
        off_s, on_s = statistics.median(off_times), statistics.median(on_times)
        curve_s = statistics.median(curve_times)

        results[name] = {
            "epochs": epochs,
            "repeats": REPEATS,
            "off_epochs_per_s": round(epochs / off_s, 1),
            "on_epochs_per_s": round(epochs / on_s, 1),
            "off_steps_per_s": round(epochs * steps_per_epoch / off_s),
            "on_steps_per_s": round(epochs * steps_per_epoch / on_s),
            "streaming_cost_pct": round(100 * (1 - off_s / on_s), 1),
            "curve_only_epochs_per_s": round(epochs / curve_s, 1),
            "cost_of_per_epoch_metrics_pct": round(100 * (1 - off_s / curve_s), 1),
            "cost_of_live_pictures_and_publishing_pct": round(100 * (1 - curve_s / on_s), 1),
            "boundary_refresh_per_s": round(counts["boundary"] / on_times[-1], 1),
            "neurons_refresh_per_s": round(counts["neurons"] / on_times[-1], 1),
            "channel_messages_per_s": round(publisher.sent_messages / on_times[-1], 1),
            "last_message_has_final": last.get("type") == "status" and bool(last.get("final")),
            "final_test_accuracy": on.final.get("test_accuracy"),
            "same_result_on_and_off": off.final["test_loss"] == on.final["test_loss"],
        }
        print(name, results[name], flush=True)
    return results


def bench_production(runs=3):
    """Latency from the worker's metrics point (its `t`) to a websocket client, over real Redis."""
    import psycopg
    import redis

    from tests.support.live import Processes, WebClient

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/10"
    pg_admin = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        redis.Redis.from_url(redis_url, socket_timeout=2).flushdb()
        psycopg.connect(pg_admin, connect_timeout=3).close()
    except Exception as exc:
        return {"skipped": f"Redis or PostgreSQL unreachable: {exc}"}
    db_name = f"playground_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    procs = Processes({"REDIS_URL": redis_url, "DATABASE_URL": f"{pg_admin.rsplit('/', 1)[0]}/{db_name}"})
    latencies, rates, finals, first_picture = [], [], [], []
    try:
        procs.manage("migrate", "--noinput")
        procs.start_worker("cpu")
        base = procs.start_web()
        client = WebClient(base)
        for _ in range(runs):
            posted = time.time()
            status, run = client.post("/api/runs", CONFIGS["default (issue example: spiral 8-8, L2)"])
            assert status == 201, run
            received = []
            with client.websocket(run["ws"]) as ws:
                while True:
                    message = json.loads(ws.recv(timeout=120))
                    received.append((time.time(), message))
                    if message["type"] == "status" and message["status"] in ("succeeded", "failed", "cancelled"):
                        break
            metrics = [(at, m) for at, m in received if m["type"] == "metrics"]
            first_picture.append(next(at for at, m in received if m["type"] == "boundary") - posted)
            latencies += [(at - p["t"]) * 1000 for at, m in metrics for p in m["points"] if "t" in p]
            if len(metrics) > 2:
                span = metrics[-1][0] - metrics[0][0]
                rates.append((len(metrics) - 1) / span if span else 0)
            finals.append(bool(received[-1][1].get("final")))
    finally:
        procs.stop()
        with psycopg.connect(pg_admin, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    latencies.sort()
    pct = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)  # noqa: E731
    return {
        "runs": runs,
        "points": len(latencies),
        "latency_ms_p50": pct(0.50),
        "latency_ms_p99": pct(0.99),
        "latency_ms_max": round(latencies[-1], 1),
        "metrics_messages_per_s_per_run": round(statistics.mean(rates), 1) if rates else None,
        "last_message_has_final": all(finals),
        "train_pressed_to_first_boundary_s": round(max(first_picture), 3),
    }


def write_report(report, later_lines=()):
    OUT.mkdir(exist_ok=True)
    (OUT / "report.json").write_text(json.dumps(report, indent=2))
    partial = f"; {report['partial']}" if report.get("partial") else ""
    lines = [f"# Benchmark report ({report['when']}, {report['machine']}{partial})", "",
             "## A. Training pace and streaming cost (in-process, real publisher: SQLite + channel layer)", "",
             "| configuration | epochs/s streaming | epochs/s off | streaming cost | of which: per-epoch metrics / live pictures + publishing | boundary/s | neurons/s | channel msgs/s | TF Playground |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in report["in_process"].items():
        lines.append(f"| {name} | {r['on_epochs_per_s']} | {r['off_epochs_per_s']} | {r['streaming_cost_pct']} % | "
                     f"{r['cost_of_per_epoch_metrics_pct']} % / {r['cost_of_live_pictures_and_publishing_pct']} % | "
                     f"{r['boundary_refresh_per_s']} | {r['neurons_refresh_per_s']} | {r['channel_messages_per_s']} | {TFP.get(name, '–')} |")
    lines += ["", "Medians of 5 interleaved repeats; on this shared 2-core machine single runs vary by ±5 %. "
              "Off = `stream=False`: the same run, polling its controls (so it can still be stopped), with "
              "nothing measured until the end. The per-epoch metrics "
              "(full-batch train/test loss and accuracy, gradient norms) are what the loss curve and the run's "
              "history are made of; the rest is the pictures at 10 Hz and persisting + publishing at ≤ 20 Hz.",
              "", "Targets: streaming cost ≤ 10 %; circle 2-4-2-1 ≥ 60 epochs/s and spiral 6x8 ≥ 50 epochs/s while "
              "streaming, heatmaps ≥ 10/s; ≤ ~20 channel messages/s per run; the last message carries the final metrics "
              f"({all(r['last_message_has_final'] for r in report['in_process'].values())}).", "",
              "## B. Production shape on loopback (Redis, PostgreSQL, separate Celery worker, daphne)", ""]
    prod = report["production"]
    if "skipped" in prod:
        lines.append(f"Skipped: {prod['skipped']}")
    else:
        lines += [f"- latency from a step's metrics in the worker to the websocket client over {prod['points']} points "
                  f"({prod['runs']} runs): p50 {prod['latency_ms_p50']} ms, p99 {prod['latency_ms_p99']} ms, max {prod['latency_ms_max']} ms "
                  "(targets p50 ≤ 50, p99 ≤ 250)",
                  f"- metrics messages per second per run as received: {prod['metrics_messages_per_s_per_run']} (≤ ~20)",
                  f"- last message carries the final metrics: {prod['last_message_has_final']}",
                  f"- from POST /api/runs to the first decision boundary on the websocket (worst of {prod['runs']}): "
                  f"{prod['train_pressed_to_first_boundary_s']} s (target: within a second)"]
    lines += ["", *later_lines]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _later():
    from benchmarks import dashboard_bench, editor_bench, models_bench

    return {"C": ("catalogue", models_bench.run, models_bench.markdown),
            "D": ("editor", editor_bench.run, editor_bench.section),
            "E": ("dashboard", dashboard_bench.run, dashboard_bench.markdown_section)}


def later_sections(only):
    """C–E: each module's run() for the letters asked for -> ({key: result}, None)."""
    results = {}
    for letter, (key, run, _) in _later().items():
        if letter in only:
            results[key] = run()
    return results, None


def later_markdown(report):
    return [markdown(report[key]) for key, _, markdown in _later().values() if key in report]


def main():
    only = set(os.environ.get("BENCH_ONLY", "A,B,C,D,E").split(","))
    # sections not run this time keep their numbers from the last full report
    previous = json.loads((OUT / "report.json").read_text()) if (OUT / "report.json").exists() else {}
    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{platform.machine()}, {os.cpu_count()} cores"}
    if only != set("ABCDE"):  # say which numbers are from this run
        report["partial"] = f"sections {', '.join(sorted(only))} run then; the others from the run of {previous.get('when')}"
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        report["in_process"] = bench_in_process() if "A" in only else previous.get("in_process", {})
    report["production"] = (bench_production() if "B" in only
                            else previous.get("production", {"skipped": "not asked for (BENCH_ONLY)"}))
    later, _ = later_sections(only)
    report.update({k: previous[k] for k in ("catalogue", "editor", "dashboard") if k in previous})
    report.update(later)
    write_report(report, later_markdown(report))


if __name__ == "__main__":
    main()
