"""
The learning-rate schedule, training.schedule: a factor on the learning rate, set at the start of
each epoch (epochs are what the student watches; per step would change nothing visible).

  constant  1 (the default: the learning rate is left alone)
  step      gamma ** (epoch // every): halve it every 100 epochs, with the defaults
  cosine    ½·(1 + cos(π·epoch / epochs)): from the full rate at the first epoch down towards 0 at the last

The `set` control changes the base rate; the schedule keeps scaling whatever the base is.
"""

import math


def lr_factor(schedule, epoch, epochs):
    """schedule: the spec's normalised schedule; epoch: the one about to be trained, counted from 0."""
    kind = schedule["kind"]
    if kind == "step":
        return schedule["gamma"] ** (epoch // schedule["every"])
    if kind == "cosine":
        return 0.5 * (1 + math.cos(math.pi * epoch / epochs))
    return 1.0
