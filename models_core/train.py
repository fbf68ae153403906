"""
The training loop. One flat function: set up, then epochs of shuffled minibatches, with events for
the live view and control messages polled between batches.

Events (see docs/api.md for payloads), each with type, step and epoch:
  settings at the start and after a `set`; metrics + gradients after every epoch (metrics also at
  epoch 0, before training); boundary + neurons + weights at most every `visual_interval` seconds and
  always at the start, the end, after a stepped epoch and after set_weight; status paused/running.
  For a 1-D dataset (curve_fit, house_prices) `curve` + weights take the place of the pictures:
  {"x": [101 points over [0, 1]], "y": [the model's prediction], "train": [[x, t], ...], "train_rms",
  "test_rms"}.
The final status is not emitted here: the caller reports the RunResult. A regression run's final
also holds train_rms and test_rms (√ of the MSE losses).

Image, sequence and token datasets (data_kinds.py) train the same way; instead of the plane's pictures
they get the probe views (probes.py: conv, recurrent, attention) at most every PROBE_INTERVAL s,
`kv_cache` once at the start. Every run gets `histograms` (at most every HISTOGRAM_INTERVAL s) and every
classification run `confusion` over the test set (at most every CONFUSION_INTERVAL s, from the
epoch's evaluation). Per-step targets (N, T) hold IGNORE where a step has no answer: losses and
accuracies average over the answered steps only.

The metrics after each epoch: for the plane's and the 1-D sets (a few hundred points) a full pass over
the training and the test points; for the image, sequence and token sets, where that pass would cost
more than the epoch itself, the training loss and accuracy of the epoch's batches (as they went) and
the test metrics of the first test examples (EPOCH_TEST_ROWS at most, and a twentieth of the training
rows). The run's final metrics are always over every point.

Variants: a perceptron learns by Rosenblatt's rule (rosenblatt.py); solver closed_form sets the
least-squares weights in one step (solvers.py).

Options, each off by default (and then costing nothing): training.schedule scales the learning rate
per epoch (schedules.py); clip_grad_norm caps the joint gradient norm of each step (after the L2/L1
penalty is added; the gradients event shows the clipped gradients, the ones the step used);
early_stopping.patience ends the run `succeeded` once the test loss (as reported, 4 digits) has not
improved on its best for that many epochs. The weights are those of the last epoch, not the best.
With adamw an L2 regularization is decoupled weight decay instead of a penalty gradient.

Conventions, as in TensorFlow Playground: the reported loss is the data loss only (no penalty);
regression loss is plain MSE (TF Playground shows ½·MSE); L2 penalises ½·rate·Σw², L1 rate·Σ|w|,
weights only (not biases); the gradient event shows the last batch of each epoch.
"""

import math
import time
from dataclasses import dataclass, field
from typing import Optional

import torch
import torch.nn.functional as F

from . import crossval, instrument, probes, rosenblatt, solvers
from .controls import validate_control
from .curves import poly_features
from .data_sequences import IGNORE
from .datasets import make_dataset
from .device import pick_device
from .graph_model import GraphModel
from .optim import SGD, clip_grad_norm_, make_optimizer
from .schedules import lr_factor
from .spec import ValidatedSpec, validate_spec

POLL_INTERVAL = 0.1  # seconds between control polls while training
PROBE_INTERVAL = 0.25  # seconds between two sets of probe views (conv, recurrent, attention)
HISTOGRAM_INTERVAL = 0.5  # seconds between two histograms messages
CONFUSION_INTERVAL = 1.0  # ... and two confusion matrices
EVAL_CHUNK = 2048  # rows per forward pass when evaluating (a big test set must not need a huge batch)
EPOCH_TEST_ROWS = 256  # image/sequence/token sets: at most this many test rows scored after each epoch ...
EPOCH_TEST_SHARE = 20  # ... and at most 1/20 as many as the epoch trains on, so scoring stays ~2 % of it
PAUSE_INTERVAL = 0.05  # ... and while paused


