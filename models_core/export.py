"""
Export a network as a student can take it home: a readable, standalone PyTorch file (an nn.Module
written out from the spec, importing nothing but torch and the standard library), its weights (a
state_dict whose keys match that module) and ONNX (to open in Netron or run in onnxruntime).

The generated module mirrors the server's modules parameter for parameter: each node becomes an
attribute named after its id, and where a block wraps torch modules (the recurrent layers, batch norm,
attention) the generated helper class uses the same sub-module names. So the weights of GraphModel
(keys "blocks.<i>.<rest>") become "<attribute>.<rest>" and nothing else changes. Attention is written
out as softmax(QKᵀ/√d)V rather than the fused kernel: readable, and exportable to ONNX.

    graph = validate_spec(spec)                      # or infer_graph(network, ...)
    source = python_source(graph, title="spiral run")
    weights = exported_state_dict(graph, model)       # model: the trained GraphModel
    onnx = onnx_bytes(source, weights, sample_x)
"""

import contextlib
import inspect
import io
import keyword
import re
import textwrap
import types
import warnings
from collections import OrderedDict

import torch
import torch.nn as nn

from .blocks import REGISTRY
from .export_templates import blocks as templates
from .graph_model import node_shape


class ExportError(ValueError):
    """A network this module cannot write out (a block type without a writer)."""


# -----------------------------------------------------------------------------
# helper classes the generated file defines when its network uses them: real code in
# export_templates/blocks.py, copied by source

# a helper -> what it needs defined before it
NEEDS = {"Attention": ["attend"], "MultiHeadAttention": ["attend"], "LatentAttention": ["attend"],
         "TransformerBlock": ["MLP"]}


def _helper_source(names):
    """The source of the helpers `names` and what they need, each once, dependencies first."""
    ordered = []
    for name in names:
        for needed in NEEDS.get(name, []) + [name]:
            if needed not in ordered:
                ordered.append(needed)
    return "".join("\n\n\n" + inspect.getsource(getattr(templates, n)).rstrip() for n in ordered)


# -----------------------------------------------------------------------------
# one writer per block type: (params, input shapes, output shape) -> (constructor source, helpers used)

def _b(flag):
    return "True" if flag else "False"


def _activation(p, ins, out):
    fn = p["fn"]
    if fn == "leaky_relu":
        return f"nn.LeakyReLU({p['slope']!r})", ()
    if fn == "softmax":
        return f"nn.Softmax(dim={1 if len(ins[0]) == 3 else -1})", ()
    if fn in ("step", "sign"):
        return f"{fn.capitalize()}()", (fn.capitalize(),)
    return {"linear": "nn.Identity()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
            "gelu": "nn.GELU()"}[fn], ()


def _layernorm(p, ins, out):
    shape = ins[0]
    if len(shape) == 3:
        return f"nn.GroupNorm(1, {shape[0]})", ()  # one group: layer norm over (C, H, W), per-channel gain and bias
    return f"nn.LayerNorm({shape[-1]})", ()


def _batchnorm(p, ins, out):
    shape = ins[0]
    width = shape[0] if len(shape) == 3 else shape[-1]
    return f"BatchNorm({width}, rank={len(shape)}, momentum={p['momentum']!r})", ("BatchNorm",)


def _concat(p, ins, out):
    return f"Concat(dim={(0 if len(ins[0]) == 3 else len(ins[0]) - 1) + 1})", ("Concat",)


def _reshape(p, ins, out):
    return f"Reshape({', '.join(str(d) for d in out)})", ("Reshape",)


def _conv2d(p, ins, out):
    return (f"nn.Conv2d({ins[0][0]}, {p['channels']}, kernel_size={p['kernel']}, stride={p['stride']}, "
            f"padding={p['padding']}, bias={_b(p['bias'])})"), ()


def _pool(name):
    return lambda p, ins, out: (f"nn.{name}({p['kernel']}, stride={p['stride']})", ())


def _recurrent(kind):
    def write(p, ins, out):
        rnn = (f"nn.{kind}({ins[0][1]}, {p['hidden']}, num_layers={p['layers']}, batch_first=True, "
               f"bidirectional={_b(p['bidirectional'])})")
        return f"Recurrent({rnn}, last={_b(p['output'] == 'last')})", ("Recurrent",)
    return write


def _attention_module(width, p, kind):
    if kind == "single":
        return f"Attention({width}, causal={_b(p['causal'])})", "Attention"
    if kind == "latent":
        return (f"LatentAttention({width}, heads={p['heads']}, latent={p['latent']}, causal={_b(p['causal'])})",
                "LatentAttention")
    return f"MultiHeadAttention({width}, heads={p['heads']}, causal={_b(p['causal'])})", "MultiHeadAttention"


def _attention_of(kind):
    def write(p, ins, out):
        src, helper = _attention_module(ins[0][1], p, kind)
        return src, (helper,)
    return write


