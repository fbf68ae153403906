"""
Rosenblatt's perceptron (1958) as a recipe: the supervised recipe's data and pictures, but the network
(input → perceptron(1 unit), rosenblatt.check) learns by the perceptron rule, not by backprop:
rosenblatt.set_grads writes the rule's direction into .grad and a plain SGD step applies it. The
optimizer, momentum and regularization settings do not apply: the rule is the rule. The loss is the
error rate.
"""

import torch

from .. import rosenblatt
from ..optim import SGD, Updater
from .base import Update
from .supervised import Supervised


class Perceptron(Supervised):
    name = "perceptron"
    logits = False  # its outputs are 0/1 already

    def make_objective(self):
        return rosenblatt.ErrorRate()

    def make_updater(self, t):
        params = list(self.model.parameters())
        return Updater(SGD(params, t["learning_rate"]), params, [], "none", 0.0)

    def answers(self, y_all):
        return torch.ones(len(y_all), device=self.device)

    def confusion_classes(self):
        return None

    def step(self, batch):
        xb, yb = batch
        layer = self.model.layers[self.model.rosenblatt_ids[0]]
        yield Update(rosenblatt.set_grads(layer, xb, yb), self.updaters[0], backward=False)
