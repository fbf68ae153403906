"""
Export a network as a student can take it home: a readable, standalone PyTorch file (an nn.Module
written out from the spec, importing nothing but torch and the standard library), its weights (a
state_dict whose keys match that module) and ONNX (to open in Netron or run in onnxruntime).

Each node becomes an attribute named after its id, built by the same constructor as on the server:
a torch layer (nn.Linear, nn.Conv2d, ...) or a class of blocks/modules.py, whose source the file
carries verbatim (so the exported forward code is the server's, and cannot drift from it). So the
weights of GraphModel (keys "blocks.<i>.<rest>") become "<attribute>.<rest>" and nothing else changes.

    graph = validate_spec(spec)                      # or infer_graph(network, ...)
    source = python_source(graph, title="spiral run")
    weights = exported_state_dict(graph, model)       # model: the trained GraphModel
    onnx = onnx_bytes(source, weights, sample_x)

Several networks (a GAN's generator and discriminator) go into one file, a class each, and a weights
file each: python_source_networks({"generator": g, "discriminator": d}), pytorch_files_networks(...).
"""

import ast
import contextlib
import functools
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

from .blocks import modules
from .graph_model import node_shape


class ExportError(ValueError):
    """A network this module cannot write out (a block type without a writer)."""


# -----------------------------------------------------------------------------
# the definitions of blocks/modules.py a generated file copies: each with the others it refers to

@functools.lru_cache(maxsize=None)
def _definitions():
    """{top-level name of blocks/modules.py: (its source, the other such names it refers to)}."""
    text = inspect.getsource(modules)
    nodes = {}
    for node in ast.parse(text).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            nodes[node.name] = node
        elif isinstance(node, ast.Assign):
            nodes.update((t.id, node) for t in node.targets if isinstance(t, ast.Name))
    out = {}
    for name, node in nodes.items():
        if isinstance(node, ast.Assign):  # whole lines: with the comment that says what it is
            source = "\n".join(text.splitlines()[node.lineno - 1:node.end_lineno])
        else:
            source = inspect.getsource(getattr(modules, name))  # with its decorators
        uses = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in nodes} - {name}
        out[name] = (source.rstrip(), frozenset(uses))
    return out


def _helpers_in(source):
    """The names of blocks/modules.py a piece of source (a constructor call) refers to."""
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name) and n.id in _definitions()}


def helper_source(names):
    """The source of the definitions `names` and of all they need, each once, in modules.py's order
    (which is an order Python can run: the file itself imports)."""
    defs, needed, todo = _definitions(), set(), list(names)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo += defs[name][1]
    return "".join("\n\n\n" + defs[n][0] for n in defs if n in needed)


# -----------------------------------------------------------------------------
# one writer per block type: (params, input shapes, output shape) -> the constructor's source, which
# builds what the block's `build` builds (a test compares the two module by module)

def _b(flag):
    return "True" if flag else "False"


def _activation(p, ins, out):
    fn = p["fn"]
    if fn == "leaky_relu":
        return f"nn.LeakyReLU({p['slope']!r})"
    if fn == "softmax":
        return f"nn.Softmax(dim={1 if len(ins[0]) == 3 else -1})"
    return {"linear": "nn.Identity()", "step": "Step()", "sign": "Sign()", "sigmoid": "nn.Sigmoid()",
            "tanh": "nn.Tanh()", "relu": "nn.ReLU()", "gelu": "nn.GELU()"}[fn]


def _layernorm(p, ins, out):
    shape = ins[0]
    if len(shape) == 3:
        return f"nn.GroupNorm(1, {shape[0]})"  # one group: layer norm over (C, H, W), per-channel gain and bias
    return f"nn.LayerNorm({shape[-1]})"


def _batchnorm(p, ins, out):
    shape = ins[0]
    width = shape[0] if len(shape) == 3 else shape[-1]
    return f"BatchNorm({width}, rank={len(shape)}, momentum={p['momentum']!r})"


def _concat(p, ins, out):
    return f"Concat(dim={(0 if len(ins[0]) == 3 else len(ins[0]) - 1) + 1})"