def _transformer(p, ins, out):
    width = ins[0][1]
    attn, helper = _attention_module(width, p, p["attention"])
    return f"TransformerBlock({width}, {attn}, mlp_ratio={p['mlp_ratio']})", ("TransformerBlock", helper)


def _linear(width_param):
    return lambda p, ins, out: (f"nn.Linear({ins[0][-1]}, {p[width_param]})", ())


WRITERS = {
    "dense": lambda p, ins, out: (f"nn.Linear({ins[0][-1]}, {p['units']}, bias={_b(p['bias'])})", ()),
    "activation": _activation,
    "dropout": lambda p, ins, out: (f"nn.Dropout({p['p']!r})", ()),
    "batchnorm": _batchnorm,
    "layernorm": _layernorm,
    "flatten": lambda p, ins, out: ("nn.Flatten()", ()),
    "reshape": _reshape,
    "add": lambda p, ins, out: ("Add()", ("Add",)),
    "concat": _concat,
    "perceptron": lambda p, ins, out: (f"Perceptron({ins[0][0]}, {p['units']})", ("Perceptron",)),
    "conv2d": _conv2d,
    "maxpool2d": _pool("MaxPool2d"),
    "avgpool2d": _pool("AvgPool2d"),
    "rnn": _recurrent("RNN"),
    "lstm": _recurrent("LSTM"),
    "gru": _recurrent("GRU"),
    "embedding": lambda p, ins, out: (f"nn.Embedding({ins[0].vocab}, {p['dim']})", ()),
    "positional_encoding": lambda p, ins, out: (
        f"PositionalEncoding({ins[0][0]}, {ins[0][1]}, learned={_b(p['kind'] == 'learned')})", ("PositionalEncoding",)),
    "attention": _attention_of("single"),
    "multi_head_attention": _attention_of("multi_head"),
    "latent_attention": _attention_of("latent"),
    "transformer_block": _transformer,
    "classification_head": _linear("classes"),
    "regression_head": _linear("outputs"),
    "token_logits": _linear("vocab"),
}


# -----------------------------------------------------------------------------
# names: node ids may hold any character; Python attributes and variables may not

RESERVED = {"x", "self", "torch", "nn", "math", "F", "y"}


def python_names(ids):
    """{node id: a distinct Python identifier}, as close to the id as the language allows."""
    names, taken = {}, set()
    for nid in ids:
        name = re.sub(r"\W", "_", nid, flags=re.ASCII).strip("_") or "node"
        if name[0].isdigit():
            name = "n" + name
        if keyword.iskeyword(name) or name in RESERVED or hasattr(nn.Module, name):
            name += "_"
        base, k = name, 2
        while name in taken:
            name, k = f"{base}_{k}", k + 1
        taken.add(name)
        names[nid] = name
    return names


def _shape_comment(shape):
    return "(B, " + ", ".join(str(d) for d in shape) + ")"


# -----------------------------------------------------------------------------
# the source file

