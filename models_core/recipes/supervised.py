"""
Supervised learning: one network, `network`, maps the dataset's input to its answer (a class, a value,
or a class at every step), trained on minibatches by backprop.

The metrics after each epoch: for the plane's and the 1-D sets (a few hundred points) a full pass over
the training and the test points; for the image, sequence and token sets, where that pass would cost
more than the epoch itself ("light" evaluation), the training loss and accuracy of the epoch's batches
(as they went) and the test metrics of the first test examples (EPOCH_TEST_ROWS at most, and a
twentieth of the training rows). The run's final metrics are always over every point.

Conventions, as in TensorFlow Playground: the reported loss is the data loss only (no penalty);
regression loss is plain MSE (TF Playground shows ½·MSE); L2 penalises ½·rate·Σw², L1 rate·Σ|w|,
weights only (not biases); the gradients event shows the last batch of each epoch.
"""

import torch

from .. import instrument, probes, rosenblatt, solvers
from ..graph_model import GraphModel
from ..optim import make_updater
from .base import Recipe, Role, Update
from .objective import Objective, averager, evaluate
from .supervised_views import confusion, rms, views_for

HISTOGRAM_INTERVAL = 0.5  # seconds between two histograms messages
CONFUSION_INTERVAL = 1.0  # ... and two confusion matrices
EPOCH_TEST_ROWS = 256  # light evaluation: at most this many test rows scored after each epoch ...
EPOCH_TEST_SHARE = 20  # ... and at most 1/20 as many as the epoch trains on, so scoring stays ~2 % of it