@dataclass
class RunResult:
    status: str  # "succeeded" | "failed" | "cancelled"
    reason: Optional[str]
    final: Optional[dict]  # train_loss, test_loss[, train_accuracy, test_accuracy | train_rms, test_rms], epochs, steps
    steps: int
    epochs: int
    model: Optional[object] = field(default=None, repr=False, compare=False)  # the trained GraphModel, when there is one


# -----------------------------------------------------------------------------
# pure helpers

class Objective:
    """The loss follows the problem: BCE on one logit, cross-entropy on 2+ logits, MSE for regression."""

    def __init__(self, problem, out_units, per_step=False):
        self.problem, self.out_units, self.per_step = problem, out_units, per_step
        self.classification = problem == "classification"

    def targets(self, y):
        """(N,) labels from the dataset -> what the loss compares the (N, out) outputs with;
        per-step (N, T) class ids stay as they are."""
        if self.per_step:
            return y.long()
        if not self.classification or self.out_units == 1:
            return y.float().unsqueeze(1)  # (N, 1)
        return y.long()  # (N,) class ids

    def loss(self, out, t, reduction="mean"):
        """reduction "none": one value per row (per-step: summed over the row's answered steps)."""
        if self.per_step:  # out (N, T, V), t (N, T); IGNORE steps count nothing
            per = F.cross_entropy(out.reshape(-1, out.shape[-1]), t.reshape(-1), ignore_index=IGNORE,
                                  reduction=reduction)
            return per.reshape(t.shape).sum(dim=1) if reduction == "none" else per
        if not self.classification:
            return F.mse_loss(out, t, reduction=reduction)
        if self.out_units == 1:
            return F.binary_cross_entropy_with_logits(out, t, reduction=reduction)
        return F.cross_entropy(out, t, reduction=reduction)

    def predictions(self, out):
        """Class ids: (N,) or per-step (N, T)."""
        if self.out_units == 1 and not self.per_step:
            return (out[:, 0] > 0).long()
        return out.argmax(dim=-1)

    def correct(self, out, t):
        """(N,) how many answers of each row are right (0/1 per row; per-step: right answered steps)."""
        if self.per_step:
            return (out.argmax(dim=-1) == t).sum(dim=1).float()
        if self.out_units == 1:
            return ((out[:, 0] > 0) == (t[:, 0] > 0.5)).float()
        return (out.argmax(dim=1) == t).float()

    def answers(self, t):
        """(N,) how many answers each row holds: 1, or per-step its answered steps."""
        if self.per_step:
            return (t >= 0).sum(dim=1).float()
        return torch.ones(t.shape[0], device=t.device)


def averager(answers, n_train):
    """(2, N + M) matrix whose rows average a column over the training rows and over the test rows,
    each row weighted by how many answers it holds. answers: (N + M,) from Objective.answers."""
    avg = torch.zeros(2, answers.shape[0], device=answers.device)
    avg[0, :n_train] = answers[:n_train] / answers[:n_train].sum().clamp_min(1)
    avg[1, n_train:] = answers[n_train:] / answers[n_train:].sum().clamp_min(1)
    return avg / answers.clamp_min(1)  # a row's column holds its sum over its answers: weight it per answer


@torch.no_grad()
def evaluate(model, objective, x_all, y_all, avg, predictions=None):
    """Full-batch metrics as one tensor [train_loss, test_loss(, train_acc, test_acc)], on the device.
    x_all holds the training rows then the test rows: one forward pass and one matmul serve both (in
    chunks of EVAL_CHUNK rows for a big dataset). predictions: a list that receives every row's
    predicted class ids (for the confusion matrix)."""
    if model.needs_eval_mode:
        model.eval()
    means = 0
    for i in range(0, x_all.shape[0], EVAL_CHUNK):
        x, y = x_all[i:i + EVAL_CHUNK], y_all[i:i + EVAL_CHUNK]
        out = model(x)  # (n, out) or per-step (n, T, V)
        per = objective.loss(out, y, reduction="none")  # (n, 1) or (n,)
        cols = [per.reshape(-1)] + ([objective.correct(out, y)] if objective.classification else [])
        means = means + avg[:, i:i + EVAL_CHUNK] @ torch.stack(cols, dim=1)  # (2, C): rows train/test
        if predictions is not None:
            predictions.append(objective.predictions(out))
    if model.needs_eval_mode:
        model.train()
    return means.T.reshape(-1)


