"""Worker heartbeats for the admin dashboard: each Celery worker writes a row every few seconds from
a thread in its main process; the embedded web process reports itself when asked. The Celery signals
below are connected when apps.py imports this module (the worker sets Django up before it is ready)."""
import logging
import socket
import threading
from datetime import timedelta

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from playground.runs.models import ACTIVE_STATUSES, Run, WorkerHeartbeat

log = logging.getLogger(__name__)
BEAT_INTERVAL_S = 5
FRESH_S = 30
_stop = threading.Event()


def gpu_stats():
    """Memory and utilisation of GPU 0, or None. Only called where CUDA may be touched (a GPU worker on
    the solo pool, or the embedded process): a forking CPU worker must not initialise CUDA."""
    try:
        import torch

        if not torch.cuda.is_available():
            return None
        free, total = torch.cuda.mem_get_info(0)
        stats = {"name": torch.cuda.get_device_name(0), "memory_used": total - free, "memory_total": total,
                 "utilization": None}
        try:
            stats["utilization"] = torch.cuda.utilization(0)  # needs NVML (pynvml); absent is fine
        except Exception:
            pass
        return stats
    except Exception as exc:  # a dashboard must not take a worker down
        log.info("no GPU stats: %s", exc)
        return None


def beat(name, queues, concurrency, gpu=None):
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"queues": list(queues), "concurrency": concurrency, "last_seen": timezone.now(), "gpu": gpu})


def _queues_of(consumer):
    try:
        return sorted(q.name for q in consumer.task_consumer.queues)
    except Exception:
        return sorted(consumer.app.amqp.queues.consume_from or ["cpu"])


def start_heartbeat(consumer):
    name = consumer.hostname
    queues = _queues_of(consumer)
    concurrency = getattr(consumer.controller, "concurrency", None) or 1
    with_gpu = "gpu" in queues

    def loop():
        while not _stop.is_set():
            try:
                beat(name, queues, concurrency, gpu_stats() if with_gpu else None)
            except Exception as exc:
                log.warning("heartbeat of %s not written: %s", name, exc)
            finally:
                close_old_connections()
            _stop.wait(BEAT_INTERVAL_S)

    _stop.clear()
    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()


def stop_heartbeat():
    _stop.set()


@worker_ready.connect
def _start_beating(sender, **kwargs):
    """A Celery worker (production shape) tells the dashboard it is alive, every few seconds."""
    start_heartbeat(sender)


@worker_shutdown.connect
def _stop_beating(sender, **kwargs):
    stop_heartbeat()


def workers_online():
    """[{name, queues, concurrency, last_seen, gpu, runs: [run ids training there]}] for the dashboard."""
    if settings.MODE == "embedded":  # the web process is the worker: it is alive, since it answers
        beat(f"embedded@{socket.gethostname()}", ["cpu", "gpu"], settings.EMBEDDED_WORKERS, gpu_stats())
    cutoff = timezone.now() - timedelta(seconds=FRESH_S)
    WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1)).delete()  # long gone
    online = []
    for w in WorkerHeartbeat.objects.filter(last_seen__gte=cutoff):
        runs = Run.objects.filter(status__in=ACTIVE_STATUSES)
        runs = runs.filter(worker__startswith="embedded") if w.name.startswith("embedded@") else runs.filter(worker=w.name)
        online.append({"name": w.name, "queues": w.queues, "concurrency": w.concurrency,
                       "last_seen": w.last_seen.isoformat(), "gpu": w.gpu,
                       "runs": [str(r) for r in runs.values_list("id", flat=True)]})
    return online
