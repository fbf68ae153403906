"""
The recipes: what a run trains (base.py says what a recipe gives the loop). `training.recipe` names
one; adding a recipe is one new file here plus one line in RECIPES.

Two variants of supervised learning are recipes of their own that a spec does not name: a network
input → perceptron learns by Rosenblatt's rule, and `training.solver: closed_form` fits in one step.
"""

from ..blocks import REGISTRY
from .closed_form import ClosedForm
from .line_fit import LineFit
from .perceptron import Perceptron
from .supervised import Supervised

RECIPES = {  # training.recipe -> the recipe
    "supervised": Supervised,
    "line_fit": LineFit,
}


def recipe_class(v):
    """The recipe that trains a validated spec."""
    t = v.spec["training"]
    cls = RECIPES[v.recipe]
    if cls is Supervised:
        if any(REGISTRY[v.nodes[n]["type"]].trained_by == "rosenblatt" for n in v.order):
            return Perceptron
        if t["solver"] == "closed_form":
            return ClosedForm
    return cls
