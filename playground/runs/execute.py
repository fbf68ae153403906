"""What a worker does with a run id: start it (once), train it, record how it ended."""
import gc
import logging
import sys

import torch
from django.conf import settings
from django.db import close_old_connections

from models_core import RunResult, train, validate_spec
from playground.limits import instance_limits

from . import hooks, states
from .controls import DbControl
from .models import Run, RunStatus
from .publisher import RunPublisher

log = logging.getLogger(__name__)


def execute_run(run_id, worker="embedded"):
    close_old_connections()
    if not states.start(run_id, worker):
        log.info("run %s is not queued any more: nothing to do", run_id)
        return None
    prepare_for_training()
    run = Run.objects.get(id=run_id)
    publisher = RunPublisher(run_id, settings.PUBLISH_INTERVAL_S).start()
    publisher.announce({"type": "status", "status": RunStatus.RUNNING, "reason": None, "step": 0})  # start() made it
    try:
        spec = validate_spec(run.spec, instance_limits())  # the instance's limits, as the API checked
        result = train(spec, publisher, DbControl(run_id), visual_interval=settings.VISUAL_INTERVAL_S)
    except Exception as exc:  # a bug must still end the run in a stated status
        log.exception("run %s crashed", run_id)
        result = RunResult(status="failed", reason=f"internal error: {type(exc).__name__}: {exc}", final=None, steps=0, epochs=0)
    finally:
        gc.unfreeze()  # a long-lived web process must not keep today's objects out of the GC for good
    _keep_weights(run_id, result)
    return _finish(run_id, result, publisher)


def _keep_weights(run_id, result):
    """The trained weights, stored before the final status so that an export can follow it at once."""
    if result.model is None:
        return
    try:  # several networks are stored by name, one as before (the editor's exports read them)
        hooks.keep_weights(run_id, result.models if len(result.models) > 1 else result.model)
    except Exception:  # the run's outcome stands without them; an export then says there are none
        log.exception("could not store the weights of run %s", run_id)


def prepare_for_training():
    """Process settings that keep streaming cheap for the training loop: few torch threads (tiny nets
    only pay for more), and the long-lived heap (Django, torch) moved out of the cyclic GC's sight —
    the events streamed allocate freely, and each full collection would otherwise rescan it all
    (measured: about a third of the streaming cost). A shorter GIL switch interval lets the publisher
    thread get in promptly between the loop's tensor ops: latency to the browser, not throughput."""
    torch.set_num_threads(settings.TORCH_THREADS)
    sys.setswitchinterval(0.001)
    gc.collect()
    gc.freeze()


def _finish(run_id, result, publisher):
    """Completes the history, records the final status, then publishes it as the run's last message."""
    publisher.drain()
    states.transition(run_id, result.status, result.reason or "", final=result.final)
    run = Run.objects.get(id=run_id)  # the status that won (a cancel may have come first)
    final_message = {"type": "status", "status": run.status, "reason": run.reason or None,
                     "final": run.final, "step": result.steps}
    publisher.close(final_messages=[final_message])
    close_old_connections()
    return run
