"""
Linear regression by full-batch gradient descent, drawn as a line fit: the worked example of
docs/models_core.md (a recipe is this one file plus one line in recipes/__init__.py).

One network, `network`: input → dense(1), on a 1-D dataset (house_prices: price against distance; or
curve_fit). Every step is one gradient step on the mean squared error of *every* training point, so an
epoch is one step and the loss curve is gradient descent itself, without minibatch noise. The picture
is the `curve` view: the fitted line (a polynomial at curve_fit's degree) through the points.
"""

import torch
import torch.nn.functional as F

from .. import instrument
from ..datasets import DATASETS, poly_features
from ..errors import SpecError, show
from ..graph_model import GraphModel
from ..optim import make_updater
from .base import Recipe, Role, Update
from .supervised_views import rms


class LineFit(Recipe):
    name = "line_fit"
    roles = {"network": Role("data", "answer", {"en": "input → dense(1): the line y = w·x + b.",
                                                "zh-hans": "输入 → dense(1)：直线 y = w·x + b。"})}
    metric_names = ["train_loss", "test_loss"]

    @classmethod
    def check_network(cls, net, want, training):
        if DATASETS[want["name"]].family != "curve":
            return [SpecError("dataset.name", f"line_fit fits a line to 1-D points: pick house_prices or curve_fit "
                              f"(not {show(want['name'])})")]
        if len(net.order) != 2 or net.nodes[net.order[1]]["type"] != "dense":
            return [SpecError("network.nodes", "line_fit trains input → dense(1): one dense block after the input")]
        return []

    def __init__(self, v, ds, device):
        super().__init__(v, ds, device)
        torch.manual_seed(v.spec["training"]["seed"])
        self.model = GraphModel(v).to(device)
        self.models = {"network": self.model}
        self.updaters = [make_updater(self.model.parameters(), v.spec["training"])]
        on = lambda t: t.to(device, torch.float32)  # noqa: E731
        self.x, self.y = on(ds.x_train), on(ds.y_train)[:, None]  # (N, M + 1) powers of x, (N, 1)
        self.x_test, self.y_test = on(ds.x_test), on(ds.y_test)[:, None]
        self.line_x = torch.linspace(0, 1, instrument.CURVE_POINTS, dtype=torch.float64)
        self.line_feats = on(poly_features(self.line_x, ds.degree))

    @torch.no_grad()
    def losses(self):
        return torch.stack([F.mse_loss(self.model(self.x), self.y), F.mse_loss(self.model(self.x_test), self.y_test)])

    def evaluate(self):
        return self.losses().tolist()

    def start_events(self, vals):
        return [("metrics", self.metrics(vals))]

    def views(self, due, final):
        train_rms, test_rms = rms(self.evaluate())
        with torch.no_grad():
            line = instrument.curve(self.model, self.line_x, self.line_feats)
        return {"curve": {**line, "train": self.ds.train_points, "train_rms": train_rms, "test_rms": test_rms}}

    def begin_epoch(self, shuffle):
        return 1  # one step an epoch: the whole training set

    def batch(self, i, j):
        return self.x, self.y

    def step(self, batch):
        x, y = batch
        yield Update(F.mse_loss(self.model(x), y), self.updaters[0])

    def epoch_tensor(self, losses, due):
        return self.losses()

    def read_epoch(self, values):
        return values

    def epoch_events(self, vals, values, due):
        return [("metrics", self.metrics(vals))]

    def final_evaluation(self, due):
        return self.evaluate(), []

    def final(self, vals):
        train_rms, test_rms = rms(vals)
        return {**self.metrics(vals), "train_rms": train_rms, "test_rms": test_rms}
