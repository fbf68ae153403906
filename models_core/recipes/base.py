"""
The protocol every recipe fills: what is trained. The loop (loop.py) says how, and never asks what.

A recipe is built for one validated spec, its dataset and a device. The loop then calls, in order:
  evaluate()                     -> raw metric values (floats), the untrained model's, then every epoch's
  start_events(metrics)          -> [(type, payload)] after the first metrics (kv_cache ...)
  views(due, final)              -> {type: payload}: the pictures, at the loop's visual cadence
  begin_epoch(shuffle)           -> how many rows this epoch has; batch(i, j) -> rows i..j
  step(batch)                    -> yields Update(loss, updater[, backward]): the loop runs backward,
                                    adds the penalty, clips and steps each; several updates make one
                                    step (a GAN's D then G), none with an updater is a fit (closed form)
  epoch_tensor(losses, due)      -> a tensor the loop converts together with its finiteness check,
                                    one sync point an epoch; read_epoch(values) -> the metric values
  epoch_events(values, due)      -> [(type, payload)] after an epoch (metrics, gradients, confusion)
  final_evaluation(due)          -> (raw metric values over every point, [(type, payload)])
  final(values)                  -> the run's final metrics
Metric values are a list; `metric_names` names them and `score` (lower is better) is what early
stopping and leaderboards read. `view_intervals` asks the loop to pace some views itself: a view
type there is passed in `due` only when its interval has passed.
"""

from dataclasses import dataclass, field
from typing import Optional

import torch


@dataclass(frozen=True)
class Role:
    """What a recipe needs of one named network: what its input takes and what its output gives.
    takes "data": the dataset's own input node. gives "answer": what the dataset's problem asks (the
    width and head spec.py checks against it)."""

    takes: str = "data"
    gives: str = "answer"
    help: dict = field(default_factory=dict)


@dataclass
class Update:
    """One optimizer step within a training step. updater None: nothing to step (a closed-form fit);
    backward False: the recipe set the gradients itself (Rosenblatt's rule)."""

    loss: torch.Tensor
    updater: Optional[object]
    backward: bool = True


class Recipe:
    name = ""
    roles = {"network": Role()}  # network name -> Role: the networks a spec for this recipe holds
    score = "test_loss"
    view_intervals = {}  # view type -> seconds between two, paced by the loop
    min_visual_interval = 0.0  # the pictures are sent at most this often, whatever the run asks
    max_epochs = None  # a recipe that fits in one step says 1

    def __init__(self, v, ds, device):
        self.v, self.ds, self.device = v, ds, device
        self.models = {}  # network name -> GraphModel
        self.updaters = []  # what a `set` of the learning rate and the regularization rate changes

    @classmethod
    def check_network(cls, net, want, training):
        """[SpecError] for what this recipe needs of one sound network (a spec.GraphInfo) beyond its
        role: `want` says what the dataset asks ({"name", "problem", "classes", ...}); `training` is
        the normalised training section. Paths as for a lone network ("network.nodes[1]")."""
        return []

    def set_rates(self, lr, rate):
        for u in self.updaters:
            u.set_rates(lr, rate)

    @property
    def metric_names(self):
        raise NotImplementedError

    def metrics(self, values):
        return dict(zip(self.metric_names, values))

    def set_weight(self, msg):
        """A student's edit of one weight of a dense layer, while paused (validated by controls.py,
        which also makes `network` name one of several)."""
        set_dense_weight(self.models[msg.get("network") or next(iter(self.models))], msg)


@torch.no_grad()
def set_dense_weight(model, msg):
    """A set_weight control (validated by controls.py) on a GraphModel's dense layer."""
    layer = model.layers[msg["node"]]
    if msg["col"] == "bias":
        layer.bias[msg["row"]] = float(msg["value"])
    else:
        layer.weight[msg["row"], msg["col"]] = float(msg["value"])
