"""
validate_spec: a JSON spec from a client -> a ValidatedSpec, or SpecInvalid with every error found.

Order of checks: each part (network nodes, edges, dataset, training) is checked on its own, so
independent mistakes are all reported together; checks that build on others (graph structure, then
shapes, then the output's width against the dataset) run only when what they stand on is sound, so
one typo does not cascade into ten errors. Any JSON-ish input gives a ValidatedSpec or SpecInvalid,
never another exception.
"""

import copy
from dataclasses import dataclass, field

from . import graph
from .blocks import REGISTRY
from .blocks.base import Param, ShapeError
from .datasets import DATASETS, check_dataset
from .errors import SpecError, SpecInvalid, show
from .limits import Limits

TOP_LEVEL = ("network", "dataset", "training", "meta")  # meta: free-form client data, kept untouched


def _help(en, zh):
    return {"en": en, "zh-hans": zh}


TRAINING = (
    Param("optimizer", "choice", "sgd", choices=("sgd", "momentum", "adam"),
          help=_help("How the weights follow the gradient.", "权重如何沿梯度更新。")),
    Param("learning_rate", "float", 0.03, min=0.0, min_exclusive=True, max_from="max_learning_rate",
          help=_help("How big each step is.", "每一步走多大。")),
    Param("momentum", "float", 0.9, min=0.0, max=0.99,
          help=_help("For the momentum optimizer: how much of the last step carries on.", "动量优化器：上一步保留多少。")),
    Param("batch_size", "int", 10, min=1, max_from="max_batch_size",
          help=_help("How many points each step looks at.", "每一步看多少个点。")),
    Param("epochs", "int", 200, min=1, max_from="max_epochs",
          help=_help("How many passes over the training points.", "遍历训练点多少遍。")),
    Param("seed", "int", 1, min=0, max=2**31 - 1,
          help=_help("The same seed gives the same starting weights and order.", "相同的种子给出相同的初始权重和顺序。")),
    Param("device", "choice", "auto", choices=("auto", "cpu", "cuda"),
          help=_help("Where to train: auto picks a GPU when there is one.", "在哪里训练：auto 有 GPU 时用 GPU。")),
)
REGULARIZATION = (
    Param("kind", "choice", "none", choices=("none", "l1", "l2"),
          help=_help("Penalise big weights: none, L1 or L2.", "惩罚过大的权重：无、L1 或 L2。")),
    Param("rate", "float", 0.0, min=0.0, max=1.0,
          help=_help("How strongly to penalise.", "惩罚的强度。")),
)
DEFAULT_REG_RATE = 0.001  # the rate when a kind is chosen but no rate given


@dataclass
class ValidatedSpec:
    spec: dict  # the normalised spec: defaults filled in, JSON-serialisable
    nodes: dict  # id -> {"shape": [8], "params": 24, "type": "dense"}, in topological order
    total_params: int
    problem: str  # "classification" | "regression"
    classes: object  # 2 for binary, k for blobs, None for regression
    order: list  # node ids, input first, output last, every node after its sources
    sources: dict  # node id -> its source ids, in edge order
    input_id: str
    output_id: str
    limits: Limits = field(default_factory=Limits)


def validate_spec(spec, limits=Limits()):
    if isinstance(spec, ValidatedSpec):
        spec = spec.spec
    if not isinstance(spec, dict):
        raise SpecInvalid([SpecError("", f"the spec must be an object with network, dataset and training (got {show(spec)})")])
    errors = []
    for key in spec:
        if key not in TOP_LEVEL:
            errors.append(SpecError(str(key), f"unknown field {show(key)} — known fields: {', '.join(TOP_LEVEL)}"))

    dataset, errs = check_dataset(spec.get("dataset"), limits)
    errors += errs
    training, errs = _check_training(spec.get("training"), limits)
    errors += errs
    # what the network checks need from the dataset, where that part of it is sound
    d = dataset or {}
    name = d.get("name")
    problem = DATASETS[name][0] if name else None
    classes = d.get("classes") if name == "blobs" else (DATASETS[name][1] if name else None)
    n_features = len(d["features"]) if d.get("features") else None
    net = _check_network(spec.get("network"), name, problem, classes, n_features, limits, errors)

    if errors:
        raise SpecInvalid(errors)
    assert net is not None and dataset is not None and training is not None
    norm = {"network": net["network"], "dataset": dataset, "training": training}
    if "meta" in spec:
        norm["meta"] = copy.deepcopy(spec["meta"])
    return ValidatedSpec(spec=norm, nodes=net["nodes"], total_params=net["total_params"], problem=problem,
                         classes=None if problem == "regression" else classes, order=net["order"],
                         sources=net["sources"], input_id=net["input_id"], output_id=net["output_id"],
                         limits=limits)