def _conv2d(p, ins, out):
    return (f"nn.Conv2d({ins[0][0]}, {p['channels']}, kernel_size={p['kernel']}, stride={p['stride']}, "
            f"padding={p['padding']}, bias={_b(p['bias'])})")


def _pool(name):
    return lambda p, ins, out: f"nn.{name}({p['kernel']}, stride={p['stride']})"


def _recurrent(kind):
    def write(p, ins, out):
        rnn = (f"nn.{kind}({ins[0][1]}, {p['hidden']}, num_layers={p['layers']}, batch_first=True, "
               f"bidirectional={_b(p['bidirectional'])})")
        return f"Recurrent({rnn}, last={_b(p['output'] == 'last')})"
    return write


def _attention_module(width, p, kind):
    if kind == "single":
        return f"Attention({width}, causal={_b(p['causal'])})"
    if kind == "latent":
        return f"LatentAttention({width}, heads={p['heads']}, latent={p['latent']}, causal={_b(p['causal'])})"
    return f"MultiHeadAttention({width}, heads={p['heads']}, causal={_b(p['causal'])})"


def _attention_of(kind):
    return lambda p, ins, out: _attention_module(ins[0][1], p, kind)


def _transformer(p, ins, out):
    width = ins[0][1]
    return f"TransformerBlock({width}, {_attention_module(width, p, p['attention'])}, mlp_ratio={p['mlp_ratio']})"


def _linear(width_param):
    return lambda p, ins, out: f"nn.Linear({ins[0][-1]}, {p[width_param]})"


WRITERS = {
    "dense": lambda p, ins, out: f"nn.Linear({ins[0][-1]}, {p['units']}, bias={_b(p['bias'])})",
    "activation": _activation,
    "dropout": lambda p, ins, out: f"nn.Dropout({p['p']!r})",
    "batchnorm": _batchnorm,
    "layernorm": _layernorm,
    "flatten": lambda p, ins, out: "nn.Flatten()",
    "reshape": lambda p, ins, out: f"Reshape({tuple(out)!r})",
    "add": lambda p, ins, out: "Add()",
    "concat": _concat,
    "perceptron": lambda p, ins, out: f"Perceptron({ins[0][0]}, {p['units']})",
    "conv2d": _conv2d,
    "maxpool2d": _pool("MaxPool2d"),
    "avgpool2d": _pool("AvgPool2d"),
    "rnn": _recurrent("RNN"),
    "lstm": _recurrent("LSTM"),
    "gru": _recurrent("GRU"),
    "embedding": lambda p, ins, out: f"nn.Embedding({ins[0].vocab}, {p['dim']})",
    "positional_encoding": lambda p, ins, out: (
        f"PositionalEncoding({ins[0][0]}, {ins[0][1]}, learned={_b(p['kind'] == 'learned')})"),
    "attention": _attention_of("single"),
    "multi_head_attention": _attention_of("multi_head"),
    "latent_attention": _attention_of("latent"),
    "transformer_block": _transformer,
    "classification_head": _linear("classes"),
    "regression_head": _linear("outputs"),
    "token_logits": _linear("vocab"),
}


# -----------------------------------------------------------------------------
# names: node ids and network names may hold any character; Python names and file names may not

RESERVED = {"x", "self", "torch", "nn", "math", "F", "y"}
FILE_NAMES = {"argparse", "math", "Path", "torch", "nn", "F", "INPUT_SHAPE", "INPUT_DTYPE", "NETWORKS", "main"}


def _identifier(text, empty):
    name = re.sub(r"\W", "_", text, flags=re.ASCII).strip("_") or empty
    return "n" + name if name[0].isdigit() else name


def _distinct(name, taken):
    base, k = name, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def python_names(ids):
    """{node id: a distinct Python identifier}, as close to the id as the language allows."""
    names, taken = {}, set()
    for nid in ids:
        name = _identifier(nid, "node")
        if keyword.iskeyword(name) or name in RESERVED or hasattr(nn.Module, name):
            name += "_"
        names[nid] = _distinct(name, taken)
    return names


