"""
Rosenblatt's perceptron rule (1958), for the one network it applies to: input → perceptron(1 unit),
on a binary classification dataset. No autograd: for each training point, with ŷ = step(w·x + b),

    w += lr · (y − ŷ) · x,    b += lr · (y − ŷ)

so a point already right changes nothing. A batch adds up its points' updates, all computed with the
same weights (batch size 1 is the classic rule, point by point).

How it fits the loop: that update is plain SGD on the perceptron criterion −Σ (y − ŷ)(w·x + b) with
ŷ held fixed, whose gradient is −Σ (y − ŷ)·x. set_grads writes it into .grad and the loop's SGD step
applies it, so the `gradients` event shows that gradient per layer (lr times it is the update; it is
zero once every point of the batch is right). The optimizer, momentum and regularization settings
do not apply: the rule is the rule.

The reported loss is the error rate: for 0/1 predictions against 0/1 labels that is also their mean
squared error, which is how it is computed.
"""

import torch
import torch.nn.functional as F

from .blocks import REGISTRY
from .errors import SpecError, show


def check(network, order, problem, classes):
    """Spec errors for perceptrons used where the rule cannot train them. network: the normalised
    network; order: its node ids, input first. Any other graph than input → perceptron is refused."""
    errors = []
    for i, node in enumerate(network["nodes"]):
        if REGISTRY[node["type"]].trained_by != "rosenblatt":
            continue
        nid, where = node["id"], f"network.nodes[{i}]"
        if len(order) != 2:  # one input, one more node: input → perceptron, nothing else
            errors.append(SpecError(where, f"perceptron {show(nid)} is trained by Rosenblatt's rule and must be the "
                                    "only layer: input → perceptron", nid))
        elif problem != "classification" or classes != 2:
            errors.append(SpecError(where, f"perceptron {show(nid)} answers yes or no (0 or 1): pick a binary "
                                    "classification dataset (circle, xor, gauss, spiral, moons)", nid))
        elif node["params"]["units"] != 1:
            errors.append(SpecError(f"{where}.params.units", f"perceptron {show(nid)} answers one yes-or-no question: "
                                    "use 1 unit", nid))
    return errors


class ErrorRate:
    """The perceptron's objective as the loop sees it: 0/1 outputs (N, 1) against 0/1 labels."""

    classification = True

    def targets(self, y):
        return y.float().unsqueeze(1)  # (N, 1)

    def loss(self, out, t, reduction="mean"):
        return F.mse_loss(out, t, reduction=reduction)  # (y − ŷ)² is 1 for a mistake, 0 otherwise

    def correct(self, out, t):
        return (out[:, 0] == t[:, 0]).float()  # (N,)


@torch.no_grad()
def set_grads(layer, xb, tb):
    """layer: the Perceptron module; xb (B, F), tb (B, 1) of 0/1. Writes minus the rule's update
    direction into .grad (an SGD step with lr then applies the rule) and returns the batch's error rate."""
    e = tb - layer(xb)  # (B, 1): +1 missed a 1, −1 missed a 0, 0 right
    layer.weight.grad = -(e.T @ xb)  # (1, F)
    layer.bias.grad = -e.sum(dim=0)  # (1,)
    return (e * e).mean()
