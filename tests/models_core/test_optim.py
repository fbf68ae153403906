import pytest
import torch

from models_core.optim import SGD, Adam


def set_lr(opt, lr):
    if isinstance(opt, torch.optim.Optimizer):
        for group in opt.param_groups:
            group["lr"] = lr
    else:
        opt.lr = lr


def run(make, steps=6):
    torch.manual_seed(0)
    params = [torch.randn(4, 3, requires_grad=True), torch.randn(4, requires_grad=True)]
    opt = make(params)
    for i in range(steps):
        for p in params:
            p.grad = torch.randn_like(p) * (i + 1)
        opt.step()
        if i == 2:  # the live `set` control changes the learning rate mid-run
            set_lr(opt, 0.05)
    return [p.detach().clone() for p in params]


@pytest.mark.parametrize("ours, theirs", [
    (lambda ps: SGD(ps, lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    (lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
    (lambda ps: Adam(ps, lr=0.1), lambda ps: torch.optim.Adam(ps, lr=0.1)),
])
def test_matches_torch_optim(ours, theirs):
    for a, b in zip(run(ours), run(theirs)):
        assert torch.allclose(a, b, atol=1e-6), (a - b).abs().max()