def network_names(names):
    """{network name: (its class name, its files' stem)}: "generator" -> ("Generator", "generator"),
    written to weights_generator.pt and sample_generator.pt. A class never takes the name of a
    definition the file copies (a network called "attention" is AttentionNetwork)."""
    out, classes, stems = {}, set(), set()
    for name in names:
        stem = _distinct(_identifier(name, "network").lower(), stems)
        cls = "".join(part[:1].upper() + part[1:] for part in stem.split("_") if part)
        if cls in _definitions() or cls in FILE_NAMES:
            cls += "Network"
        out[name] = (_distinct(cls, classes), stem)
    return out


def _shape_comment(shape):
    return "(B, " + ", ".join(str(d) for d in shape) + ")"


# -----------------------------------------------------------------------------
# the source file

IMPORTS = """import argparse
import math
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F"""


def _input_doc(info):
    if "vocab" in info:
        return f"x: (B, {info['shape'][0]}) token ids below {info['vocab']}"
    return f"x: {_shape_comment(info['shape'])} floats"


def _dtype(info):
    return "torch.long" if "vocab" in info else "torch.float32"


def network_class(graph, class_name="Network"):
    """(the source of an nn.Module class `class_name` that computes `graph`, a ValidatedSpec or a
    GraphInfo; the names of blocks/modules.py it uses)."""
    params = {n["id"]: n["params"] for n in graph.network["nodes"]}
    names = python_names(graph.order)
    inits, lines, helpers = [], [], set()
    for nid in graph.order:
        if nid == graph.input_id:
            continue
        typ = graph.nodes[nid]["type"]
        if typ not in WRITERS:
            raise ExportError(f"a {typ} block cannot be exported yet")
        ins = [node_shape(graph.nodes[s]) for s in graph.sources[nid]]
        out = graph.nodes[nid]["shape"]
        ctor = WRITERS[typ](params[nid], ins, out)
        helpers |= _helpers_in(ctor)
        label = f"{typ} {nid!r}" if names[nid] != nid else typ
        inits.append(f"self.{names[nid]} = {ctor}  # {label}")
        args = ", ".join("x" if s == graph.input_id else names[s] for s in graph.sources[nid])
        lines.append(f"{names[nid]} = self.{names[nid]}({args})  # {_shape_comment(out)}")
    lines.append(f"return {names[graph.output_id]}")
    body = textwrap.indent("\n".join(inits), " " * 8)
    forward = textwrap.indent("\n".join(lines), " " * 8)
    source = f'''class {class_name}(nn.Module):
    def __init__(self):
        super().__init__()
{body}

    def forward(self, x):
        # {_input_doc(graph.nodes[graph.input_id])}
{forward}'''
    return source, helpers


def _docstring(title, note, about):
    title, note = title.replace('"', "'"), note.replace('"', "'")  # they go into the docstring
    lines = [f'"""{title}: exported from Neural Playground.']
    if note:
        lines += ["", *textwrap.wrap(note, 100)]
    return "\n".join(lines + ["", *about, '"""'])


ABOUT_ONE = [
    "The network as the playground built it, written out as a plain PyTorch module (only torch is",
    "needed). Next to this file: weights.pt (the trained weights, a state_dict) and sample.pt (a few",
    "samples from the dataset with the playground's outputs for them). Run it:",
    "",
    "    python network.py [--weights weights.pt] [--sample sample.pt] [--save outputs.pt]",
]

MAIN_ONE = '''def main():
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
    print(f"inputs {tuple(x.shape)} -> outputs {tuple(out.shape)}")
    print(out)
    if out.ndim == 2 and out.shape[1] > 1:
        print("predicted classes:", out.argmax(dim=1).tolist())
    if "y" in sample:
        print("targets:          ", sample["y"].tolist())
    if "expected" in sample:
        diff = (out - sample["expected"]).abs().max().item()
        print(f"largest difference from the playground's outputs: {diff:.2e}")
    if args.save:
        torch.save(out, args.save)


if __name__ == "__main__":
    main()
'''


