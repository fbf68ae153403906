"""
The per-run state the loop keeps apart from the step: the live settings a `set` changes, the
controls (paused, steps pending, a stop), the counters (step, epoch) and the throttles that pace the
events. Nothing here touches a tensor: a later worker can drive many runs' states around one batched
step, applying each run's controls to its own state.
"""

from dataclasses import dataclass, field
from typing import Optional

from .controls import validate_control

POLL_INTERVAL = 0.1  # seconds between control polls while training


class Throttle:
    """Something due at most every `interval` seconds."""

    def __init__(self, interval, next_at=0.0):
        self.interval, self.next_at = interval, next_at

    def due(self, now):
        return now >= self.next_at

    def done(self, now):
        """Sent at `now`: due again one interval later."""
        self.next_at = now + self.interval

    def keep_rate(self, now):
        """A fixed rate: keep to the schedule, but never try to catch up a backlog."""
        self.next_at = max(self.next_at + self.interval, now)


@dataclass
class RunState:
    live: dict  # learning_rate, batch_size, regularization_rate: the settings a `set` changes
    step: int = 0
    epoch: int = 0
    paused: bool = False
    steps_pending: int = 0  # epochs asked for by `step` while paused
    stop_reason: Optional[str] = None
    lr_scale: float = 1.0  # the schedule's factor for the current epoch
    poll: Throttle = field(default_factory=lambda: Throttle(POLL_INTERVAL))
    visuals: Throttle = field(default_factory=lambda: Throttle(0.1))
    views: dict = field(default_factory=dict)  # view type -> Throttle, for the views a recipe paces itself

    @classmethod
    def for_training(cls, t, visual_interval, view_intervals):
        """The state a run starts in, from the spec's training section."""
        live = {"learning_rate": t["learning_rate"], "batch_size": t["batch_size"],
                "regularization_rate": t["regularization"]["rate"]}
        return cls(live=live, visuals=Throttle(visual_interval),
                   views={name: Throttle(s) for name, s in view_intervals.items()})

    @property
    def waiting(self):
        """Paused with no stepped epoch to run and no stop: the loop sleeps."""
        return self.paused and self.steps_pending == 0 and self.stop_reason is None

    def due_views(self, now, final=False):
        return {name for name, th in self.views.items() if final or th.due(now)}

    def sent(self, types, now):
        for name in types:
            if name in self.views:
                self.views[name].done(now)

    def apply(self, msg, spec):
        """One control message -> what the loop must do about it: "paused", "running", "settings",
        "set_weight" or None. Bad ones (validated upstream too) and ill-timed ones are ignored."""
        if validate_control(msg, spec):
            return None
        action = msg["action"]
        if action == "pause" and not self.paused:
            self.paused = True
            return "paused"
        if action == "resume" and self.paused:
            self.paused, self.steps_pending = False, 0
            return "running"
        if action == "step" and self.paused:
            self.steps_pending += 1
        elif action == "stop":
            self.stop_reason = msg.get("reason") or "stopped"
        elif action == "set":
            for k in self.live:
                if k in msg:
                    self.live[k] = type(self.live[k])(msg[k])
            return "settings"
        elif action == "set_weight" and self.paused:
            return "set_weight"
        return None