def _check_training(t, limits):
    if t is None:
        t = {}
    if not isinstance(t, dict):
        return None, [SpecError("training", f"training must be an object (got {show(t)})")]
    errors, out = [], {}
    known = [p.name for p in TRAINING] + ["regularization"]
    for key in t:
        if key not in known:
            errors.append(SpecError(f"training.{key}", f"unknown field {show(key)} in training — known fields: {', '.join(known)}"))
    for p in TRAINING:
        out[p.name], msg = p.check(t.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"training.{p.name}", msg))
    reg = t.get("regularization", {})
    if reg is None:
        reg = {}
    if not isinstance(reg, dict):
        errors.append(SpecError("training.regularization",
                                f"regularization must be an object like {{\"kind\": \"l2\", \"rate\": 0.001}} (got {show(reg)})"))
    else:
        for key in reg:
            if key not in ("kind", "rate"):
                errors.append(SpecError(f"training.regularization.{key}", f"unknown field {show(key)} in regularization — known fields: kind, rate"))
        kind, msg = REGULARIZATION[0].check(reg.get("kind", "none"), limits)
        if msg:
            errors.append(SpecError("training.regularization.kind", msg))
        default_rate = 0.0 if kind in (None, "none") else DEFAULT_REG_RATE
        rate, msg = REGULARIZATION[1].check(reg.get("rate", default_rate), limits)
        if msg:
            errors.append(SpecError("training.regularization.rate", msg))
        out["regularization"] = {"kind": kind, "rate": rate}
    return out, errors


def _valid_id(nid):
    return isinstance(nid, str) and 1 <= len(nid) <= 32 and nid.isprintable() and nid == nid.strip()


def _units(n):
    return f"{n} unit" if n == 1 else f"{n} units"


