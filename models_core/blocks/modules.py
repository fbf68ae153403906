"""
The torch modules of the blocks that torch itself does not have: the one source of their code. The
blocks (blocks/*.py) build these classes for the server, and an export (models_core/export.py) copies
the source of the ones a network uses, verbatim, into its network.py, so the two cannot drift.

Hence the rules of this file: import nothing but math, torch, torch.nn as nn and torch.nn.functional
as F (what an exported file imports), and keep every helper a class uses here, at the top level (the
export copies a definition together with the top-level names it refers to).
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BYTES = 4  # float32: a KV cache's bytes per number


class Heaviside(torch.autograd.Function):
    """step(x) = 1 if x > 0 else 0, with its true derivative: zero everywhere (we ignore x = 0)."""

    @staticmethod
    def forward(ctx, x):
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        # honest on purpose: no gradient passes a step, so nothing before it learns by backprop
        return torch.zeros_like(grad)


class Step(nn.Module):
    """step(x): 1 where x > 0, else 0. Its gradient is zero everywhere: nothing before it learns by backprop."""

    def forward(self, x):
        return Heaviside.apply(x)


class Sign(nn.Module):
    """sign(x): -1, 0 or 1. torch.sign's gradient is already the honest zero."""

    def forward(self, x):
        return torch.sign(x)


class Perceptron(nn.Linear):
    """Rosenblatt's threshold units: an nn.Linear (weight (units, F), bias (units,)) whose output goes
    through a step, 0 or 1. Trained by the perceptron rule, not by backprop."""

    def forward(self, x):
        return Heaviside.apply(super().forward(x))  # (B, F) -> (B, units) of 0.0 / 1.0


class BatchNorm(nn.Module):
    """Batch normalisation of the features (B, F), of each step's features (B, T, F), or of the channels (B, C, H, W)."""

    def __init__(self, width, rank, momentum):
        super().__init__()
        self.rank = rank
        self.norm = nn.BatchNorm1d(width, momentum=momentum) if rank < 3 else nn.BatchNorm2d(width, momentum=momentum)

    def forward(self, x):
        if self.rank == 2:
            x = x.transpose(1, 2)  # (B, T, F) -> (B, F, T): BatchNorm1d wants the features second
        if self.training and x.shape[0] == 1 and x[0, 0].numel() == 1:
            # a batch of one has no variance: normalise it with the running statistics
            n = self.norm
            y = F.batch_norm(x, n.running_mean, n.running_var, n.weight, n.bias, False, 0.0, n.eps)
        else:
            y = self.norm(x)
        return y.transpose(1, 2) if self.rank == 2 else y


class Reshape(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)  # (B, *in) -> (B, *shape)


class Add(nn.Module):
    """The sum of its inputs: a skip connection."""

    def forward(self, *xs):
        y = xs[0]
        for x in xs[1:]:
            y = y + x
        return y


class Concat(nn.Module):
    """Its inputs side by side along one axis (the features, or an image's channels)."""

    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, *xs):
        return torch.cat(xs, dim=self.dim)


class Recurrent(nn.Module):
    """An nn.RNN, nn.LSTM or nn.GRU (batch_first) over (B, T, F). last=True: the top layer's final state
    per direction (B, D·H); else every step's state (B, T, D·H)."""

    def __init__(self, rnn, last):
        super().__init__()
        self.rnn, self.last = rnn, last
        self.dirs = 2 if rnn.bidirectional else 1

    def forward(self, x):
        y, h = self.rnn(x)  # y: (B, T, D·H); h: (layers·D, B, H), or (h, c) for an lstm
        if not self.last:
            return y
        h = h[0] if isinstance(h, tuple) else h
        return torch.cat(list(h[-self.dirs:]), dim=1)


def sinusoids(t, d):
    """pe[t, 2i] = sin(t / 10000^(2i/D)), pe[t, 2i+1] = cos(t / 10000^(2i/D)) (Vaswani et al.)."""
    pos = torch.arange(t, dtype=torch.float32)[:, None]  # (T, 1)
    freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))  # (⌈D/2⌉,)
    pe = torch.zeros(t, d)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq[: d // 2])
    return pe  # (T, D)


class PositionalEncoding(nn.Module):
    """Adds a position vector to each step of (B, T, D): fixed sine waves, or a learned table."""

    def __init__(self, t, d, learned):
        super().__init__()
        if learned:
            self.pe = nn.Parameter(torch.randn(t, d) * 0.02)
        else:
            self.register_buffer("pe", sinusoids(t, d), persistent=False)

    def forward(self, x):
        return x + self.pe  # (B, T, D) + (T, D)


def attend(q, k, v, causal, capture=False):
    """q, k, v: (B, nh, T, hs) -> (y (B, nh, T, hs), probabilities (B, nh, T, T) or None). The fused
    kernel normally; with capture, the same softmax(QKᵀ/√d)V written out, to keep the probabilities."""
    if not capture:
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal), None
    t = q.shape[-2]
    att = (q @ k.transpose(-2, -1)) / math.sqrt(k.shape[-1])  # (B, nh, T, T)
    if causal:  # step t sees steps ≤ t only
        mask = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
        att = att.masked_fill(~mask, float("-inf"))
    att = F.softmax(att, dim=-1)
    assert att.shape[-2:] == (t, t)
    return att @ v, att  # (B, nh, T, hs)


