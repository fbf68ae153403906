"""
The training loop: one for every recipe (recipes/base.py says what a recipe gives it). It knows how
to train, never what: epochs of minibatches or a step budget, the learning-rate schedule, backward,
the L1/L2 penalty and gradient clipping of each update, non-finite checks, early stopping on the
recipe's score, the controls (pause, step, stop, set, set_weight) and the cadence of events. The
per-run state (run_state.py) is kept apart from the step.

Events, each with type, step and epoch: settings at the start and after a `set`; the recipe's start,
epoch and final events; its views at most every `visual_interval` seconds and always at the start,
the end, after a stepped epoch and after set_weight; status paused/running. The final status is not
emitted here: the caller reports the LoopResult.
"""

import math
import time
from dataclasses import dataclass
from typing import Optional

import torch

from .instrument import significant_list
from .messages import declared
from .optim import clip_grad_norm_
from .run_state import RunState
from .schedules import lr_factor

PAUSE_INTERVAL = 0.05  # seconds between control polls while paused


@dataclass
class LoopResult:
    status: str  # "succeeded" | "failed" | "cancelled"
    reason: Optional[str]
    values: Optional[list]  # the metric values it ended with (a failed run: the last good ones)
    steps: int
    epochs: int


def nonfinite_reason(value, step):
    what = "NaN" if value != value else "infinite"
    return f"loss became {what} at step {step} — try a lower learning rate"


def first_nonfinite(values):
    return next(x for x in values if not math.isfinite(x))


def apply_update(u, clip):
    """backward, the penalty's gradient added straight onto the grads (one foreach op, no extra
    graph), clipping of the joint norm, the optimizer's step."""
    o = u.updater
    if o is None:
        return
    if u.backward:
        for p in o.params:  # zero_grad(set_to_none=True), minus the bookkeeping
            p.grad = None
        u.loss.backward()
    if o.penalty != "none" and o.rate > 0:
        grads = [p.grad for p in o.penalised]
        torch._foreach_add_(grads, o.penalised if o.penalty == "l2" else torch._foreach_sign(o.penalised), alpha=o.rate)
    if clip > 0:
        clip_grad_norm_(o.params, clip)
    o.opt.step()


