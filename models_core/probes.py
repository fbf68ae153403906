"""
The views of networks that do not work on points of the plane: one probe example (the first test
example) pushed through the network, and what each kind of block does with it.

  conv       the kernels of every conv2d and the feature maps of every conv2d and pooling block;
  recurrent  the hidden state of every rnn / lstm / gru at each step, and the LSTM / GRU gate values;
  attention  the attention weights of every attention block, per head, queries × keys;
  kv_cache   the bytes each attention block caches per generated token (once: it is fixed by the spec).

Each payload stays small (≤ 64 KB as JSON): at most 16 channels / 32 units / 32 steps, and a budget on
the feature-map values. nn.LSTM and nn.GRU do not expose their gates, so `recurrent` recomputes the
cells from their weights with PyTorch's gate layout (i, f, g, o and r, z, n) — for one short probe
sequence that costs about a millisecond.
"""

import torch

from .datasets.kinds import step_labels as _labels  # also the preview's: one place says what a step shows
from .instrument import rounded

MAX_CHANNELS = 16
MAX_UNITS = 32
MAX_STEPS = 32
MAP_BUDGET = 6000  # feature-map values in one conv message (about 6 bytes each as JSON)
CONV_TYPES = ("conv2d", "maxpool2d", "avgpool2d")
RECURRENT_TYPES = ("rnn", "lstm", "gru")


class Probe:
    """The probe example and its labels. ds: a datasets.Dataset of an image, sequence or token set."""

    def __init__(self, ds, device, dtype):
        x = ds.x_test[:1]
        self.x = x.to(device) if not x.is_floating_point() else x.to(device, dtype)  # (1, ...)
        self.y = ds.y_test[0]
        self.kind = ds.input_kind
        self.tokens = _labels(ds, x[0]) if ds.input_kind != "image" else None
        self.label = ds.class_names[int(self.y)] if ds.input_kind == "image" and ds.class_names else None


def which(types):
    """The views a network's node types call for: a subset of conv, recurrent, attention."""
    kinds = set(types.values())
    return [view for view, wanted in (("conv", CONV_TYPES), ("recurrent", RECURRENT_TYPES)) if kinds & set(wanted)]


# -----------------------------------------------------------------------------

@torch.no_grad()
def conv(model, types, probe, outs):
    """outs: every node's output for the probe ({id: (1, ...)})."""
    ids = [n for n in model.ids if types[n] in CONV_TYPES]
    layers = []
    per_layer = MAP_BUDGET // max(len(ids), 1)
    for nid in ids:
        maps = outs[nid][0]  # (C, H, W)
        c, h, w = maps.shape
        keep = max(1, min(c, MAX_CHANNELS, per_layer // (h * w)))
        layer = {"node": nid, "type": types[nid], "maps": rounded(maps[:keep].float(), 3)}
        if types[nid] == "conv2d":
            weight = model.layers[nid].weight  # (out, in, k, k)
            layer["kernels"] = rounded(weight[:MAX_CHANNELS, 0].float(), 3)
        layers.append(layer)
    image = probe.x[0, 0]  # (H, W), channel 0
    return {"probe": {"image": rounded(image.float(), 2), "label": probe.label}, "layers": layers}


# -----------------------------------------------------------------------------

def _cell(kind, x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of PyTorch's cell: -> (h, c, {gate: values})."""
    gi = x @ w_ih.T + (b_ih if b_ih is not None else 0)
    gh = h @ w_hh.T + (b_hh if b_hh is not None else 0)
    if kind == "rnn":
        return torch.tanh(gi + gh), None, {}
    if kind == "lstm":
        i, f, g, o = (gi + gh).chunk(4, dim=-1)
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        c = f * c + i * g
        return o * torch.tanh(c), c, {"input": i, "forget": f, "output": o}
    r_i, z_i, n_i = gi.chunk(3, dim=-1)
    r_h, z_h, n_h = gh.chunk(3, dim=-1)
    r, z = torch.sigmoid(r_i + r_h), torch.sigmoid(z_i + z_h)
    n = torch.tanh(n_i + r * n_h)
    return (1 - z) * n + z * h, None, {"reset": r, "update": z}


def _direction(kind, rnn, x, layer, reverse):
    """x (T, F) -> states (T, H) and gates {name: (T, H)} of one layer in one direction."""
    sfx = f"_l{layer}" + ("_reverse" if reverse else "")
    w_ih, w_hh = getattr(rnn, "weight_ih" + sfx), getattr(rnn, "weight_hh" + sfx)
    b_ih, b_hh = getattr(rnn, "bias_ih" + sfx, None), getattr(rnn, "bias_hh" + sfx, None)
    h = torch.zeros(rnn.hidden_size, dtype=x.dtype, device=x.device)
    c = torch.zeros_like(h)
    steps = range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])
    states, gates = [None] * x.shape[0], {}
    for t in steps:
        h, c, g = _cell(kind, x[t], h, c, w_ih, w_hh, b_ih, b_hh)
        states[t] = h
        for name, value in g.items():
            gates.setdefault(name, [None] * x.shape[0])[t] = value
    return torch.stack(states), {k: torch.stack(v) for k, v in gates.items()}


@torch.no_grad()
def recurrent(model, types, probe, outs):
    layers = []
    for nid, src in zip(model.ids, model.sources):
        if types[nid] not in RECURRENT_TYPES:
            continue
        rnn, kind = model.blocks[model.ids.index(nid)].rnn, types[nid]
        x = outs[src[0]][0][:MAX_STEPS]  # (T, F): the block's input sequence for the probe
        for layer in range(rnn.num_layers):
            fwd, gates = _direction(kind, rnn, x, layer, False)
            if rnn.bidirectional and layer < rnn.num_layers - 1:
                bwd, _ = _direction(kind, rnn, x, layer, True)
                x = torch.cat([fwd, bwd], dim=1)
            else:
                x = fwd
        layers.append({"node": nid, "kind": kind, "hidden": rounded(fwd[:, :MAX_UNITS].float(), 3),
                       "gates": {k: rounded(v[:, :MAX_UNITS].float(), 3) for k, v in gates.items()}})
    return {"tokens": probe.tokens, "layers": layers}


# -----------------------------------------------------------------------------

@torch.no_grad()
def attention(model, types, probe):
    model.capture_attention(True)
    try:
        model(probe.x)
        maps = model.attention_weights()  # {id: (1, heads, T, T)}
    finally:
        model.capture_attention(False)
    layers = [{"node": nid, "type": types[nid], "heads": rounded(w[0, :, :MAX_STEPS, :MAX_STEPS].float(), 3)}
              for nid, w in maps.items() if w is not None]
    return {"tokens": probe.tokens, "layers": layers}


def kv_cache(model, types):
    blocks = []
    for nid in model.attention_ids:
        module = model.blocks[model.ids.index(nid)]
        blocks.append({"node": nid, "type": types[nid], "bytes_per_token": int(module.kv_cache_bytes_per_token())})
    return {"blocks": blocks}


def views(model, types, probe):
    """{type: payload} of every probe view this network has, from one forward pass (plus one with the
    attention weights kept, when it has attention blocks)."""
    out = {}
    wanted = which(types)
    if wanted:
        _, outs = model(probe.x, keep=True)
        if "conv" in wanted and probe.kind == "image":
            out["conv"] = conv(model, types, probe, outs)
        if "recurrent" in wanted:
            out["recurrent"] = recurrent(model, types, probe, outs)
    if model.attention_ids:
        out["attention"] = attention(model, types, probe)
    return out
