"""
The building blocks an exported network file defines (models_core/export.py copies the source of the
ones a network uses into that file). Plain PyTorch, importing only torch: the exported file must run
without models_core. Each class keeps the sub-module names of its models_core counterpart (rnn, norm,
c_attn, ln_1, ...) so that a GraphModel's weights load into it unchanged; attention is written out as
softmax(QKᵀ/√d)V rather than the fused kernel, to be read and to export to ONNX.
"""
import math

import torch
import torch.nn as nn


def attend(q, k, v, causal):
    """softmax(q kᵀ / √d) v for (B, heads, T, d) queries, keys and values; causal: step t sees steps ≤ t."""
    T = q.shape[-2]
    att = (q @ k.transpose(-2, -1)) / math.sqrt(k.shape[-1])  # (B, heads, T, T)
    if causal:
        mask = torch.ones(T, T, dtype=torch.bool, device=q.device).tril()
        att = att.masked_fill(~mask, float("-inf"))
    return torch.softmax(att, dim=-1) @ v  # (B, heads, T, d)


class Step(nn.Module):
    """step(x): 1 where x > 0, else 0. Its gradient is zero everywhere: nothing before it learns by backprop."""

    def forward(self, x):
        return (x > 0).to(x.dtype)


class Sign(nn.Module):
    """sign(x): -1, 0 or 1."""

    def forward(self, x):
        return torch.sign(x)


class Perceptron(nn.Linear):
    """Rosenblatt's threshold units: step(x Wᵀ + b), 0 or 1 (trained by the perceptron rule)."""

    def forward(self, x):
        return (super().forward(x) > 0).to(x.dtype)


class BatchNorm(nn.Module):
    """Batch normalisation of the features (B, F), of each step's features (B, T, F), or of the channels (B, C, H, W)."""

    def __init__(self, width, rank, momentum):
        super().__init__()
        self.rank = rank
        self.norm = nn.BatchNorm1d(width, momentum=momentum) if rank < 3 else nn.BatchNorm2d(width, momentum=momentum)

    def forward(self, x):
        if self.rank == 2:
            return self.norm(x.transpose(1, 2)).transpose(1, 2)  # BatchNorm1d wants the features second
        return self.norm(x)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

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
    """An rnn, lstm or gru over (B, T, F). last=True: the top layer's final state per direction (B, D·H);
    else every step's state (B, T, D·H)."""

    def __init__(self, rnn, last):
        super().__init__()
        self.rnn, self.last = rnn, last
        self.dirs = 2 if rnn.bidirectional else 1

    def forward(self, x):
        y, h = self.rnn(x)
        if not self.last:
            return y
        h = h[0] if isinstance(h, tuple) else h  # an lstm returns (h, c)
        return torch.cat(list(h[-self.dirs:]), dim=1)


class PositionalEncoding(nn.Module):
    """Adds a position vector to each step of (B, T, D): fixed sine waves, or a learned table."""

    def __init__(self, T, D, learned):
        super().__init__()
        if learned:
            self.pe = nn.Parameter(torch.zeros(T, D))
        else:
            pos = torch.arange(T, dtype=torch.float32)[:, None]  # (T, 1)
            freq = torch.exp(torch.arange(0, D, 2, dtype=torch.float32) * (-math.log(10000.0) / D))
            pe = torch.zeros(T, D)
            pe[:, 0::2] = torch.sin(pos * freq)
            pe[:, 1::2] = torch.cos(pos * freq[: D // 2])
            self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return x + self.pe


class Attention(nn.Module):
    """One head over (B, T, F): softmax(Q Kᵀ / √F) V with Q = x W_q, K = x W_k, V = x W_v."""

    def __init__(self, width, causal):
        super().__init__()
        self.query = nn.Linear(width, width, bias=False)
        self.key = nn.Linear(width, width, bias=False)
        self.value = nn.Linear(width, width, bias=False)
        self.causal = causal

    def forward(self, x):
        q, k, v = (m(x).unsqueeze(1) for m in (self.query, self.key, self.value))  # (B, 1, T, F)
        return attend(q, k, v, self.causal).squeeze(1)


class MultiHeadAttention(nn.Module):
    """The width F split into `heads` heads that attend on their own; a projection mixes them."""

    def __init__(self, width, heads, causal):
        super().__init__()
        self.c_attn = nn.Linear(width, 3 * width, bias=False)  # q, k, v for all heads
        self.c_proj = nn.Linear(width, width, bias=False)
        self.heads, self.causal = heads, causal

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (z.view(B, T, self.heads, C // self.heads).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y = attend(q, k, v, self.causal).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class LatentAttention(nn.Module):
    """Multi-head latent attention (DeepSeek-V2): keys and values come from one shared latent per token."""

    def __init__(self, width, heads, latent, causal):
        super().__init__()
        self.wq = nn.Linear(width, width, bias=False)
        self.w_dkv = nn.Linear(width, latent, bias=False)  # down to the latent (what a KV cache keeps)
        self.w_uk = nn.Linear(latent, width, bias=False)
        self.w_uv = nn.Linear(latent, width, bias=False)
        self.c_proj = nn.Linear(width, width, bias=False)
        self.heads, self.causal = heads, causal

    def forward(self, x):
        B, T, C = x.shape
        c = self.w_dkv(x)  # (B, T, latent)
        q, k, v = self.wq(x), self.w_uk(c), self.w_uv(c)
        q, k, v = (z.view(B, T, self.heads, C // self.heads).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        y = attend(q, k, v, self.causal).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, width, ratio):
        super().__init__()
        self.c_fc = nn.Linear(width, ratio * width)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(ratio * width, width)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class TransformerBlock(nn.Module):
    """Pre-LayerNorm transformer layer: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, width, attn, mlp_ratio):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = attn
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = MLP(width, mlp_ratio)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))
