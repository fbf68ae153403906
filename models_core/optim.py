"""
SGD, SGD with momentum, Adam, AdamW and RMSprop, each a few foreach ops per step, and gradient
clipping. Same maths as torch.optim's
(tests/models_core/test_optim.py checks them against it), without its per-step bookkeeping, which
costs more than the step itself for the tiny networks trained here (and its first use imports
torch._dynamo, ~2 s). `lr` can change between steps (the live `set` control).
"""

import math
from dataclasses import dataclass

import torch


class SGD:
    """p -= lr·g, or with momentum μ (PyTorch's form): b = μ·b + g, p -= lr·b."""

    def __init__(self, params, lr, momentum=0.0):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.bufs = None

    @torch.no_grad()
    def step(self):
        grads = [p.grad for p in self.params]
        if self.momentum == 0.0:
            torch._foreach_add_(self.params, grads, alpha=-self.lr)
            return
        if self.bufs is None:
            self.bufs = torch._foreach_mul(grads, 1.0)  # the first buffer is the gradient itself
        else:
            torch._foreach_mul_(self.bufs, self.momentum)
            torch._foreach_add_(self.bufs, grads)
        torch._foreach_add_(self.params, self.bufs, alpha=-self.lr)


class Adam:
    """Adam (Kingma & Ba) with bias correction, β = (0.9, 0.999), ε = 1e-8, as torch.optim.Adam."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        self.m = [torch.zeros_like(p) for p in self.params]  # first moment
        self.v = [torch.zeros_like(p) for p in self.params]  # second moment
        self.t = 0

    @torch.no_grad()
    def step(self):
        grads = [p.grad for p in self.params]
        b1, b2 = self.betas
        self.t += 1
        torch._foreach_lerp_(self.m, grads, 1 - b1)  # m = b1·m + (1 - b1)·g
        torch._foreach_mul_(self.v, b2)
        torch._foreach_addcmul_(self.v, grads, grads, 1 - b2)  # v = b2·v + (1 - b2)·g²
        bc1, bc2 = 1 - b1**self.t, 1 - b2**self.t
        denom = torch._foreach_sqrt(self.v)
        torch._foreach_div_(denom, math.sqrt(bc2))
        torch._foreach_add_(denom, self.eps)  # sqrt(v̂) + ε
        torch._foreach_addcdiv_(self.params, self.m, denom, -self.lr / bc1)  # p -= lr·m̂ / (sqrt(v̂) + ε)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW: before Adam's
    step, p -= lr·wd·p, for the `decayed` params only (the weights: as our L2, biases are spared).
    The decay never passes through m and v, which is the difference from Adam with an L2 penalty."""

    def __init__(self, params, lr, weight_decay=0.0, decayed=(), betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr, betas, eps)
        self.weight_decay = weight_decay
        self.decayed = list(decayed)

    @torch.no_grad()
    def step(self):
        if self.weight_decay > 0 and self.decayed:
            torch._foreach_mul_(self.decayed, 1 - self.lr * self.weight_decay)
        super().step()


class RMSprop:
    """RMSprop (Hinton), α = 0.99, ε = 1e-8, as torch.optim.RMSprop: v = α·v + (1 − α)·g²,
    p -= lr·g / (√v + ε)."""

    def __init__(self, params, lr, alpha=0.99, eps=1e-8):
        self.params, self.lr, self.alpha, self.eps = list(params), lr, alpha, eps
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        grads = [p.grad for p in self.params]
        torch._foreach_mul_(self.v, self.alpha)
        torch._foreach_addcmul_(self.v, grads, grads, 1 - self.alpha)
        denom = torch._foreach_sqrt(self.v)
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(self.params, grads, denom, -self.lr)


@torch.no_grad()
def clip_grad_norm_(params, max_norm):
    """Scales all gradients together so that their joint L2 norm is at most max_norm, as
    torch.nn.utils.clip_grad_norm_ (without a sync: the scale stays a tensor). Returns the norm before."""
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
    torch._foreach_mul_(grads, torch.clamp(max_norm / (total + 1e-6), max=1.0))
    return total


def make_optimizer(params, t, decayed=()):
    """t: the spec's training section. decayed: the params AdamW decays (the weights), at the L2
    rate when the regularization is l2 (then the loop adds no L2 gradient)."""
    kind = t["optimizer"]
    if kind == "adam":
        return Adam(params, t["learning_rate"])
    if kind == "adamw":
        reg = t["regularization"]
        return AdamW(params, t["learning_rate"], reg["rate"] if reg["kind"] == "l2" else 0.0, decayed)
    if kind == "rmsprop":
        return RMSprop(params, t["learning_rate"])
    return SGD(params, t["learning_rate"], t["momentum"] if kind == "momentum" else 0.0)


@dataclass
class Updater:
    """One optimizer as the loop drives it: the params it steps, the weights an L1/L2 penalty pulls on
    (the loop adds the penalty's gradient onto the grads), and the rates a live `set` changes."""

    opt: object
    params: list
    penalised: list  # the weights, not the biases
    penalty: str  # "none" | "l1" | "l2": the penalty the loop adds onto the gradients
    rate: float  # the penalty's rate
    decoupled: bool = False  # AdamW decays the weights itself: a `set` changes its weight_decay

    def set_rates(self, lr, rate):
        self.opt.lr, self.rate = lr, rate
        if self.decoupled:
            self.opt.weight_decay = rate


def make_updater(params, t):
    """The optimizer of the spec's training section `t` for `params`, with its regularization."""
    params = list(params)
    penalised = [p for p in params if p.ndim >= 2]
    kind, rate = t["regularization"]["kind"], t["regularization"]["rate"]
    decoupled = t["optimizer"] == "adamw" and kind == "l2"
    return Updater(make_optimizer(params, t, penalised), params, penalised, "none" if decoupled else kind, rate, decoupled)
