"""Actions on a run shared by the HTTP API and the websocket consumer."""
from .models import FINAL_STATUSES, RunControl, RunStatus
from . import states
from .publisher import publish


def cancel(run, reason="stopped by the student"):
    """A queued run is cancelled at once; a training one is told to stop and ends `cancelled` at
    its next poll (within 0.1 s); a finished one is left as it is."""
    if run.status == RunStatus.QUEUED and states.transition(run.id, RunStatus.CANCELLED, reason):
        publish(run.id, [{"type": "status", "status": RunStatus.CANCELLED, "reason": reason, "final": None, "step": 0}])
        return
    if run.status not in FINAL_STATUSES:
        RunControl.objects.create(run=run, message={"action": "stop", "reason": reason})


def send_control(run, message):
    """Queues a validated control message for the worker (it polls every 0.1 s)."""
    if message.get("action") == "stop":
        cancel(run, message.get("reason") or "stopped by the student")
        return
    RunControl.objects.create(run=run, message=message)