def python_source(graph, title="Network", note=""):
    """graph: a ValidatedSpec or a GraphInfo. -> the text of a standalone .py file defining `Network`."""
    cls, helpers = network_class(graph, "Network")
    info = graph.nodes[graph.input_id]
    constants = (f"INPUT_SHAPE = {tuple(info['shape'])!r}  # one sample, without the batch\n"
                 f"INPUT_DTYPE = {_dtype(info)}")
    return (f"{_docstring(title, note, ABOUT_ONE)}\n{IMPORTS}\n\n{constants}{helper_source(helpers)}\n\n\n"
            f"{cls}\n\n\n{MAIN_ONE}")


ABOUT_MANY = [
    "The networks as the playground built them, written out as plain PyTorch modules (only torch is",
    "needed): {classes}. Next to this file, for each network <name> of NETWORKS below:",
    "weights_<name>.pt (its trained weights, a state_dict) and sample_<name>.pt (a few inputs with the",
    "playground's outputs for them). Run it:",
    "",
    "    python network.py [--folder FOLDER] [--save outputs.pt]",
]

MAIN_MANY = '''def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description="Evaluate each exported network on its batch of samples.")
    parser.add_argument("--folder", default=here, type=Path,
                        help="where weights_<name>.pt and sample_<name>.pt lie (default: next to this file)")
    parser.add_argument("--save", help="also write the outputs, a dict {name: outputs}, to this .pt file")
    args = parser.parse_args()

    torch.set_printoptions(precision=4, sci_mode=False)
    outputs = {}
    for name, (cls, _, dtype) in NETWORKS.items():
        model = cls()
        model.load_state_dict(torch.load(args.folder / f"weights_{name}.pt", weights_only=True))
        model.eval()  # dropout off, batch norm on its running statistics
        sample = torch.load(args.folder / f"sample_{name}.pt", weights_only=True)
        x = sample["x"].to(dtype)
        with torch.no_grad():
            outputs[name] = out = model(x)
        print(f"{name}: inputs {tuple(x.shape)} -> outputs {tuple(out.shape)}")
        print(out)
        if "expected" in sample:
            diff = (out - sample["expected"]).abs().max().item()
            print(f"{name}: largest difference from the playground's outputs: {diff:.2e}")
    if args.save:
        torch.save(outputs, args.save)


if __name__ == "__main__":
    main()
'''


def python_source_networks(graphs, title="Networks", note=""):
    """graphs: {network name: a GraphInfo (or anything with its fields)}. -> the text of a standalone .py
    file with a class per network (network_names) and a NETWORKS table that its main() evaluates.
    A single network called "network" gives python_source's file: class Network, weights.pt."""
    if list(graphs) == ["network"]:
        return python_source(graphs["network"], title, note)
    names = network_names(graphs)
    classes, helpers, table = [], set(), []
    for name, graph in graphs.items():
        cls, stem = names[name]
        source, used = network_class(graph, cls)
        classes.append(source)
        helpers |= used
        info = graph.nodes[graph.input_id]
        table.append(f'    "{stem}": ({cls}, {tuple(info["shape"])!r}, {_dtype(info)}),')
    about = [line.replace("{classes}", ", ".join(c for c, _ in names.values())) for line in ABOUT_MANY]
    table = "\n".join(["NETWORKS = {  # name -> (class, one input's shape without the batch, its dtype)", *table, "}"])
    return (f"{_docstring(title, note, about)}\n{IMPORTS}{helper_source(helpers)}\n\n\n"
            + "\n\n\n".join(classes) + f"\n\n\n{table}\n\n\n{MAIN_MANY}")


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


def build_exported(source, state_dict, class_name="Network"):
    """The generated class with the weights loaded (strictly: every key must match), in eval mode."""
    net = getattr(load_source(source), class_name)()
    net.load_state_dict(state_dict, strict=True)
    return net.eval()


def onnx_bytes(source, state_dict, sample_x, opset=18, class_name="Network"):
    """The generated class as ONNX bytes with a dynamic batch axis: input "x", output "y"."""
    net = build_exported(source, state_dict, class_name)
    batch = torch.export.Dim("batch", min=1, max=4096)
    # the exporter reports its progress on stdout and warns about torch internals: none of it is ours
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(net, (sample_x,), input_names=["x"], output_names=["y"], opset_version=opset,
                                    dynamic_shapes={"x": {0: batch}}, dynamo=True, verbose=False)
    return program.model_proto.SerializeToString()


