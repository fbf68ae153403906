"""
training.solver: "gradient" (the default: epochs of minibatch steps) or "closed_form": the least-squares
weights in one step, for a model linear in its parameters, input → dense(1) on a regression dataset
(with curve_fit's polynomial features that is Bishop's polynomial curve fitting, Deep Learning §1.2).

closed_form minimises exactly what gradient descent minimises here: the mean squared error plus the
L2 penalty ½·rate·Σw² on the weights, not the bias (rate = regularization.rate when its kind is l2).
In Bishop's form, ½·Σₙ(y − t)² + ½·λ·‖w‖², that is λ = N·rate/2. The run is then one step (epoch 1,
no gradients event), in float64: the degree-9 fit to 10 points has coefficients near 10⁶ that cancel,
and float32 would lose it.
"""

import math

import torch

from .errors import SpecError

SOLVERS = ("gradient", "closed_form")


def check(network, order, problem, training):
    """Spec errors for a closed_form solver that cannot apply. network: the normalised network; order:
    its node ids, input first; training: the normalised training section."""
    if training.get("solver") != "closed_form":
        return []
    if problem != "regression":
        return [SpecError("training.solver", "closed_form solves least squares: pick a regression dataset "
                          "(curve_fit, house_prices, plane, multi_gauss), or use the gradient solver")]
    types = {n["id"]: n["type"] for n in network["nodes"]}
    if len(order) != 2 or types[order[1]] != "dense":
        return [SpecError("training.solver", "closed_form needs a model linear in its parameters: input → dense(1) "
                          f"(this network has {len(order) - 1} blocks after the input) — or use the gradient solver")]
    if (training.get("regularization") or {}).get("kind") == "l1":
        return [SpecError("training.regularization.kind", "an L1 penalty has no closed-form solution: use l2 or none "
                          "with closed_form, or the gradient solver")]
    return []


@torch.no_grad()
def least_squares(layer, x, t, rate):
    """layer: a dense nn.Linear(F, 1); x (N, F), t (N, 1). Writes the minimiser of
    mean((x·w + b − t)²) + ½·rate·‖w‖² into the layer (in float64 on the cpu, then copied back)."""
    n, f = x.shape
    a = x.detach().to("cpu", torch.float64)  # (N, F)
    if layer.bias is not None:
        a = torch.cat([a, torch.ones(n, 1, dtype=torch.float64)], dim=1)  # (N, F + 1): the bias's column
    b = t.detach().to("cpu", torch.float64)  # (N, 1)
    if rate > 0:
        # times N, the objective is ‖a·w − b‖² + ‖√(N·rate/2)·w‖²: ridge regression, solved as least
        # squares on extra rows (never forming aᵀa, which would square the condition number)
        ridge = torch.zeros(f, a.shape[1], dtype=torch.float64)
        ridge[:, :f] = torch.eye(f, dtype=torch.float64) * math.sqrt(n * rate / 2)
        a, b = torch.cat([a, ridge]), torch.cat([b, torch.zeros(f, 1, dtype=torch.float64)])
    # gelsd: the minimum-norm solution where it is not unique (more coefficients than points)
    w = torch.linalg.lstsq(a, b, driver="gelsd").solution  # (P, 1)
    layer.weight.copy_(w[:f].T)
    if layer.bias is not None:
        layer.bias.copy_(w[f:, 0])
