"""
SGD, SGD with momentum, and Adam, each a few foreach ops per step. Same maths as torch.optim's
(tests/models_core/test_optim.py checks them against it), without its per-step bookkeeping, which
costs more than the step itself for the tiny networks trained here (and its first use imports
torch._dynamo, ~2 s). `lr` can change between steps (the live `set` control).
"""

import math

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


def make_optimizer(params, t):
    """t: the spec's training section."""
    if t["optimizer"] == "adam":
        return Adam(params, t["learning_rate"])
    return SGD(params, t["learning_rate"], t["momentum"] if t["optimizer"] == "momentum" else 0.0)