class Loop:
    """Drives one recipe with one RunState. emit: a callable taking an event dict, or None (nothing
    streamed); control: an object whose poll() returns the control messages since the last poll."""

    def __init__(self, recipe, state, t, emit=None, control=None):
        self.recipe, self.state, self.t, self.emit, self.control = recipe, state, t, emit, control
        self.shuffle = torch.Generator().manual_seed(t["seed"])  # batch order: its own stream, on the cpu

    def send(self, type_, **payload):
        if self.emit is not None:
            declared(type_)  # a type must be declared (messages.py) before anything emits it
            self.emit({"type": type_, "step": self.state.step, "epoch": self.state.epoch, **payload})

    def send_all(self, events):
        if self.emit is None:
            return
        for type_, payload in events:
            self.send(type_, **payload)
        self.state.sent([type_ for type_, _ in events], time.perf_counter())

    def send_views(self, final=False):
        if self.emit is None:
            return
        due = self.state.due_views(time.perf_counter(), final)
        self.send_all(list(self.recipe.views(due, final).items()))

    def due(self, final=False):
        """The paced views due now, or None when nothing is streamed."""
        return self.state.due_views(time.perf_counter(), final) if self.emit is not None else None

    def poll(self):
        s = self.state
        for msg in self.control.poll():
            effect = s.apply(msg, self.recipe.v)
            if effect in ("paused", "running"):
                self.send("status", status=effect)
            elif effect == "settings":
                self.recipe.set_rates(s.live["learning_rate"] * s.lr_scale, s.live["regularization_rate"])
                self.send("settings", **s.live)
            elif effect == "set_weight":
                self.recipe.set_weight(msg)
                self.send_views()

    def wait_while_paused(self):
        while self.state.waiting:
            time.sleep(PAUSE_INTERVAL)
            self.poll()

    def run(self, start_events=()):
        """-> LoopResult. start_events: [(type, payload)] sent after the settings (crossval)."""
        r, s = self.recipe, self.state
        vals = significant_list(r.evaluate())
        if None in vals:  # a fresh network already overflows: nothing can be learned
            return LoopResult("failed", nonfinite_reason(float("nan"), 0), None, 0, 0)
        self.send("settings", **s.live)
        self.send_all(list(start_events))
        self.send_all(r.start_events(vals))
        self.send_views()
        if self.control is not None:
            self.poll()
            self.wait_while_paused()
        now = time.perf_counter()
        s.poll.done(now)
        s.visuals.done(now)
        outcome = self.epochs(vals)
        if outcome.status == "failed":
            return outcome
        return self.finish(outcome)

    def epochs(self, vals):
        """Every epoch until the budget, a stop or early stopping -> LoopResult (failed, or the
        status and reason to finish with)."""
        r, s, t = self.recipe, self.state, self.t
        last_epoch = r.max_epochs or (t["epochs"] if not t["steps"] else math.inf)  # a step budget decides
        patience, best, best_epoch = t["early_stopping"]["patience"], math.inf, 0
        last_good = (vals, 0, 0)
        while s.epoch < last_epoch and s.stop_reason is None:
            if t["schedule"]["kind"] != "constant":
                s.lr_scale = lr_factor(t["schedule"], s.epoch, t["epochs"])
                r.set_rates(s.live["learning_rate"] * s.lr_scale, s.live["regularization_rate"])
            losses, at = self.one_epoch()
            if s.stop_reason is not None:
                break
            if at:  # a step budget ended the run mid-epoch
                last_epoch = s.epoch + 1
            s.epoch += 1
            failed, vals = self.end_epoch(losses, last_good, patience)
            if failed is not None:
                return failed
            if vals is not None:
                last_good = (vals, s.step, s.epoch)
                if patience:
                    if vals[r.metric_names.index(r.score)] < best:
                        best, best_epoch = vals[r.metric_names.index(r.score)], s.epoch
                    elif s.epoch - best_epoch >= patience:
                        what = r.score.replace("_", " ")
                        return LoopResult("succeeded", f"stopped early at epoch {s.epoch}: {what} had not improved for "
                                          f"{patience} epochs", last_good[0], s.step, s.epoch)
            if s.paused:  # a stepped epoch ends here (or a pause came at its last batch): show it, wait
                s.steps_pending = max(s.steps_pending - 1, 0)
                self.send_views()
                self.wait_while_paused()
                s.poll.done(time.perf_counter())
        status = "cancelled" if s.stop_reason is not None else "succeeded"
        return LoopResult(status, s.stop_reason, last_good[0], s.step, s.epoch)

    def one_epoch(self):
        """The epoch's batches -> (the losses of its updates, tensors: no .item() (a sync point)
        inside the loop; whether the step budget ran out)."""
        r, s, clip, budget = self.recipe, self.state, self.t["clip_grad_norm"], self.t["steps"]
        self.loss_steps = []  # the step each loss belongs to, for the failure's reason
        n = r.begin_epoch(self.shuffle)
        losses, i = [], 0
        while i < n:
            batch = r.batch(i, i + s.live["batch_size"])
            i += s.live["batch_size"]
            for u in r.step(batch):
                apply_update(u, clip)
                losses.append(u.loss.detach())
                self.loss_steps.append(s.step + 1)  # a step may hold several updates (a GAN's D and G)
            s.step += 1
            if s.step == budget:
                return losses, True
            now = time.perf_counter()
            if self.control is not None and s.poll.due(now):
                self.poll()
                if i < n:  # paused at the epoch's last batch: wait after the epoch's metrics
                    self.wait_while_paused()
                if s.stop_reason is not None:
                    return losses, False
                now = time.perf_counter()
                s.poll.done(now)
            if self.emit is not None and s.visuals.due(now):
                self.send_views()
                s.visuals.keep_rate(now)
        return losses, False

    def end_epoch(self, losses, last_good, patience):
        """One conversion an epoch (a sync point on a GPU): were all the losses finite, and when
        streaming or stopping early, the recipe's metrics too. -> (a failed LoopResult or None,
        the epoch's metric values or None)."""
        r, s = self.recipe, self.state
        batch = torch.stack(losses) if losses else torch.zeros(0)
        finite = torch.isfinite(batch).all().reshape(1).float()
        want = self.emit is not None or bool(patience)
        due = self.due()
        packed = torch.cat([finite, r.epoch_tensor(losses, due)]).tolist() if want else finite.tolist()
        if packed[0] != 1.0:
            first = int((~torch.isfinite(batch)).nonzero()[0, 0])
            step = self.loss_steps[first]
            return LoopResult("failed", nonfinite_reason(float(batch[first]), step), *last_good), None
        if not want:
            return None, None
        raw = r.read_epoch(packed[1:])
        vals = significant_list(raw)
        if None in vals:  # the last step blew the weights up
            return LoopResult("failed", nonfinite_reason(first_nonfinite(raw), s.step), *last_good), None
        if self.emit is not None:
            self.send_all(r.epoch_events(vals, packed[1:], due))
        return None, vals

    def finish(self, outcome):
        """The end: the final pictures, then the metrics over every point."""
        self.send_views(final=True)
        raw, events = self.recipe.final_evaluation(self.due(final=True))
        if self.emit is not None and all(math.isfinite(x) for x in raw):
            self.send_all(events)
        vals = significant_list(raw)
        if None in vals:
            return LoopResult("failed", nonfinite_reason(first_nonfinite(raw), self.state.step), outcome.values,
                              outcome.steps, outcome.epochs)
        return LoopResult(outcome.status, outcome.reason, vals, self.state.step, self.state.epoch)