def _check_network(net, dataset_name, problem, classes, n_features, limits, errors):
    """Appends to `errors`; returns the normalised network and what was inferred, or None."""
    if net is None:
        errors.append(SpecError("network", "missing network: add {\"nodes\": [...], \"edges\": [...]}"))
        return None
    if not isinstance(net, dict):
        errors.append(SpecError("network", f"network must be an object with nodes and edges (got {show(net)})"))
        return None
    n_before = len(errors)
    for key in net:
        if key not in ("nodes", "edges"):
            errors.append(SpecError(f"network.{key}", f"unknown field {show(key)} in network — known fields: nodes, edges"))
    nodes, edges = net.get("nodes"), net.get("edges", [])
    if not isinstance(nodes, list):
        errors.append(SpecError("network.nodes", f"nodes must be a list of node objects (got {show(nodes)})"))
        return None
    if len(nodes) > limits.max_nodes:
        errors.append(SpecError("network.nodes", f"the network has {len(nodes)} nodes: at most {limits.max_nodes} are allowed"))
        return None
    if not nodes:
        errors.append(SpecError("network.nodes", "the network has no nodes: add an input and a dense block"))
        return None

    # --- nodes, one by one
    index, blocks, params, norm_nodes = {}, {}, {}, []
    well_formed = True  # ids all valid and unique, edges all valid: the graph can be analysed
    for i, node in enumerate(nodes):
        where = f"network.nodes[{i}]"
        if not isinstance(node, dict):
            errors.append(SpecError(where, f"node {i} must be an object like {{\"id\": \"h1\", \"type\": \"dense\"}} (got {show(node)})"))
            well_formed = False
            continue
        nid = node.get("id")
        if not _valid_id(nid):
            errors.append(SpecError(f"{where}.id", f"node {i} needs an id: a name of 1 to 32 characters like \"h1\" (got {show(nid)})"))
            well_formed, nid = False, None
        elif nid in index:
            errors.append(SpecError(f"{where}.id", f"duplicate node id {show(nid)} (also node {index[nid]}): give every node its own id", nid))
            well_formed, nid = False, None
        else:
            index[nid] = i
        typ = node.get("type")
        block = REGISTRY.get(typ) if isinstance(typ, str) else None
        if block is None:
            what = f"unknown block type {show(typ)}" if "type" in node else "missing block type"
            errors.append(SpecError(f"{where}.type", f"{what} — known types: {', '.join(REGISTRY)}", nid))
        p = node.get("params", {})
        p = {} if p is None else p
        norm = None
        if not isinstance(p, dict):
            errors.append(SpecError(f"{where}.params", f"params must be an object (got {show(p)})", nid))
        elif block is not None:
            norm, perrs = block.check_params(p, limits)
            for name, msg in perrs:
                errors.append(SpecError(f"{where}.params.{name}", msg, nid))
            if perrs:
                norm = None
        if nid is not None:
            blocks[nid], params[nid] = block, norm
        # keys besides id/type/params (the editor's x, y, label ...) are kept as they are
        extra = {k: copy.deepcopy(v) for k, v in node.items() if k not in ("id", "type", "params")}
        norm_nodes.append({"id": nid, "type": typ, "params": norm if norm is not None else p, **extra})

    # --- edges, one by one
    pairs, seen = [], {}
    if not isinstance(edges, list):
        errors.append(SpecError("network.edges", f"edges must be a list of [from, to] pairs (got {show(edges)})"))
        edges, well_formed = [], False
    for k, e in enumerate(edges):
        where = f"network.edges[{k}]"
        if not (isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)):
            errors.append(SpecError(where, f"edge {k} must be a pair [from, to] of node ids (got {show(e)})"))
            well_formed = False
            continue
        src, dst = e
        bad = [x for x in dict.fromkeys((src, dst)) if x not in index]
        for x in bad:
            errors.append(SpecError(where, f"edge {k} refers to unknown node {show(x)}"))
        if bad:
            well_formed = False
        elif src == dst:
            errors.append(SpecError(where, f"edge {k} connects {show(src)} to itself: remove it", src))
            well_formed = False
        elif (src, dst) in seen:
            errors.append(SpecError(where, f"edge {k} repeats edge {seen[(src, dst)]} ({src} → {dst}): remove it", dst))
            well_formed = False
        else:
            seen[(src, dst)] = k
            pairs.append((src, dst))
    if not well_formed:
        return None

    # --- the graph as a whole
    ids = list(index)
    inputs = [n for n in ids if blocks[n] is not None and blocks[n].type == "input"]
    if not inputs:
        errors.append(SpecError("network.nodes", "the network has no input node: add one like {\"id\": \"in\", \"type\": \"input\"}"))
        return None
    for extra in inputs[1:]:
        errors.append(SpecError(f"network.nodes[{index[extra]}]",
                                f"only one input node is allowed: {show(extra)} is another one — delete it", extra))
    if len(inputs) > 1:
        return None
    input_id = inputs[0]
    cycles = graph.find_cycles(ids, pairs)
    for loop, k in cycles:
        errors.append(SpecError(f"network.edges[{seen[pairs[k]]}]",
                                f"the graph has a cycle through {' → '.join(loop)}: remove one of these edges", loop[0]))
    if cycles:
        return None
    live = graph.reachable(input_id, ids, pairs)
    for n in ids:
        if n not in live:
            errors.append(SpecError(f"network.nodes[{index[n]}]", f"node {show(n)} is not connected to the input: connect it or delete it", n))
    sources = {n: [] for n in ids}
    consumers = {n: [] for n in ids}
    for src, dst in pairs:
        sources[dst].append(src)
        consumers[src].append(dst)
    for src in sources[input_id]:
        k = seen[(src, input_id)]
        errors.append(SpecError(f"network.edges[{k}]", f"the input node {show(input_id)} cannot have incoming edges: remove edge {k}", input_id))
    for n in ids:
        b = blocks[n]
        if n == input_id or n not in live or b is None or len(sources[n]) == b.inputs:
            continue
        got = f"{len(sources[n])} (from {', '.join(sources[n])})" if sources[n] else "none"
        takes = "one input" if b.inputs == 1 else f"{b.inputs} inputs"
        errors.append(SpecError(f"network.nodes[{index[n]}]", f"{b.type} node {show(n)} takes {takes} but has {got}: "
                                f"{'remove the extra edges' if len(sources[n]) > b.inputs else 'connect one into it'}", n))
    outputs = [n for n in ids if n in live and n != input_id and not consumers[n]]
    if not outputs:
        errors.append(SpecError("network.nodes", f"nothing follows the input {show(input_id)}: add a dense block and connect the input to it", input_id))
    elif len(outputs) > 1:
        errors.append(SpecError("network.nodes", f"the network has {len(outputs)} output nodes ({', '.join(outputs)}): exactly one node "
                                "may be left unconsumed — connect the others onward or delete them", outputs[-1]))
    if len(errors) > n_before or n_features is None:
        return None  # shapes need a sound graph, sound params and the features

    # --- shapes and parameter counts, in topological order
    order = graph.topo_order([n for n in ids if n in live], pairs)
    assert order[0] == input_id
    info, shapes = {}, {}
    for n in order:
        b, ins = blocks[n], ([[n_features]] if n == input_id else [shapes[s] for s in sources[n]])
        try:
            shapes[n] = b.infer_shape(params[n], ins)
        except ShapeError as e:
            errors.append(SpecError(f"network.nodes[{index[n]}]", f"{n}: {e}", n))
            return None
        info[n] = {"shape": list(shapes[n]), "params": b.count_params(params[n], ins), "type": b.type}
    output_id = outputs[0]
    total = sum(v["params"] for v in info.values())

    n_dense = sum(1 for n in order if blocks[n].type == "dense")
    if n_dense > limits.max_hidden_dense + 1:
        errors.append(SpecError("network.nodes", f"the network has {n_dense} dense blocks: at most {limits.max_hidden_dense + 1} "
                                f"are allowed ({limits.max_hidden_dense} hidden + the output layer)"))
    if total > limits.max_params:
        errors.append(SpecError("network", f"the network has {total} parameters: at most {limits.max_params} are allowed — "
                                "use fewer or narrower blocks"))
    if total == 0:
        errors.append(SpecError("network", "the network has no trainable parameters: add a dense block"))
    out_shape = shapes[output_id]
    out_path = f"network.nodes[{index[output_id]}]" + (".params.units" if "units" in params[output_id] else "")
    if len(out_shape) != 1:
        errors.append(SpecError(out_path, f"the output node {show(output_id)} gives shape {out_shape}: it must give a flat vector", output_id))
    elif problem == "regression" or classes is not None:
        k, head = out_shape[0], f"the output node {show(output_id)} has {_units(out_shape[0])} but {show(dataset_name)}"
        if problem == "regression" and k != 1:
            errors.append(SpecError(out_path, f"{head} is regression: use 1 unit", output_id))
        elif problem == "classification" and dataset_name != "blobs" and k not in (1, 2):
            errors.append(SpecError(out_path, f"{head} is binary classification: use 1 unit (sigmoid) or 2 (softmax)", output_id))
        elif dataset_name == "blobs" and k != classes:
            errors.append(SpecError(out_path, f"{head} has {classes} classes: use {classes} units (softmax)", output_id))

    norm_network = {"nodes": norm_nodes, "edges": [list(p) for p in pairs]}
    return {"network": norm_network, "nodes": info, "total_params": total, "order": order,
            "sources": {n: sources[n] for n in order}, "input_id": input_id, "output_id": output_id}