class Supervised(Recipe):
    name = "supervised"
    roles = {"network": Role("data", "answer", {"en": "The network: the dataset's input to its answer.",
                                                "zh-hans": "网络：从数据集的输入到它的答案。"})}
    view_intervals = {"histograms": HISTOGRAM_INTERVAL, "confusion": CONFUSION_INTERVAL}
    dtype = torch.float32

    def __init__(self, v, ds, device):
        super().__init__(v, ds, device)
        t = v.spec["training"]
        torch.manual_seed(t["seed"])  # initial weights
        self.model = GraphModel(v).to(device, self.dtype)
        self.models = {"network": self.model}
        self.objective = self.make_objective()
        updater = self.make_updater(t)
        self.updaters = [updater] if updater is not None else []
        self.setup_data()
        self.classes = self.confusion_classes()
        self.pictures = views_for(v, ds, self.model, device, self.dtype, logits=self.logits)
        self.min_visual_interval = self.pictures.min_interval
        self.types = {nid: v.nodes[nid]["type"] for nid in v.order}

    @classmethod
    def check_network(cls, net, want, training):
        """Rosenblatt's rule and the closed-form solver each train only some networks."""
        return (rosenblatt.check(net.network, net.order, want["problem"], want["classes"])
                + solvers.check(net.network, net.order, want["problem"], training))

    # --- what is trained (the perceptron and closed form change these)
    logits = True  # the outputs are logits (a perceptron's are 0/1)

    def make_objective(self):
        return Objective(self.v.problem, self.v.nodes[self.v.output_id]["shape"][-1], self.v.per_step)

    def make_updater(self, t):
        return make_updater(self.model.parameters(), t)

    def answers(self, y_all):
        return self.objective.answers(y_all)

    def confusion_classes(self):
        classes = self.v.classes if self.objective.classification else None
        return 2 if classes is not None and self.objective.out_units == 1 else classes

    def setup_data(self):
        ds, dev, dt = self.ds, self.device, self.dtype
        inputs = lambda x: x.to(dev, dt) if x.is_floating_point() else x.to(dev)  # noqa: E731  token ids stay int64

        def targets(y):  # class ids stay int64; values follow the run's dtype
            y = self.objective.targets(y)
            return y.to(dev, dt) if y.is_floating_point() else y.to(dev)

        self.x_train, self.y_train = inputs(ds.x_train), targets(ds.y_train)  # (N, F...), (N, ...)
        self.n = n = self.x_train.shape[0]
        self.x_all = inputs(torch.cat([ds.x_train, ds.x_test]))  # (N + M, ...): train rows, then test rows
        self.y_all = torch.cat([self.y_train, targets(ds.y_test)])
        self.avg = averager(self.answers(self.y_all), n).to(dt)
        self.light = ds.dims == 0  # per-epoch metrics from the batches + a test subset (see above)
        if self.light:
            rows = min(EPOCH_TEST_ROWS, max(64, n // EPOCH_TEST_SHARE))  # a forward is ~1/3 of a step: ≤ ~2 % of the epoch
            self.x_epoch, self.y_epoch = self.x_all[n:n + rows], self.y_all[n:n + rows]
            self.avg_epoch = averager(self.objective.answers(self.y_epoch), 0).to(dt)  # row 0 (train) empty: test only

    # --- the protocol
    @property
    def metric_names(self):
        return ["train_loss", "test_loss"] + (["train_accuracy", "test_accuracy"] if self.objective.classification else [])

    def evaluate_tensor(self, predictions=None):
        return evaluate(self.model, self.objective, self.x_all, self.y_all, self.avg, predictions)

    def evaluate(self):
        return self.evaluate_tensor().tolist()

    def start_events(self, vals):
        events = [("metrics", self.metrics(vals))]
        if self.model.attention_ids:
            events.append(("kv_cache", probes.kv_cache(self.model, self.types)))
        return events

    def views(self, due, final):
        model = self.model
        if model.needs_eval_mode:
            model.eval()
        with instrument.gc_paused():
            payloads = self.pictures.pictures(model, self.evaluate_tensor)
            if "histograms" in due:
                payloads["histograms"] = instrument.histograms(model)
        if model.needs_eval_mode:
            model.train()
        return payloads

    def begin_epoch(self, shuffle):
        perm = torch.randperm(self.n, generator=shuffle).to(self.device)
        self.xs, self.ys = self.x_train[perm], self.y_train[perm]  # (N, F), shuffled once: batches are cheap slices
        self.hits, self.rows_seen = [], 0  # light: right answers per batch, rows trained on
        return self.n

    def batch(self, i, j):
        self.rows_seen = min(j, self.n)
        return self.xs[i:j], self.ys[i:j]  # (B, F), (B, ...)

    def step(self, batch):
        xb, yb = batch
        out = self.model(xb)
        loss = self.objective.loss(out, yb)
        if self.light and self.objective.classification:
            self.hits.append(self.objective.correct(out.detach(), yb).sum())
        yield Update(loss, self.updaters[0])

    def confusion_due(self, due):
        return due is not None and self.classes is not None and "confusion" in due

    def epoch_tensor(self, losses, due):
        """[metrics..., gradient stats (when streaming)] as one tensor on the device."""
        self.predictions = [] if self.confusion_due(due) else None
        if self.light:  # the epoch's batches for training, the test subset for the test
            m = evaluate(self.model, self.objective, self.x_epoch, self.y_epoch, self.avg_epoch, self.predictions)
            train_loss = torch.stack(losses).mean().reshape(1)  # [0, test_loss(, 0, test_acc)] -> filled in
            if self.objective.classification:
                answered = self.objective.answers(self.ys[:self.rows_seen]).sum().clamp_min(1)
                m = torch.cat([train_loss, m[1:2], torch.stack(self.hits).sum().reshape(1) / answered, m[3:4]])
            else:
                m = torch.cat([train_loss, m[1:2]])
        else:
            m = self.evaluate_tensor(self.predictions)
        stats = [instrument.gradient_stats(self.model)] if due is not None else []  # (2·P,): L2 norms, then L1
        return torch.cat([m, *stats])

    def read_epoch(self, values):
        return values[:len(self.metric_names)]

    def epoch_events(self, vals, values, due):
        events = [("metrics", self.metrics(vals))]
        norms, mean_abs = instrument.per_layer(self.model, values[len(self.metric_names):])
        events.append(("gradients", {"layers": list(self.model.layer_ids), "norms": norms, "mean_abs": mean_abs}))
        if self.predictions:
            events.append(("confusion", self.confusion(self.y_epoch if self.light else self.y_all)))
        return events

    def confusion(self, truth):
        return confusion(self.ds, self.objective, self.classes, self.predictions, truth)

    def final_evaluation(self, due):
        self.predictions = [] if self.confusion_due(due) else None
        raw = self.evaluate_tensor(self.predictions).tolist()
        return raw, ([("confusion", self.confusion(self.y_all))] if self.predictions else [])

    def final(self, vals):
        final = self.metrics(vals)
        if not self.objective.classification:
            final["train_rms"], final["test_rms"] = rms(vals)
        return final
