"""The seam between the loop and the recipes: training.recipe, several networks per spec, and a loop
that trains a recipe it knows nothing about."""

import math

import pytest
import torch

from models_core import SpecInvalid, validate_spec
from models_core.loop import Loop
from models_core.optim import SGD, Updater
from models_core.recipes import RECIPES, recipe_class
from models_core.recipes.base import Recipe, Role, Update
from models_core.recipes.closed_form import ClosedForm
from models_core.recipes.perceptron import Perceptron
from models_core.recipes.supervised import Supervised
from models_core.run_state import RunState
from models_core.train import train

NET = {"nodes": [{"id": "in", "type": "input"}, {"id": "h", "type": "dense", "params": {"units": 4}},
                 {"id": "a", "type": "activation", "params": {"fn": "tanh"}},
                 {"id": "out", "type": "dense", "params": {"units": 1}}],
       "edges": [["in", "h"], ["h", "a"], ["a", "out"]]}
BAD_NET = {"nodes": [{"id": "in", "type": "input"}, {"id": "out", "type": "dense", "params": {"units": 0}}],
           "edges": [["in", "out"]]}


def errors_of(spec):
    with pytest.raises(SpecInvalid) as e:
        validate_spec(spec)
    return {err.path: err.message for err in e.value.errors}


class TwoNetworks(Supervised):
    """A recipe that names two networks (only its roles matter for validation)."""

    name = "two_networks"
    roles = {"first": Role(), "second": Role()}


@pytest.fixture
def two_networks(monkeypatch):
    monkeypatch.setitem(RECIPES, "two_networks", TwoNetworks)


def test_it_defaults_to_supervised_so_every_old_spec_means_the_same():
    v = validate_spec({"network": NET, "dataset": {"name": "circle"}})
    assert v.recipe == "supervised" and "recipe" not in v.spec["training"]  # stored as before
    assert list(v.networks) == ["network"] and v.networks["network"].output_id == "out"
    assert recipe_class(v) is Supervised


def test_it_names_the_known_recipes_for_an_unknown_one():
    errors = errors_of({"network": NET, "training": {"recipe": "magic"}})
    assert "supervised" in errors["training.recipe"] and "magic" in errors["training.recipe"]


def test_it_picks_the_perceptron_and_closed_form_variants_of_supervised():
    perceptron = {"nodes": [{"id": "in", "type": "input"}, {"id": "p", "type": "perceptron"}], "edges": [["in", "p"]]}
    assert recipe_class(validate_spec({"network": perceptron, "dataset": {"name": "gauss"}})) is Perceptron
    line = {"nodes": [{"id": "in", "type": "input"}, {"id": "o", "type": "dense", "params": {"units": 1}}],
            "edges": [["in", "o"]]}
    v = validate_spec({"network": line, "dataset": {"name": "curve_fit"}, "training": {"solver": "closed_form"}})
    assert recipe_class(v) is ClosedForm


def test_several_networks_are_validated_each_on_its_own(two_networks):
    v = validate_spec({"networks": {"first": NET, "second": NET}, "dataset": {"name": "circle"},
                       "training": {"recipe": "two_networks"}})
    assert list(v.spec["networks"]) == ["first", "second"] and "network" not in v.spec
    assert v.spec["training"]["recipe"] == "two_networks" and validate_spec(v.spec).spec == v.spec
    assert v.networks["second"].nodes["h"]["shape"] == [4]
    assert v.total_params == v.networks["first"].total_params


def test_an_error_in_one_of_several_networks_says_which(two_networks):
    errors = errors_of({"networks": {"first": NET, "second": BAD_NET}, "training": {"recipe": "two_networks"}})
    assert list(errors) == ["networks.second.nodes[1].params.units"]
    assert errors["networks.second.nodes[1].params.units"].startswith("network 'second': units")


def test_the_networks_must_be_the_ones_the_recipe_names(two_networks):
    errors = errors_of({"networks": {"first": NET, "third": NET}, "training": {"recipe": "two_networks"}})
    assert "its networks: first, second" in errors["networks.third"]
    assert "needs a network 'second'" in errors["networks"]
    assert "give them as networks" in errors_of({"network": NET, "training": {"recipe": "two_networks"}})["networks"]


