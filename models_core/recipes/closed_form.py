"""
training.solver closed_form as a recipe: the least-squares weights of input → dense(1) in one step
(solvers.py), so the run is one epoch of one step with no gradients event, in float64: the degree-9
fit to 10 points has coefficients near 10⁶ that cancel, and float32 would lose it.
"""

import torch

from .. import solvers
from .base import Update
from .supervised import Supervised


class ClosedForm(Supervised):
    name = "closed_form"
    dtype = torch.float64
    max_epochs = 1  # the exact minimum in one step: no epochs left to run

    def make_updater(self, t):
        self.rate = t["regularization"]["rate"]  # no optimizer: the fit below sets the weights
        return None

    def set_rates(self, lr, rate):
        self.rate = rate  # a live `set` before the fit

    def begin_epoch(self, shuffle):
        return 1  # one "row": the whole training set at once

    def batch(self, i, j):
        return None

    @property
    def l2_rate(self):
        return self.rate if self.v.spec["training"]["regularization"]["kind"] == "l2" else 0.0

    def step(self, batch):
        solvers.least_squares(self.model.layers[self.model.output_id], self.x_train, self.y_train, self.l2_rate)
        with torch.no_grad():
            yield Update(self.objective.loss(self.model(self.x_train), self.y_train), None)

    def epoch_tensor(self, losses, due):
        self.predictions = None
        return self.evaluate_tensor()

    def epoch_events(self, vals, values, due):
        return [("metrics", self.metrics(vals))]