def onnx_files_networks(graphs, models, samples):
    """{"<stem>.onnx": bytes} for each network. graphs, models: {name: GraphInfo / GraphModel};
    samples: {name: x} to trace with."""
    source = python_source_networks(graphs)
    names = network_names(graphs)
    return {f"{names[n][1]}.onnx": onnx_bytes(source, exported_state_dict(graphs[n], models[n]), _x(samples[n]),
                                              class_name=names[n][0]) for n in graphs}


def _saved(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def _x(sample):
    return sample[0] if isinstance(sample, tuple) else sample


def _sample(model, x, y=None):
    """{x, expected: the model's outputs for x (eval mode), y when given}."""
    dtype = next(model.parameters()).dtype if any(True for _ in model.parameters()) else torch.float32
    was_training = model.training
    model.eval()
    with torch.no_grad():
        expected = model(x.to(dtype) if x.is_floating_point() else x).float()
    model.train(was_training)
    return {"x": x, "expected": expected, **({"y": y} if y is not None else {})}


def pytorch_files(graph, model, x, y=None, title="Network", note=""):
    """{file name: bytes} of the PyTorch export: network.py, weights.pt and sample.pt (x, the model's
    outputs for it as `expected`, and y when given). model: the GraphModel with the weights to export."""
    source = python_source(graph, title, note)
    weights = exported_state_dict(graph, model)
    return {"network.py": source.encode(), "weights.pt": _saved(weights), "sample.pt": _saved(_sample(model, x, y))}


def pytorch_files_networks(graphs, models, samples, title="Networks", note=""):
    """{file name: bytes}: network.py with a class per network, and for each network weights_<stem>.pt
    and sample_<stem>.pt. graphs, models: {name: GraphInfo / GraphModel}; samples: {name: x or (x, y)}.
    A single network called "network" gives pytorch_files's files."""
    if list(graphs) == ["network"]:
        x, y = samples["network"] if isinstance(samples["network"], tuple) else (samples["network"], None)
        return pytorch_files(graphs["network"], models["network"], x, y, title, note)
    files = {"network.py": python_source_networks(graphs, title, note).encode()}
    for name, (_, stem) in network_names(graphs).items():
        x, y = samples[name] if isinstance(samples[name], tuple) else (samples[name], None)
        files[f"weights_{stem}.pt"] = _saved(exported_state_dict(graphs[name], models[name]))
        files[f"sample_{stem}.pt"] = _saved(_sample(models[name], x, y))
    return files


def sample_batch(dataset, n=8):
    """A few test samples of a models_core Dataset: (x, y), as the model takes them."""
    x, y = dataset.x_test[:n], dataset.y_test[:n]
    if x.is_floating_point():
        x = x.float()
    return x, y


def sample_inputs(graph, dataset=None, n=8, seed=0):
    """A few inputs for one network: the dataset's test samples (x, y) when they fit its input, else
    seeded random ones (x, None) of its input's shape: normal noise, or token ids below its vocabulary
    (a GAN's generator takes noise, not the dataset)."""
    info = graph.nodes[graph.input_id]
    if dataset is not None:
        x, y = sample_batch(dataset, n)
        if tuple(x.shape[1:]) == tuple(info["shape"]) and x.is_floating_point() == ("vocab" not in info):
            return x, y
    g = torch.Generator().manual_seed(seed)
    if "vocab" in info:
        return torch.randint(0, info["vocab"], (n, *info["shape"]), generator=g), None
    return torch.randn(n, *info["shape"], generator=g), None


def networks_of(v):
    """{name: GraphInfo} of a ValidatedSpec: its `networks` where it has them, else {"network": v}."""
    return getattr(v, "networks", None) or {"network": v}


__all__ = ["ExportError", "python_source", "python_source_networks", "network_class", "network_names",
           "exported_state_dict", "load_source", "build_exported", "onnx_bytes", "onnx_files_networks",
           "python_names", "pytorch_files", "pytorch_files_networks", "sample_batch", "sample_inputs", "networks_of",
           "helper_source", "WRITERS"]