def metrics_dict(vals, classification):
    keys = ["train_loss", "test_loss"] + (["train_accuracy", "test_accuracy"] if classification else [])
    return dict(zip(keys, vals))


def rms(losses):
    """[train MSE, test MSE] -> their square roots, in the units of the target (Bishop's E_RMS)."""
    return instrument.significant_list([math.sqrt(x) if x is not None else math.nan for x in losses])


def nonfinite_reason(value, step):
    what = "NaN" if value != value else "infinite"
    return f"loss became {what} at step {step} — try a lower learning rate"


# -----------------------------------------------------------------------------
# the loop

def train(spec, sink=None, control=None, *, stream=True, visual_interval=0.1, dataset=None):
    """Train the spec's network on its dataset. spec: a spec dict (validated here) or a ValidatedSpec.
    sink: a callable taking one event dict, or an object with emit(event). control: an object whose
    poll() returns the control messages received since the last poll, or None. stream=False emits
    nothing (for measuring what streaming costs). dataset: a Dataset to use instead of the spec's (the
    cross-validation folds). Exceptions from a bug propagate to the caller."""
    v = spec if isinstance(spec, ValidatedSpec) else validate_spec(spec)
    t = v.spec["training"]
    assert sink is not None or not stream, "streaming needs a sink"
    emit = (sink.emit if hasattr(sink, "emit") else sink) if stream else None

    device = pick_device(t["device"])
    cv = None  # cross-validation's payload, when training.folds asks for it (crossval.py)
    if t["folds"] and dataset is None:
        cv, stopped = crossval.cross_validate(v, make_dataset(v.spec["dataset"], v.limits), t["folds"], train, control)
        if stopped is not None:
            reason = stopped.reason if stopped.status == "cancelled" else f"cross-validation: {stopped.reason}"
            return RunResult(stopped.status, reason, None, 0, 0)
    ds = dataset if dataset is not None else make_dataset(v.spec["dataset"], v.limits)
    closed_form = t["solver"] == "closed_form"
    dtype = torch.float64 if closed_form else torch.float32  # see solvers.py
    torch.manual_seed(t["seed"])  # initial weights
    model = GraphModel(v).to(device, dtype)
    shuffle = torch.Generator().manual_seed(t["seed"])  # batch order: its own stream, on the cpu
    out_units = v.nodes[v.output_id]["shape"][-1]
    # a perceptron (validated: input → perceptron) learns by Rosenblatt's rule, not by backprop
    perceptron = model.layers[model.rosenblatt_ids[0]] if model.rosenblatt_ids else None
    objective = Objective(v.problem, out_units, v.per_step) if perceptron is None else rosenblatt.ErrorRate()
    n_metrics = 4 if objective.classification else 2

    def targets(y):  # class ids stay int64; values follow the run's dtype
        y = objective.targets(y)
        return y.to(device, dtype) if y.is_floating_point() else y.to(device)

    def inputs(x):  # features follow the run's dtype; token ids stay int64
        return x.to(device, dtype) if x.is_floating_point() else x.to(device)

    x_train, y_train = inputs(ds.x_train), targets(ds.y_train)  # (N, F...), (N, ...)
    n = x_train.shape[0]
    x_all = inputs(torch.cat([ds.x_train, ds.x_test]))  # (N + M, ...): train rows, then test rows
    y_all = torch.cat([targets(ds.y_train), targets(ds.y_test)])
    avg = averager(objective.answers(y_all) if perceptron is None else torch.ones(len(y_all), device=device), n).to(dtype)
    types = {nid: v.nodes[nid]["type"] for nid in v.order}
    light = ds.dims == 0 and perceptron is None  # per-epoch metrics from the batches + a test subset (see above)
    if light:
        rows = min(EPOCH_TEST_ROWS, max(64, n // EPOCH_TEST_SHARE))  # a forward is ~1/3 of a step: ≤ ~2 % of the epoch
        x_epoch, y_epoch = x_all[n:n + rows], y_all[n:n + rows]
        avg_epoch = averager(objective.answers(y_epoch), 0).to(dtype)  # row 0 (train) empty: test only
    steps_budget = t["steps"]  # 0: the epochs decide
    classes = v.classes if objective.classification and perceptron is None else None
    if classes is not None and out_units == 1:
        classes = 2
    params = list(model.parameters())
    penalised = [p for p in model.parameters() if p.ndim >= 2]  # weights, not biases
    opt = make_optimizer(params, t, penalised) if perceptron is None else SGD(params, t["learning_rate"])
    reg_kind = t["regularization"]["kind"] if perceptron is None else "none"
    decoupled = t["optimizer"] == "adamw" and reg_kind == "l2"  # AdamW decays the weights itself
    grad_penalty = "none" if decoupled else reg_kind  # the penalty the loop adds onto the gradients
    clip, patience = t["clip_grad_norm"], t["early_stopping"]["patience"]
    lr_scale = 1.0  # the schedule's factor for the current epoch
    live = {"learning_rate": t["learning_rate"], "batch_size": t["batch_size"],
            "regularization_rate": t["regularization"]["rate"]}

    if ds.dims == 1:  # the x axis, for the fitted curve (featurised once)
        c_x = torch.linspace(0, 1, instrument.CURVE_POINTS, dtype=torch.float64)  # (K,)
        c_feats = poly_features(c_x, ds.degree).to(device, dtype)  # (K, M + 1)
    elif ds.dims == 0:  # images, sequences, tokens: one probe example through the network
        probe = probes.Probe(ds, device, dtype)
        # feature maps and attention maps read well at a few frames a second, and each costs a forward
        # pass plus up to ~40 KB of JSON: at most PROBE_INTERVAL apart keeps them a few % of the steps
        visual_interval = max(visual_interval, PROBE_INTERVAL)
    else:  # the plane, for the boundary and neuron heatmaps (featurised once)
        kind = instrument.boundary_kind(v.problem, v.classes)
        b_size = instrument.BOUNDARY_SIZE
        n_size = instrument.neuron_size(sum(v.nodes[nid]["shape"][0] for nid in model.ids))
        b_grid = instrument.grid_features(b_size, ds.features, device).to(dtype)
        n_grid = instrument.grid_features(n_size, ds.features, device).to(dtype)

    step = epoch = 0
    paused, steps_pending, stop_reason = False, 0, None
    next_histograms = next_confusion = 0.0  # perf_counter times at which each is due again

    def send(type_, **payload):
        if emit is not None:
            emit({"type": type_, "step": step, "epoch": epoch, **payload})

    def send_visuals(final=False):
        nonlocal next_histograms
        if emit is None:
            return
        if model.needs_eval_mode:
            model.eval()
        with instrument.gc_paused():
            if ds.dims == 0:
                payloads = probes.views(model, types, probe)
                payloads["weights"] = instrument.weights(model)
            elif ds.dims == 1:
                fitted = instrument.curve(model, c_x, c_feats)  # before evaluate, which leaves eval mode
                train_rms, test_rms = rms(evaluate(model, objective, x_all, y_all, avg).tolist())
                payloads = {"curve": {**fitted, "train": ds.train_points, "train_rms": train_rms, "test_rms": test_rms},
                            "weights": instrument.weights(model)}
            else:
                payloads = {"boundary": instrument.boundary(model, b_grid, b_size, kind, logits=perceptron is None),
                            "neurons": instrument.neurons(model, n_grid, n_size),
                            "weights": instrument.weights(model)}
            now = time.perf_counter()
            if final or now >= next_histograms:
                payloads["histograms"] = instrument.histograms(model)
                next_histograms = now + HISTOGRAM_INTERVAL
        if model.needs_eval_mode:
            model.train()
        for type_, payload in payloads.items():
            send(type_, **payload)

    def confusion_due(final=False):
        return emit is not None and classes is not None and (final or time.perf_counter() >= next_confusion)

    def send_confusion(predictions, truth):
        """predictions: the chunks evaluate() filled, every row's predicted class ids; truth: the
        targets of the rows evaluated. The test rows are the last len(ds.y_test) or fewer of them."""
        nonlocal next_confusion
        m = min(len(ds.y_test), len(truth))
        pred, truth = torch.cat(predictions)[-m:], truth[-m:]
        truth = truth if objective.per_step or out_units > 1 else truth[:, 0].long()
        counts = instrument.confusion_counts(pred.reshape(-1), truth.reshape(-1), classes)
        with instrument.gc_paused():
            send("confusion", **instrument.confusion(counts, classes, ds.class_names, mistakes(pred, truth)))
        next_confusion = time.perf_counter() + CONFUSION_INTERVAL

    def mistakes(pred, truth):
        """Up to MAX_MISTAKES wrong test examples: their image or tokens, true and predicted classes."""
        if ds.dims != 0:
            return []
        wrong = (pred != truth) & (truth >= 0)
        rows = wrong.reshape(wrong.shape[0], -1).any(dim=1).nonzero()[:instrument.MAX_MISTAKES, 0].tolist()
        names = ds.class_names or []
        label = lambda c: names[c] if 0 <= c < len(names) else (None if c < 0 else str(c))  # noqa: E731
        out = []
        for r in rows:
            item = {"true": label(int(truth[r])) if truth.ndim == 1 else [label(c) for c in truth[r].tolist()],
                    "pred": label(int(pred[r])) if pred.ndim == 1 else [label(c) for c in pred[r].tolist()]}
            x = ds.x_test[r]
            if ds.input_kind == "image":
                item["image"] = instrument.rounded(x[0], 2)
            else:
                item["tokens"] = probes._labels(ds, x)
            out.append(item)
        return out

    def send_settings():
        send("settings", **live)

    def apply(msg):
        """One control message. Bad ones (validated upstream too) and ill-timed ones are ignored."""
        nonlocal paused, steps_pending, stop_reason
        if validate_control(msg, v):
            return
        action = msg["action"]
        if action == "pause" and not paused:
            paused = True
            send("status", status="paused")
        elif action == "resume" and paused:
            paused, steps_pending = False, 0
            send("status", status="running")
        elif action == "step" and paused:
            steps_pending += 1
        elif action == "stop":
            stop_reason = msg.get("reason") or "stopped"
        elif action == "set":
            for k in ("learning_rate", "batch_size", "regularization_rate"):
                if k in msg:
                    live[k] = type(live[k])(msg[k])
            opt.lr = live["learning_rate"] * lr_scale
            if decoupled:
                opt.weight_decay = live["regularization_rate"]
            send_settings()
        elif action == "set_weight" and paused:
            layer = model.layers[msg["node"]]
            with torch.no_grad():
                if msg["col"] == "bias":
                    layer.bias[msg["row"]] = float(msg["value"])
                else:
                    layer.weight[msg["row"], msg["col"]] = float(msg["value"])
            send_visuals()

    def poll():
        for msg in control.poll():
            apply(msg)

    def wait_while_paused():
        while paused and steps_pending == 0 and stop_reason is None:
            time.sleep(PAUSE_INTERVAL)
            poll()

    def result(status, reason, final_vals, at_step, at_epoch):
        final = metrics_dict(final_vals, objective.classification)
        if not objective.classification:
            final["train_rms"], final["test_rms"] = rms(final_vals)
        final.update(epochs=at_epoch, steps=at_step)
        if cv is not None:
            final.update({f"cv_{key}": value for key, value in cv.items() if not isinstance(value, list)})
        return RunResult(status, reason, final, step, epoch, model)

    # --- start: settings, the untrained model's metrics and pictures
    vals = instrument.significant_list(evaluate(model, objective, x_all, y_all, avg).tolist())
    if None in vals:  # a fresh network already overflows: nothing can be learned
        return RunResult("failed", nonfinite_reason(float("nan"), 0), None, 0, 0)
    last_good = (vals, 0, 0)  # metrics, step, epoch: what a failed run reports
    send_settings()
    if cv is not None:
        send("crossval", **cv)
    send("metrics", **metrics_dict(vals, objective.classification))
    if model.attention_ids:
        send("kv_cache", **probes.kv_cache(model, types))
    send_visuals()
    if control is not None:
        poll()
        wait_while_paused()
    now = time.perf_counter()
    next_poll, next_visual = now + POLL_INTERVAL, now + visual_interval

    last_epoch = t["epochs"] if not steps_budget else math.inf  # with a step budget, the steps decide
    if closed_form and stop_reason is None:  # the exact minimum in one step: no epochs left to run
        rate = live["regularization_rate"] if reg_kind == "l2" else 0.0
        solvers.least_squares(model.layers[model.output_id], x_train, y_train, rate)
        step = epoch = last_epoch = 1
        raw = evaluate(model, objective, x_all, y_all, avg).tolist()
        vals = instrument.significant_list(raw)
        if None in vals:
            return result("failed", nonfinite_reason(next(x for x in raw if not math.isfinite(x)), step), *last_good)
        last_good = (vals, step, epoch)
        send("metrics", **metrics_dict(vals, objective.classification))

    best, best_epoch, early_reason = math.inf, 0, None  # early stopping's record
    while epoch < last_epoch and stop_reason is None:
        if t["schedule"]["kind"] != "constant":
            lr_scale = lr_factor(t["schedule"], epoch, t["epochs"])
            opt.lr = live["learning_rate"] * lr_scale
        perm = torch.randperm(n, generator=shuffle).to(device)
        xs, ys = x_train[perm], y_train[perm]  # (N, F), shuffled once: batches below are cheap slices
        losses = []  # batch losses stay tensors: no .item() (a sync point) inside the loop
        hits = []  # light: right answers per batch (and below, answers per batch)
        i = 0
        while i < n:
            bs = live["batch_size"]
            xb, yb = xs[i:i + bs], ys[i:i + bs]  # (B, F), (B, ...)
            i += bs
            if perceptron is None:
                out = model(xb)
                loss = objective.loss(out, yb)
                if light and objective.classification:
                    hits.append(objective.correct(out.detach(), yb).sum())
                for p in params:  # zero_grad(set_to_none=True), minus the bookkeeping
                    p.grad = None
                loss.backward()
            else:  # Rosenblatt's rule sets the grads itself (see rosenblatt.py)
                loss = rosenblatt.set_grads(perceptron, xb, yb)
            rate = live["regularization_rate"]
            if grad_penalty != "none" and rate > 0:
                # the penalty's gradient added straight onto the grads: one foreach op, no extra graph
                grads = [p.grad for p in penalised]
                torch._foreach_add_(grads, penalised if grad_penalty == "l2" else torch._foreach_sign(penalised), alpha=rate)
            if clip > 0:
                clip_grad_norm_(params, clip)
            opt.step()
            losses.append(loss.detach())
            step += 1
            if step == steps_budget:  # a step budget ends the run mid-epoch
                last_epoch = epoch + 1
                break
            now = time.perf_counter()
            if control is not None and now >= next_poll:
                poll()
                if i < n:  # paused at the epoch's last batch: wait below, after the epoch's metrics
                    wait_while_paused()
                if stop_reason is not None:
                    break
                now = time.perf_counter()
                next_poll = now + POLL_INTERVAL
            if emit is not None and now >= next_visual:
                send_visuals()
                # fixed rate: keep to the schedule, but never try to catch up a backlog
                next_visual = max(next_visual + visual_interval, now)
        if stop_reason is not None:
            break
        epoch += 1

        # one conversion per epoch (a sync point on a GPU): were all batch losses finite, and when
        # streaming, the metrics and the gradient stats too (the metrics also for early stopping)
        batch = torch.stack(losses)
        finite = torch.isfinite(batch).all().reshape(1).float()
        predictions = None
        if emit is None and not patience:
            packed = finite.tolist()
        else:  # early stopping needs the metrics, streamed or not
            predictions = [] if confusion_due() else None
            if light:  # the epoch's batches for training, the test subset for the test
                epoch_rows = min(i, n) if len(losses) else 0
                metrics = evaluate(model, objective, x_epoch, y_epoch, avg_epoch, predictions)  # [0, test_loss(, 0, test_acc)]
                train_loss = batch.mean().reshape(1)
                if objective.classification:
                    answered = objective.answers(ys[:epoch_rows]).sum().clamp_min(1)
                    metrics = torch.cat([train_loss, metrics[1:2], torch.stack(hits).sum().reshape(1) / answered, metrics[3:4]])
                else:
                    metrics = torch.cat([train_loss, metrics[1:2]])
            else:
                metrics = evaluate(model, objective, x_all, y_all, avg, predictions)  # (n_metrics,)
            stats = [instrument.gradient_stats(model)] if emit is not None else []  # (2·P,): L2 norms, then L1 norms
            packed = torch.cat([finite, metrics, *stats]).tolist()
        if packed[0] != 1.0:
            first = int((~torch.isfinite(batch)).nonzero()[0, 0])
            return result("failed", nonfinite_reason(float(batch[first]), step - len(losses) + first + 1), *last_good)
        if len(packed) > 1:
            vals = instrument.significant_list(packed[1:1 + n_metrics])
            if None in vals:  # the last step blew the weights up
                bad = next(x for x in packed[1:1 + n_metrics] if not math.isfinite(x))
                return result("failed", nonfinite_reason(bad, step), *last_good)
            last_good = (vals, step, epoch)
        if emit is not None:
            send("metrics", **metrics_dict(vals, objective.classification))
            norms, mean_abs = instrument.per_layer(model, packed[1 + n_metrics:])
            send("gradients", layers=list(model.layer_ids), norms=norms, mean_abs=mean_abs)
            if predictions:
                send_confusion(predictions, y_epoch if light else y_all)
        if patience:
            if vals[1] < best:
                best, best_epoch = vals[1], epoch
            elif epoch - best_epoch >= patience:
                early_reason = f"stopped early at epoch {epoch}: test loss had not improved for {patience} epochs"
                break

        if paused:  # a stepped epoch ends here (or a pause came at its last batch): show it, wait
            steps_pending = max(steps_pending - 1, 0)
            send_visuals()
            wait_while_paused()
            next_poll = time.perf_counter() + POLL_INTERVAL

    # --- the end
    send_visuals(final=True)
    predictions = [] if confusion_due(final=True) else None
    raw = evaluate(model, objective, x_all, y_all, avg, predictions).tolist()
    if predictions and all(math.isfinite(x) for x in raw):
        send_confusion(predictions, y_all)
    vals = instrument.significant_list(raw)
    if None in vals:
        return result("failed", nonfinite_reason(next(x for x in raw if not math.isfinite(x)), step), *last_good)
    if stop_reason is not None:
        return result("cancelled", stop_reason, vals, step, epoch)
    return result("succeeded", early_reason, vals, step, epoch)
