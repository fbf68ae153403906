"""
What supervised learning minimises and how it is scored. The loss follows the problem: BCE on one
logit, cross-entropy on 2+ logits, MSE for regression; per-step targets (N, T) hold IGNORE where a
step has no answer, and losses and accuracies average over the answered steps only.
"""

import torch
import torch.nn.functional as F

from ..data_sequences import IGNORE

EVAL_CHUNK = 2048  # rows per forward pass when evaluating (a big test set must not need a huge batch)


class Objective:
    """The loss follows the problem: BCE on one logit, cross-entropy on 2+ logits, MSE for regression."""

    def __init__(self, problem, out_units, per_step=False):
        self.problem, self.out_units, self.per_step = problem, out_units, per_step
        self.classification = problem == "classification"

    def targets(self, y):
        """(N,) labels from the dataset -> what the loss compares the (N, out) outputs with;
        per-step (N, T) class ids stay as they are."""
        if self.per_step:
            return y.long()
        if not self.classification or self.out_units == 1:
            return y.float().unsqueeze(1)  # (N, 1)
        return y.long()  # (N,) class ids

    def loss(self, out, t, reduction="mean"):
        """reduction "none": one value per row (per-step: summed over the row's answered steps)."""
        if self.per_step:  # out (N, T, V), t (N, T); IGNORE steps count nothing
            per = F.cross_entropy(out.reshape(-1, out.shape[-1]), t.reshape(-1), ignore_index=IGNORE,
                                  reduction=reduction)
            return per.reshape(t.shape).sum(dim=1) if reduction == "none" else per
        if not self.classification:
            return F.mse_loss(out, t, reduction=reduction)
        if self.out_units == 1:
            return F.binary_cross_entropy_with_logits(out, t, reduction=reduction)
        return F.cross_entropy(out, t, reduction=reduction)

    def predictions(self, out):
        """Class ids: (N,) or per-step (N, T)."""
        if self.out_units == 1 and not self.per_step:
            return (out[:, 0] > 0).long()
        return out.argmax(dim=-1)

    def correct(self, out, t):
        """(N,) how many answers of each row are right (0/1 per row; per-step: right answered steps)."""
        if self.per_step:
            return (out.argmax(dim=-1) == t).sum(dim=1).float()
        if self.out_units == 1:
            return ((out[:, 0] > 0) == (t[:, 0] > 0.5)).float()
        return (out.argmax(dim=1) == t).float()

    def answers(self, t):
        """(N,) how many answers each row holds: 1, or per-step its answered steps."""
        if self.per_step:
            return (t >= 0).sum(dim=1).float()
        return torch.ones(t.shape[0], device=t.device)


def averager(answers, n_train):
    """(2, N + M) matrix whose rows average a column over the training rows and over the test rows,
    each row weighted by how many answers it holds. answers: (N + M,) from Objective.answers."""
    avg = torch.zeros(2, answers.shape[0], device=answers.device)
    avg[0, :n_train] = answers[:n_train] / answers[:n_train].sum().clamp_min(1)
    avg[1, n_train:] = answers[n_train:] / answers[n_train:].sum().clamp_min(1)
    return avg / answers.clamp_min(1)  # a row's column holds its sum over its answers: weight it per answer


@torch.no_grad()
def evaluate(model, objective, x_all, y_all, avg, predictions=None):
    """Full-batch metrics as one tensor [train_loss, test_loss(, train_acc, test_acc)], on the device.
    x_all holds the training rows then the test rows: one forward pass and one matmul serve both (in
    chunks of EVAL_CHUNK rows for a big dataset). predictions: a list that receives every row's
    predicted class ids (for the confusion matrix)."""
    if model.needs_eval_mode:
        model.eval()
    means = 0
    for i in range(0, x_all.shape[0], EVAL_CHUNK):
        x, y = x_all[i:i + EVAL_CHUNK], y_all[i:i + EVAL_CHUNK]
        out = model(x)  # (n, out) or per-step (n, T, V)
        per = objective.loss(out, y, reduction="none")  # (n, 1) or (n,)
        cols = [per.reshape(-1)] + ([objective.correct(out, y)] if objective.classification else [])
        means = means + avg[:, i:i + EVAL_CHUNK] @ torch.stack(cols, dim=1)  # (2, C): rows train/test
        if predictions is not None:
            predictions.append(objective.predictions(out))
    if model.needs_eval_mode:
        model.train()
    return means.T.reshape(-1)