def python_source(graph, title="Network", note=""):
    """graph: a ValidatedSpec or a GraphInfo. -> the text of a standalone .py file defining `Network`."""
    params = {n["id"]: n["params"] for n in graph.network["nodes"]}
    names = python_names(graph.order)
    input_info = graph.nodes[graph.input_id]
    tokens = "vocab" in input_info
    inits, lines, helpers = [], [], []
    for nid in graph.order:
        if nid == graph.input_id:
            continue
        typ = graph.nodes[nid]["type"]
        if typ not in WRITERS:
            raise ExportError(f"a {typ} block cannot be exported yet")
        ins = [node_shape(graph.nodes[s]) for s in graph.sources[nid]]
        out = graph.nodes[nid]["shape"]
        ctor, used = WRITERS[typ](params[nid], ins, out)
        helpers += [h for h in used if h not in helpers]
        label = f"{typ} {nid!r}" if names[nid] != nid else typ
        inits.append(f"self.{names[nid]} = {ctor}  # {label}")
        args = ", ".join("x" if s == graph.input_id else names[s] for s in graph.sources[nid])
        lines.append(f"{names[nid]} = self.{names[nid]}({args})  # {_shape_comment(out)}")
    lines.append(f"return {names[graph.output_id]}")

    in_shape = input_info["shape"]
    if tokens:
        in_doc = f"x: (B, {in_shape[0]}) token ids below {input_info['vocab']}"
    else:
        in_doc = f"x: {_shape_comment(in_shape)} floats"
    helper_src = _helper_source(helpers)
    title, note = title.replace('"', "'"), note.replace('"', "'")  # they go into the docstring
    header = [f'"""{title}: exported from Neural Playground.']
    if note:
        header += ["", *textwrap.wrap(note, 100)]
    header += ["",
               "The network as the playground built it, written out as a plain PyTorch module (only torch is",
               "needed). Next to this file: weights.pt (the trained weights, a state_dict) and sample.pt (a few",
               "samples from the dataset with the playground's outputs for them). Run it:",
               "",
               "    python network.py [--weights weights.pt] [--sample sample.pt] [--save outputs.pt]",
               '"""']
    body = textwrap.indent("\n".join(inits), " " * 8)
    forward = textwrap.indent("\n".join(lines), " " * 8)
    return f'''{chr(10).join(header)}
import argparse
import math
from pathlib import Path

import torch
import torch.nn as nn

INPUT_SHAPE = {tuple(in_shape)!r}  # one sample, without the batch
INPUT_DTYPE = {"torch.long" if tokens else "torch.float32"}{helper_src}


class Network(nn.Module):
    def __init__(self):
        super().__init__()
{body}

    def forward(self, x):
        # {in_doc}
{forward}


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description="Evaluate the exported network on a batch of samples.")
    parser.add_argument("--weights", default=here / "weights.pt", help="the state_dict (default: weights.pt)")
    parser.add_argument("--sample", default=here / "sample.pt",
                        help="a dict with x (inputs) and optionally y (targets) and expected (the playground's outputs)")
    parser.add_argument("--save", help="also write the outputs to this .pt file")
    args = parser.parse_args()

    model = Network()
    model.load_state_dict(torch.load(args.weights, weights_only=True))
    model.eval()  # dropout off, batch norm on its running statistics
    sample = torch.load(args.sample, weights_only=True)
    x = sample["x"].to(INPUT_DTYPE)
    with torch.no_grad():
        out = model(x)

    torch.set_printoptions(precision=4, sci_mode=False)
    print(f"inputs {{tuple(x.shape)}} -> outputs {{tuple(out.shape)}}")
    print(out)
    if out.ndim == 2 and out.shape[1] > 1:
        print("predicted classes:", out.argmax(dim=1).tolist())
    if "y" in sample:
        print("targets:          ", sample["y"].tolist())
    if "expected" in sample:
        diff = (out - sample["expected"]).abs().max().item()
        print(f"largest difference from the playground's outputs: {{diff:.2e}}")
    if args.save:
        torch.save(out, args.save)


if __name__ == "__main__":
    main()
'''


# -----------------------------------------------------------------------------
# weights, loading the generated module, ONNX

def exported_state_dict(graph, model):
    """The GraphModel's state_dict under the generated module's names, as float32 on the cpu."""
    names = python_names(graph.order)
    index = {f"blocks.{i}.": names[nid] + "." for i, nid in enumerate(model.ids)}
    out = OrderedDict()
    for key, value in model.state_dict().items():
        prefix = key[: key.index(".", len("blocks.")) + 1]
        value = value.detach().cpu()
        out[index[prefix] + key[len(prefix):]] = value.float() if value.is_floating_point() else value
    return out


def load_source(source, name="exported_network"):
    """Executes a generated file as a fresh module (as `import` would) and returns the module."""
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def build_exported(source, state_dict):
    """The generated Network with the weights loaded (strictly: every key must match), in eval mode."""
    net = load_source(source).Network()
    net.load_state_dict(state_dict, strict=True)
    return net.eval()


def onnx_bytes(source, state_dict, sample_x, opset=18):
    """The generated Network as ONNX bytes with a dynamic batch axis: input "x", output "y"."""
    net = build_exported(source, state_dict)
    batch = torch.export.Dim("batch", min=1, max=4096)
    # the exporter reports its progress on stdout and warns about torch internals: none of it is ours
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(net, (sample_x,), input_names=["x"], output_names=["y"], opset_version=opset,
                                    dynamic_shapes={"x": {0: batch}}, dynamo=True, verbose=False)
    return program.model_proto.SerializeToString()


def _saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def pytorch_files(graph, model, x, y=None, title="Network", note=""):
    """{file name: bytes} of the PyTorch export: network.py, weights.pt and sample.pt (x, the model's
    outputs for it as `expected`, and y when given). model: the GraphModel with the weights to export."""
    source = python_source(graph, title, note)
    weights = exported_state_dict(graph, model)
    dtype = next(model.parameters()).dtype
    was_training = model.training
    model.eval()
    with torch.no_grad():
        expected = model(x.to(dtype) if x.is_floating_point() else x).float()
    model.train(was_training)
    sample = {"x": x, "expected": expected, **({"y": y} if y is not None else {})}
    return {"network.py": source.encode(), "weights.pt": _saved(weights), "sample.pt": _saved(sample)}


def sample_batch(dataset, n=8):
    """A few test samples of a models_core Dataset: (x, y), as the model takes them."""
    x, y = dataset.x_test[:n], dataset.y_test[:n]
    if x.is_floating_point():
        x = x.float()
    return x, y


__all__ = ["ExportError", "python_source", "exported_state_dict", "load_source", "build_exported", "onnx_bytes",
           "python_names", "pytorch_files", "sample_batch", "WRITERS"]