def test_one_network_stays_network_and_not_both():
    assert "give it as network" in errors_of({"networks": {"network": NET}})["networks"]
    assert "not both" in errors_of({"network": NET, "networks": {"network": NET}})["networks"]
    assert "named networks" in errors_of({"networks": ["x"]})["networks"]


# --- the loop does not know what it trains -------------------------------------------------------

class Quadratic(Recipe):
    """Minimises (w − 3)² by gradient descent: no network, no dataset, two metrics."""

    name = "quadratic"

    def __init__(self, v, lr):
        super().__init__(v, None, "cpu")
        self.w = torch.zeros(1, requires_grad=True)
        self.updaters = [Updater(SGD([self.w], lr), [self.w], [], "none", 0.0)]

    metric_names = ["train_loss", "test_loss"]

    def loss(self):
        return ((self.w - 3) ** 2).sum()

    def evaluate(self):
        with torch.no_grad():
            return [float(self.loss()), float(self.loss())]

    def start_events(self, vals):
        return [("metrics", self.metrics(vals))]

    def views(self, due, final):
        return {"weights": {"w": float(self.w.detach())}}

    def begin_epoch(self, shuffle):
        return 4  # four "rows": four steps an epoch at batch size 1

    def batch(self, i, j):
        return None

    def step(self, batch):
        yield Update(self.loss(), self.updaters[0])

    def epoch_tensor(self, losses, due):
        return torch.tensor(self.evaluate())

    def read_epoch(self, values):
        return values

    def epoch_events(self, vals, values, due):
        return [("metrics", self.metrics(vals))]

    def final_evaluation(self, due):
        return self.evaluate(), []


def quadratic_run(lr=0.1, control=None, **training):
    v = validate_spec({"network": NET, "dataset": {"name": "circle"},
                       "training": {"batch_size": 1, "learning_rate": 0.1, **training}})
    recipe, events = Quadratic(v, lr), []
    t = v.spec["training"]
    state = RunState.for_training(t, 0.0, recipe.view_intervals)
    return Loop(recipe, state, t, events.append, control).run(), recipe, events, state


def test_the_loop_trains_a_recipe_it_knows_nothing_about():
    out, recipe, events, state = quadratic_run(epochs=10)
    assert out.status == "succeeded" and state.epoch == 10 and state.step == 40
    assert abs(float(recipe.w.detach()) - 3) < 1e-3
    metrics = [e for e in events if e["type"] == "metrics"]
    assert len(metrics) == 11 and metrics[-1]["test_loss"] < metrics[0]["test_loss"]
    assert events[0]["type"] == "settings" and any(e["type"] == "weights" for e in events)


def test_the_loop_keeps_a_step_budget_and_fails_a_diverging_recipe():
    out, _, _, state = quadratic_run(steps=6, epochs=1)
    assert state.step == 6 and state.epoch == 2
    out, _, _, _ = quadratic_run(lr=5.0, epochs=200)  # |1 − 2·lr| = 9: every step overshoots further
    assert out.status == "failed" and "infinite" in out.reason and "lower learning rate" in out.reason


def test_the_loop_stops_early_on_the_recipes_score():
    out, _, _, state = quadratic_run(lr=1.0, epochs=500, early_stopping={"patience": 3})  # w flips 0 ↔ 6
    assert out.status == "succeeded" and out.reason.startswith("stopped early at epoch 4: test loss")


class Script:
    """Control messages, one list per poll."""

    def __init__(self, *polls):
        self.polls = list(polls)

    def poll(self):
        return self.polls.pop(0) if self.polls else []


def test_the_loop_applies_set_and_stop_to_the_recipes_optimizer():
    control = Script([{"action": "set", "learning_rate": 0.25}], [{"action": "stop", "reason": "enough"}])
    out, recipe, events, _ = quadratic_run(control=control, epochs=10000)
    assert recipe.updaters[0].opt.lr == 0.25
    assert [e for e in events if e["type"] == "settings"][-1]["learning_rate"] == 0.25
    assert out.status == "cancelled" and out.reason == "enough"


def test_train_reports_the_model_by_network_name():
    result = train({"network": NET, "dataset": {"name": "circle", "samples": 40}, "training": {"epochs": 2}}, stream=False)
    assert result.status == "succeeded" and result.models["network"] is result.model
    assert math.isfinite(result.final["test_loss"])