class Attention(nn.Module):
    """One head, head size = F: y = softmax(Q Kᵀ / √F) V with Q = x W_q, K = x W_k, V = x W_v.
    Set capture = True to keep the (B, 1, T, T) probabilities in `weights` after a forward."""

    def __init__(self, width, causal):
        super().__init__()
        self.query = nn.Linear(width, width, bias=False)
        self.key = nn.Linear(width, width, bias=False)
        self.value = nn.Linear(width, width, bias=False)
        self.causal, self.capture, self.weights = causal, False, None

    def forward(self, x):
        q, k, v = (m(x).unsqueeze(1) for m in (self.query, self.key, self.value))  # (B, 1, T, F)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()
        return y.squeeze(1)  # (B, T, F)

    def kv_cache_bytes_per_token(self):
        return 2 * self.key.out_features * BYTES  # a key and a value of F floats


class MultiHeadAttention(nn.Module):
    """The width F split into `heads` heads that attend on their own; a projection mixes them (as
    nanoGPT's CausalSelfAttention)."""

    def __init__(self, width, heads, causal):
        super().__init__()
        assert width % heads == 0
        self.c_attn = nn.Linear(width, 3 * width, bias=False)  # q, k, v for all heads in one matmul
        self.c_proj = nn.Linear(width, width, bias=False)
        self.nh, self.causal, self.capture, self.weights = heads, causal, False, None

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 × (B, T, C)
        q, k, v = (z.view(B, T, self.nh, C // self.nh).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()  # (B, nh, T, T)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again
        return self.c_proj(y)

    def kv_cache_bytes_per_token(self):
        return 2 * self.c_proj.in_features * BYTES  # 2 · heads · head_dim floats


class LatentAttention(nn.Module):
    """Multi-head latent attention (DeepSeek-V2): keys and values come from one shared latent per token."""

    def __init__(self, width, heads, latent, causal):
        super().__init__()
        assert width % heads == 0
        self.wq = nn.Linear(width, width, bias=False)
        self.w_dkv = nn.Linear(width, latent, bias=False)  # down: the shared latent, what gets cached
        self.w_uk = nn.Linear(latent, width, bias=False)  # up: keys of all heads
        self.w_uv = nn.Linear(latent, width, bias=False)  # up: values of all heads
        self.c_proj = nn.Linear(width, width, bias=False)
        self.nh, self.causal, self.capture, self.weights = heads, causal, False, None

    def forward(self, x):
        B, T, C = x.shape
        c = self.w_dkv(x)  # (B, T, latent)
        q, k, v = self.wq(x), self.w_uk(c), self.w_uv(c)  # 3 × (B, T, C)
        q, k, v = (z.view(B, T, self.nh, C // self.nh).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y, att = attend(q, k, v, self.causal, self.capture)
        self.weights = None if att is None else att.detach()  # (B, nh, T, T)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    def kv_cache_bytes_per_token(self):
        return self.w_dkv.out_features * BYTES  # only the latent


class MLP(nn.Module):
    def __init__(self, width, ratio):
        super().__init__()
        self.c_fc = nn.Linear(width, ratio * width)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(ratio * width, width)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))  # (B, T, F) -> (B, T, r·F) -> (B, T, F)


class TransformerBlock(nn.Module):
    """Pre-LayerNorm transformer layer (GPT-2): x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, width, attn, mlp_ratio):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = attn
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = MLP(width, mlp_ratio)

    @property
    def capture(self):
        return self.attn.capture

    @capture.setter
    def capture(self, on):
        self.attn.capture = on

    @property
    def weights(self):
        return self.attn.weights  # (B, nh, T, T) after a forward with capture on

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))

    def kv_cache_bytes_per_token(self):
        return self.attn.kv_cache_bytes_per_token()