# --- the worked example: a recipe in one file ----------------------------------------------------

LINE = {"nodes": [{"id": "in", "type": "input"}, {"id": "o", "type": "dense", "params": {"units": 1}}],
        "edges": [["in", "o"]]}


def test_line_fit_descends_to_the_least_squares_line_of_the_house_prices():
    spec = {"network": LINE, "dataset": {"name": "house_prices"},
            "training": {"recipe": "line_fit", "optimizer": "sgd", "learning_rate": 0.1, "epochs": 2000}}
    events = []
    result = train(spec, events.append, visual_interval=0.0)
    exact = train({**spec, "training": {"solver": "closed_form"}}, stream=False)
    assert result.status == "succeeded" and result.steps == result.epochs == 2000  # one full-batch step an epoch
    assert abs(result.final["train_loss"] - exact.final["train_loss"]) < 1e-3 * exact.final["train_loss"] + 1e-6
    curve = [e for e in events if e["type"] == "curve"][-1]
    assert len(curve["x"]) == len(curve["y"]) == 101 and curve["y"][0] > curve["y"][-1]  # prices fall with distance
    metrics = [e for e in events if e["type"] == "metrics"]
    assert len(metrics) == 2001 and metrics[-1]["train_loss"] < metrics[0]["train_loss"]


def test_line_fit_says_what_it_can_fit():
    errors = errors_of({"network": LINE, "dataset": {"name": "circle"}, "training": {"recipe": "line_fit"}})
    assert "pick house_prices or curve_fit" in errors["dataset.name"]
    errors = errors_of({"network": NET, "dataset": {"name": "house_prices"}, "training": {"recipe": "line_fit"}})
    assert "input → dense(1)" in errors["network.nodes"]


def test_the_loop_refuses_a_message_type_nobody_declared():
    from models_core.messages import UndeclaredMessage

    class Chatty(Quadratic):
        def views(self, due, final):
            return {"gossip": {"w": 1.0}}

    v = validate_spec({"network": NET, "training": {"epochs": 1}})
    recipe = Chatty(v, 0.1)
    state = RunState.for_training(v.spec["training"], 0.0, {})
    with pytest.raises(UndeclaredMessage, match="gossip"):
        Loop(recipe, state, v.spec["training"], [].append).run()


def test_set_weight_names_the_network_when_there_are_several(two_networks):
    from models_core.controls import validate_control

    v = validate_spec({"networks": {"first": NET, "second": NET}, "training": {"recipe": "two_networks"}})
    edit = {"action": "set_weight", "node": "out", "row": 0, "col": 1, "value": 0.5}
    assert "one of first, second" in validate_control(edit, v)[0].message
    assert validate_control({**edit, "network": "second"}, v) == []
    assert "unknown network 'third'" in validate_control({**edit, "network": "third"}, v)[0].message
    single = validate_spec({"network": NET})
    assert validate_control(edit, single) == [] and validate_control({**edit, "network": "network"}, single) == []


def test_a_step_of_several_updates_fails_at_the_step_that_diverged():
    class TwoUpdates(Quadratic):
        """Each step: a harmless update, then one that overshoots further every time (× 5)."""

        def __init__(self, v):
            super().__init__(v, 3.0)
            self.still = torch.zeros(1, requires_grad=True)
            self.updaters.append(Updater(SGD([self.still], 0.1), [self.still], [], "none", 0.0))

        def step(self, batch):
            yield Update((self.still ** 2).sum(), self.updaters[1])
            yield Update(self.loss(), self.updaters[0])

    v = validate_spec({"network": NET, "training": {"epochs": 200, "batch_size": 1}})
    recipe = TwoUpdates(v)
    state = RunState.for_training(v.spec["training"], 0.0, {})
    out = Loop(recipe, state, v.spec["training"], [].append).run()
    w, step = torch.zeros(1), 1  # the same divergence by hand, in float32: w ← w − 6·(w − 3)
    while torch.isfinite((w - 3) ** 2).all():
        w, step = w - 6 * (w - 3), step + 1
    assert step % 4 != 1  # within an epoch of 4 steps, not at its start (an epoch's end evaluation would see it)
    assert out.status == "failed" and out.reason.startswith(f"loss became infinite at step {step} ")
