"""
validate_spec: a JSON spec from a client -> a ValidatedSpec, or SpecInvalid with every error found.

Order of checks: each part (network nodes, edges, dataset, training) is checked on its own, so
independent mistakes are all reported together; checks that build on others (graph structure, then
shapes, then the output's width against the dataset) run only when what they stand on is sound, so
one typo does not cascade into ten errors. Any JSON-ish input gives a ValidatedSpec or SpecInvalid,
never another exception.

infer_graph checks a network alone (its own input params give the shape of an image, sequence or
token input): shape inference node by node, parameter counts, the limits. validate_spec runs it with
the dataset's input and then judges the output against the dataset's problem.
"""

import math
from dataclasses import dataclass, field

from . import graph, solvers
from .blocks import REGISTRY
from .blocks.base import Param, ShapeError, Tokens, describe, kind_of, mismatch
from .datasets import DATASETS, check_dataset, gives, input_params
from .errors import SpecError, SpecInvalid, show
from .limits import Limits
from .recipes import RECIPES

TOP_LEVEL = ("network", "networks", "dataset", "training", "meta")  # network: one; networks: several, named  # meta: free-form client data, kept untouched
MAX_FREE_DEPTH = 16  # how deeply free-form data (meta, a node's editor fields) may nest


def _help(en, zh):
    return {"en": en, "zh-hans": zh}


TRAINING = (
    Param("optimizer", "choice", "sgd", choices=("sgd", "momentum", "adam", "adamw", "rmsprop"),
          help=_help("How the weights follow the gradient. adamw applies an L2 regularization as decoupled weight decay.",
                     "权重如何沿梯度更新。adamw 把 L2 正则化作为解耦的权重衰减。")),
    Param("learning_rate", "float", 0.03, min=0.0, min_exclusive=True, max_from="max_learning_rate",
          help=_help("How big each step is.", "每一步走多大。")),
    Param("momentum", "float", 0.9, min=0.0, max=0.99,
          help=_help("For the momentum optimizer: how much of the last step carries on.", "动量优化器：上一步保留多少。")),
    Param("batch_size", "int", 10, min=1, max_from="max_batch_size",
          help=_help("How many points each step looks at.", "每一步看多少个点。")),
    Param("epochs", "int", 200, min=1, max_from="max_epochs",
          help=_help("How many passes over the training points.", "遍历训练点多少遍。")),
    Param("folds", "int", 0, min=0, max=10,
          help=_help("Cross-validation: first train k models, each scored on the 1/k of the training points it did "
                     "not see, and report their mean and spread (0: off; curve_fit, house_prices and the 2-D sets).",
                     "交叉验证：先训练 k 个模型，每个在它没见过的 1/k 训练点上评分，报告均值和离散程度"
                     "（0：关闭；适用于 curve_fit、house_prices 和二维数据集）。")),
    Param("steps", "int", 0, min=0, max_from="max_steps",
          help=_help("Train for exactly this many steps (batches) instead of a number of epochs (0: use epochs).",
                     "训练恰好这么多步（批次），而不是按轮数（0：按轮数）。")),
    Param("seed", "int", 1, min=0, max=2**31 - 1,
          help=_help("The same seed gives the same starting weights and order.", "相同的种子给出相同的初始权重和顺序。")),
    Param("device", "choice", "auto", choices=("auto", "cpu", "cuda"),
          help=_help("Where to train: auto picks a GPU when there is one.", "在哪里训练：auto 有 GPU 时用 GPU。")),
    Param("solver", "choice", "gradient", choices=solvers.SOLVERS,
          help=_help("gradient: step by step down the gradient; closed_form: the least-squares answer in one step "
                     "(input → dense(1) on a regression dataset).",
                     "gradient：沿梯度一步步下降；closed_form：一步得到最小二乘解（回归数据集上的 输入 → dense(1)）。")),
    Param("recipe", "choice", "supervised", choices=RECIPES.keys(),  # a live view: the registry decides
          help=_help("What is trained: supervised learning of the dataset's answers (the default).",
                     "训练什么：有监督地学习数据集的答案（默认）。")),
    Param("clip_grad_norm", "float", 0.0, min=0.0, max=1000.0,
          help=_help("Scale the gradients down when their total length is above this (0: off).",
                     "梯度总长度超过此值时按比例缩小（0：关闭）。")),
)
SCHEDULE = (  # training.schedule, see schedules.py
    Param("kind", "choice", "constant", choices=("constant", "step", "cosine"),
          help=_help("How the learning rate changes over the epochs.", "学习率如何随轮次变化。")),
    Param("every", "int", 100, min=1, max_from="max_epochs", when=("kind", ("step",)),
          help=_help("step: epochs between two drops.", "step：两次下降之间的轮数。")),
    Param("gamma", "float", 0.5, min=0.0, max=1.0, min_exclusive=True, when=("kind", ("step",)),
          help=_help("step: the factor at each drop.", "step：每次下降乘以的系数。")),
)
EARLY_STOPPING = (
    Param("patience", "int", 0, min=0, max_from="max_epochs",
          help=_help("Stop when the test loss has not improved for this many epochs (0: off).",
                     "测试损失连续这么多轮没有改善时停止（0：关闭）。")),
)
REGULARIZATION = (
    Param("kind", "choice", "none", choices=("none", "l1", "l2"),
          help=_help("Penalise big weights: none, L1 or L2.", "惩罚过大的权重：无、L1 或 L2。")),
    Param("rate", "float", 0.0, min=0.0, max=1.0,
          help=_help("How strongly to penalise.", "惩罚的强度。")),
)
DEFAULT_REG_RATE = 0.001  # the rate when a kind is chosen but no rate given


@dataclass
class GraphInfo:
    """What infer_graph finds in a sound network: shapes and counts per node, and the order to run it."""

    network: dict  # the normalised network: {"nodes": [...], "edges": [[src, dst], ...]}
    nodes: dict  # id -> {"shape": [8], "params": 24, "type": "dense"} (+ "vocab" for token ids), in topological order
    total_params: int
    order: list  # node ids, input first, output last, every node after its sources
    sources: dict  # node id -> its source ids, in edge order
    input_id: str
    output_id: str
    activation_bytes: int  # float32 activations of one sample's forward pass, estimated


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
    activation_bytes: int = 0  # per sample, estimated; times the batch size it is checked against the limits
    input_kind: str = "tabular"  # what the dataset feeds: tabular | image | sequence | tokens
    per_step: bool = False  # the dataset wants an answer at every step (outputs (T, classes))
    networks: dict = field(default_factory=dict)  # name -> GraphInfo: every network the recipe trains
    recipe: str = "supervised"  # training.recipe (the normalised spec leaves the default out)

    @property
    def network(self):
        """The one network (the first of several: the fields above describe it)."""
        return self.spec["network"] if "network" in self.spec else next(iter(self.networks.values())).network


def infer_graph(network, limits=Limits(), input_shape=(2,), batch_size=1):
    """Checks a network on its own, without a dataset: -> GraphInfo, or SpecInvalid with every error.
    input_shape is what a tabular input gets (the dataset's features); the other input kinds take
    their shape from their own params. batch_size only scales the activation-memory estimate."""
    info, errors = _check_network(network, limits, list(input_shape), batch_size)
    if errors:
        raise SpecInvalid(errors)
    return info


def validate_spec(spec, limits=Limits()):
    if isinstance(spec, ValidatedSpec):
        spec = spec.spec
    if not isinstance(spec, dict):
        raise SpecInvalid([SpecError("", f"the spec must be an object with network, dataset and training (got {show(spec)})")])
    errors = []
    for key in spec:
        if key not in TOP_LEVEL:
            errors.append(SpecError(str(key), f"unknown field {show(key)} — known fields: {', '.join(TOP_LEVEL)}"))

    dataset, dataset_errors = check_dataset(spec.get("dataset"), limits)
    errors += dataset_errors
    training, errs = _check_training(spec.get("training"), limits)
    errors += errs
    want, source, input_shape = _what_the_dataset_gives(dataset, dataset_errors)
    recipe = RECIPES.get((training or {}).get("recipe"))  # None where training.recipe is wrong
    nets, errs = _check_networks(spec, recipe, limits, input_shape, (training or {}).get("batch_size") or 1, source)
    errors += errs
    for name, net in nets.items():
        if net is not None and want is not None and recipe is not None:  # every shape is known: judge the output
            role = recipe.roles[name]
            errs = (_check_output(net, want) if role.gives == "answer" else []) + recipe.check_network(net, want, training or {})
            errors += _under(errs, name, nets)
    errors += _check_folds(dataset, dataset_errors, training or {})
    meta, msg = _free_json(spec.get("meta"))
    if msg:
        errors.append(SpecError("meta", f"meta cannot be stored: {msg}"))

    if errors:
        raise SpecInvalid(errors)
    assert all(nets.values()) and dataset is not None and training is not None
    several = "network" not in nets
    net = next(iter(nets.values()))  # the first network: what the fields below describe
    norm = {"networks": {k: n.network for k, n in nets.items()}} if several else {"network": net.network}
    recipe_name = training.pop("recipe")  # stored only when not the default: old specs stay byte for byte
    if recipe_name != "supervised":
        training["recipe"] = recipe_name
    norm.update(dataset=dataset, training=training)
    if "meta" in spec:
        norm["meta"] = meta
    problem = want["problem"]
    return ValidatedSpec(spec=norm, nodes=net.nodes, total_params=net.total_params, problem=problem,
                         classes=None if problem == "regression" else want["classes"], order=net.order,
                         sources=net.sources, input_id=net.input_id, output_id=net.output_id,
                         limits=limits, activation_bytes=net.activation_bytes, input_kind=source["kind"],
                         per_step=want["per_step"], networks=nets, recipe=recipe_name)


def _check_networks(spec, recipe, limits, input_shape, batch_size, source):
    """({name: GraphInfo or None}, errors): the networks the recipe names, each checked on its own.
    One network is `network`; several are `networks: {name: network}`, their errors under
    networks.<name>. recipe None (training.recipe is wrong): the networks given are checked as given."""
    given = spec.get("networks")
    if "network" in spec and given is not None:
        return {}, [SpecError("networks", "give either network (one network) or networks (several, by name), not both")]
    if given is not None and not (isinstance(given, dict) and given):
        return {}, [SpecError("networks", f"networks must be an object of named networks like "
                              f"{{\"encoder\": {{\"nodes\": [...], \"edges\": [...]}}}} (got {show(given)})")]
    names = list(recipe.roles) if recipe is not None else (list(given) if given else ["network"])
    if given is None:
        if names != ["network"]:
            return {}, [SpecError("networks", f"recipe {show(recipe.name)} trains {len(names)} networks: give them as networks: "
                                  f"{{{', '.join(show(n) for n in names)}}}")]
        given = {"network": spec.get("network")}
    elif names == ["network"] and recipe is not None:
        return {}, [SpecError("networks", f"recipe {show(recipe.name)} trains one network: give it as network, not networks")]
    errors = [SpecError(f"networks.{k}", f"recipe {show(recipe.name)} has no network {show(k)} — its networks: "
                        f"{', '.join(names)}") for k in given if k not in names]
    errors += [SpecError("networks", f"recipe {show(recipe.name)} needs a network {show(k)}: add networks.{k}")
               for k in names if k not in given]
    if errors:
        return {}, errors
    nets = {}
    for name in names:  # every role takes the dataset's input today
        nets[name], errs = _check_network(given[name], limits, input_shape, batch_size, source)
        errors += _under(errs, name, given)
    return nets, errors


def _under(errors, name, nets):
    """The errors of one of several networks, placed under networks.<name> and saying which network."""
    if "network" in nets:
        return errors
    out = []
    for e in errors:
        path = e.path
        if path == "network" or path.startswith("network."):
            path = f"networks.{name}" + path[len("network"):]
        out.append(SpecError(path, f"network {show(name)}: {e.message}", e.node))
    return out


def _what_the_dataset_gives(d, dataset_errors):
    """(want, source, input_shape) for the network checks, from the parts of the dataset spec that are
    sound. want: what the output must answer ({"name", "problem", "classes", "per_step", "steps"});
    source: what the input node is fed ({"name", "kind", "gives", "params"}); input_shape: a tabular
    input's shape. None (and [None]) where the dataset is too broken to say."""
    g = gives(d or {}, sound=not dataset_errors)
    if g is None:
        return None, None, [None]
    name = g["name"]
    want = {"name": name, "problem": g["problem"], "classes": g["classes"], "per_step": g["per_step"],
            "steps": g["steps"]} if name else None
    shape = g["shape"]
    if g["kind"] == "tabular":
        n = shape[0]
        source = {"name": name, "kind": "tabular", "gives": f"{n} tabular features", "params": {}} if n else None
        return want, source, shape
    dims, steps = "×".join(map(str, shape)), shape[0]
    fed = {"image": lambda: f"images {dims}", "sequence": lambda: f"sequences of {steps} steps × {shape[1]} features",
           "tokens": lambda: f"token ids ({steps} steps, vocabulary {g['vocab']})"}[g["kind"]]()
    return want, {"name": name, "kind": g["kind"], "gives": fed, "params": input_params(g)}, shape


def _check_folds(d, dataset_errors, training):
    """Cross-validation needs points to cut into folds: the 1-D and 2-D sets, and at least k of them."""
    k = training.get("folds")
    if not k or dataset_errors or d is None:
        return []
    if k == 1:
        return [SpecError("training.folds", "one fold leaves nothing to train on: use 0 (off) or 2 to 10 folds")]
    if not DATASETS[d["name"]].dims:  # not points: nothing to cut into folds
        return [SpecError("training.folds", f"cross-validation applies to curve_fit, house_prices and the 2-D sets, not to "
                          f"{show(d['name'])}: set folds to 0")]
    if "train_fraction" in d:
        n = min(max(round(d["samples"] * d["train_fraction"]), 1), d["samples"] - 1) + len(d.get("extra_points") or [])
    else:
        n = d["samples"]
    if k > n:
        return [SpecError("training.folds", f"{k} folds need at least {k} training points, and there are {n}: "
                          "use fewer folds or more samples")]
    return []


def _check_training(t, limits):
    if t is None:
        t = {}
    if not isinstance(t, dict):
        return None, [SpecError("training", f"training must be an object (got {show(t)})")]
    errors, out = [], {}
    known = [p.name for p in TRAINING] + ["regularization", "schedule", "early_stopping"]
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
                errors.append(SpecError(f"training.regularization.{key}",
                                        f"unknown field {show(key)} in regularization — known fields: kind, rate"))
        kind, msg = REGULARIZATION[0].check(reg.get("kind", "none"), limits)
        if msg:
            errors.append(SpecError("training.regularization.kind", msg))
        default_rate = 0.0 if kind in (None, "none") else DEFAULT_REG_RATE
        rate, msg = REGULARIZATION[1].check(reg.get("rate", default_rate), limits)
        if msg:
            errors.append(SpecError("training.regularization.rate", msg))
        out["regularization"] = {"kind": kind, "rate": rate}
    out["schedule"], errs = _check_section(t.get("schedule"), SCHEDULE, "training.schedule", '{"kind": "cosine"}', limits)
    errors += errs
    out["early_stopping"], errs = _check_section(t.get("early_stopping"), EARLY_STOPPING, "training.early_stopping",
                                                 '{"patience": 20}', limits)
    return out, errors + errs


def _check_section(value, params, path, example, limits):
    """A small object of Params (training.schedule, training.early_stopping) -> (normalised, errors).
    A param whose `when` does not hold is left out, and an error where it is given."""
    name = path.rsplit(".", 1)[-1]
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return None, [SpecError(path, f"{name} must be an object like {example} (got {show(value)})")]
    known = [p.name for p in params]
    errors = [SpecError(f"{path}.{key}", f"unknown field {show(key)} in {name} — known fields: {', '.join(known)}")
              for key in value if key not in known]
    out = {}
    for p in params:
        if not p.applies(out):
            if p.name in value:
                errors.append(SpecError(f"{path}.{p.name}", f"{p.name} applies only when {p.when[0]} is "
                                        f"{' or '.join(p.when[1])}: remove it"))
            continue
        out[p.name], msg = p.check(value.get(p.name, p.default), limits)
        if msg:
            errors.append(SpecError(f"{path}.{p.name}", msg))
    return out, errors


def _free_json(value, depth=0):
    """(a copy of client data we keep but do not interpret, None) or (None, what is wrong with it).
    It must be plain, finite JSON of bounded depth: it is stored, and deep nesting would blow the stack."""
    if depth > MAX_FREE_DEPTH:
        return None, f"it nests more than {MAX_FREE_DEPTH} levels deep"
    if value is None or isinstance(value, (bool, str)):
        return value, None
    if isinstance(value, int):
        return (value, None) if abs(value) < 2**63 else (None, "it holds a number too large to store")
    if isinstance(value, float):
        return (value, None) if math.isfinite(value) else (None, f"it holds {show(value)}, which JSON cannot represent")
    if isinstance(value, list):
        out = []
        for v in value:
            v, msg = _free_json(v, depth + 1)
            if msg:
                return None, msg
            out.append(v)
        return out, None
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        out = {}
        for k, v in value.items():
            out[k], msg = _free_json(v, depth + 1)
            if msg:
                return None, msg
        return out, None
    return None, f"it holds {show(value)}, which is not plain JSON"


def _valid_id(nid):
    return isinstance(nid, str) and 1 <= len(nid) <= 32 and nid.isprintable() and nid == nid.strip()


def _units(n):
    return f"{n} unit" if n == 1 else f"{n} units"


def _check_network(net, limits, input_shape, batch_size, source=None):
    """(GraphInfo or None, [SpecError]). input_shape: what a tabular input gets ([None] when the dataset
    is broken: then shapes are not checked). source: the dataset ({"name", "kind", "features"}) or None."""
    if net is None:
        return None, [SpecError("network", "missing network: add {\"nodes\": [...], \"edges\": [...]}")]
    if not isinstance(net, dict):
        return None, [SpecError("network", f"network must be an object with nodes and edges (got {show(net)})")]
    errors = [SpecError(f"network.{key}", f"unknown field {show(key)} in network — known fields: nodes, edges")
              for key in net if key not in ("nodes", "edges")]
    nodes, edges = net.get("nodes"), net.get("edges", [])
    if not isinstance(nodes, list):
        return None, errors + [SpecError("network.nodes", f"nodes must be a list of node objects (got {show(nodes)})")]
    if len(nodes) > limits.max_nodes:  # before anything else: a huge graph is not worth analysing
        return None, errors + [SpecError("network.nodes", f"the network has {len(nodes)} nodes: at most {limits.max_nodes} are allowed")]
    if not nodes:
        return None, errors + [SpecError("network.nodes", "the network has no nodes: add an input and a dense block")]

    nodes, ok_nodes, errs = _check_nodes(nodes, limits)
    errors += errs
    pairs, ok_edges, errs = _check_edges(edges, nodes)
    errors += errs
    if not (ok_nodes and ok_edges):
        return None, errors  # ids or edges are broken: the graph as a whole cannot be judged
    graph_info, errs = _check_graph(nodes, pairs)
    errors += errs
    if errors or input_shape[0] is None:
        return None, errors  # shapes need a sound graph, sound params and the features
    info, errs = _check_shapes(nodes, graph_info, input_shape, batch_size, source, limits)
    errors += errs
    if info is None:
        return None, errors
    network = {"nodes": [n["normalised"] for n in nodes.values()], "edges": [list(p) for p in pairs]}
    return GraphInfo(network=network, **info), errors


def _check_nodes(raw_nodes, limits):
    """Each node on its own: id, type, params. Returns ({id: node info}, ids all sound, errors)."""
    nodes, errors, ok = {}, [], True
    for i, node in enumerate(raw_nodes):
        where = f"network.nodes[{i}]"
        if not isinstance(node, dict):
            errors.append(SpecError(where, f"node {i} must be an object like {{\"id\": \"h1\", \"type\": \"dense\"}} (got {show(node)})"))
            ok = False
            continue
        nid = node.get("id")
        if not _valid_id(nid):
            errors.append(SpecError(f"{where}.id", f"node {i} needs an id: a name of 1 to 32 characters like \"h1\" (got {show(nid)})"))
            ok, nid = False, None
        elif nid in nodes:
            errors.append(SpecError(f"{where}.id", f"duplicate node id {show(nid)} (also node {nodes[nid]['index']}): "
                                    "give every node its own id", nid))
            ok, nid = False, None
        typ = node.get("type")
        block = REGISTRY.get(typ) if isinstance(typ, str) else None
        if block is None:
            what = f"unknown block type {show(typ)}" if "type" in node else "missing block type"
            errors.append(SpecError(f"{where}.type", f"{what} — known types: {', '.join(REGISTRY)}", nid))
        raw = node.get("params", {})
        raw = {} if raw is None else raw
        params = None
        if not isinstance(raw, dict):
            errors.append(SpecError(f"{where}.params", f"params must be an object (got {show(raw)})", nid))
        elif block is not None:
            params, perrs = block.check_params(raw, limits)
            errors += [SpecError(f"{where}.params.{name}", msg, nid) for name, msg in perrs]
            params = None if perrs else params
        # keys besides id/type/params (the editor's x, y, label ...) are kept as they are
        extra = {k: v for k, v in node.items() if k not in ("id", "type", "params")}
        extra, msg = _free_json(extra)
        if msg:
            errors.append(SpecError(where, f"the extra fields of node {i} cannot be stored: {msg}", nid))
            extra = {}
        if nid is not None:
            nodes[nid] = {"index": i, "block": block, "params": params,
                          "normalised": {"id": nid, "type": typ, "params": params if params is not None else raw, **extra}}
    return nodes, ok, errors


def _check_edges(edges, nodes):
    """Each edge on its own. Returns ([(src, dst)], edges all sound, errors)."""
    if not isinstance(edges, list):
        return [], False, [SpecError("network.edges", f"edges must be a list of [from, to] pairs (got {show(edges)})")]
    pairs, seen, errors = [], {}, []
    for k, e in enumerate(edges):
        where = f"network.edges[{k}]"
        if not (isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)):
            errors.append(SpecError(where, f"edge {k} must be a pair [from, to] of node ids (got {show(e)})"))
            continue
        src, dst = e
        unknown = [x for x in dict.fromkeys((src, dst)) if x not in nodes]
        errors += [SpecError(where, f"edge {k} refers to unknown node {show(x)}") for x in unknown]
        if unknown:
            continue
        if src == dst:
            errors.append(SpecError(where, f"edge {k} connects {show(src)} to itself: remove it", src))
        elif (src, dst) in seen:
            errors.append(SpecError(where, f"edge {k} repeats edge {seen[(src, dst)]} ({src} → {dst}): remove it", dst))
        else:
            seen[(src, dst)] = k
            pairs.append((src, dst))
    return pairs, not errors, errors


def _check_graph(nodes, pairs):
    """The graph as a whole: one input, no cycle, everything reachable, arity, one output."""
    ids, errors = list(nodes), []
    edge_index = {p: k for k, p in enumerate(pairs)}  # pairs are the edges in order when all are sound
    inputs = [n for n in ids if nodes[n]["block"] is not None and nodes[n]["block"].type == "input"]
    if not inputs:
        return None, [SpecError("network.nodes", "the network has no input node: add one like {\"id\": \"in\", \"type\": \"input\"}")]
    if len(inputs) > 1:
        return None, [SpecError(f"network.nodes[{nodes[n]['index']}]",
                                f"only one input node is allowed: {show(n)} is another one — delete it", n)
                      for n in inputs[1:]]
    input_id = inputs[0]
    cycles = graph.find_cycles(ids, pairs)
    if cycles:
        return None, [SpecError(f"network.edges[{k}]",
                                f"the graph has a cycle through {' → '.join(loop)}: remove one of these edges", loop[0])
                      for loop, k in cycles]
    live = graph.reachable(input_id, ids, pairs)
    errors += [SpecError(f"network.nodes[{nodes[n]['index']}]", f"node {show(n)} is not connected to the input: connect it or delete it", n)
               for n in ids if n not in live]
    sources, consumers = {n: [] for n in ids}, {n: [] for n in ids}
    for src, dst in pairs:
        sources[dst].append(src)
        consumers[src].append(dst)
    for src in sources[input_id]:
        k = edge_index[(src, input_id)]
        errors.append(SpecError(f"network.edges[{k}]",
                                f"the input node {show(input_id)} cannot have incoming edges: remove edge {k}", input_id))
    for n in ids:
        b, got = nodes[n]["block"], sources[n]
        if n == input_id or n not in live or b is None or len(got) == b.inputs or (b.many_inputs and len(got) > b.inputs):
            continue
        has = f"{len(got)} (from {', '.join(got)})" if got else "none"
        takes = "one input" if b.inputs == 1 else f"{b.inputs} inputs"
        takes += " or more" if b.many_inputs else ""
        fix = "remove the extra edges" if len(got) > b.inputs else "connect one into it" if len(got) + 1 == b.inputs \
            else f"connect {b.inputs - len(got)} into it"
        errors.append(SpecError(f"network.nodes[{nodes[n]['index']}]", f"{b.type} node {show(n)} takes {takes} but has {has}: {fix}", n))
    outputs = [n for n in ids if n in live and n != input_id and not consumers[n]]
    if not outputs:
        errors.append(SpecError("network.nodes", f"nothing follows the input {show(input_id)}: "
                                "add a dense block and connect the input to it", input_id))
    elif len(outputs) > 1:
        errors.append(SpecError("network.nodes", f"the network has {len(outputs)} output nodes ({', '.join(outputs)}): exactly one node "
                                "may be left unconsumed — connect the others onward or delete them", outputs[-1]))
    order = None if errors else graph.topo_order(ids, pairs)
    return {"input_id": input_id, "output_id": outputs[0] if outputs else None, "order": order, "sources": sources}, errors


def _check_shapes(nodes, g, input_shape, batch_size, source, limits):
    """Shapes and parameter counts in topological order, then the limits. -> (GraphInfo fields, errors);
    stops at the first node whose inputs do not fit it: what follows would only repeat the mistake."""
    info, shapes, floats = {}, {}, 0
    input_id, output_id, order = g["input_id"], g["output_id"], g["order"]
    assert order[0] == input_id and order[-1] == output_id
    for n in order:
        b, params, where = nodes[n]["block"], nodes[n]["params"], f"network.nodes[{nodes[n]['index']}]"
        ins = [input_shape] if n == input_id else [shapes[s] for s in g["sources"][n]]
        try:
            bad = [s for s in ins if kind_of(s) not in b.accepts] if n != input_id else []
            if bad:
                raise ShapeError(mismatch(b.accepts, bad[0]))
            if n == input_id and source and source["params"] and params.get("kind") == source["kind"]:
                # the dataset decides the shape an image, sequence or token input gets
                params = nodes[n]["params"] = nodes[n]["normalised"]["params"] = {**params, **source["params"]}
            if b.from_input is not None:
                params = nodes[n]["params"] = nodes[n]["normalised"]["params"] = b.from_input(params, shapes[input_id])
            shape = b.infer_shape(params, ins)
        except ShapeError as e:
            return None, [SpecError(where, f"{b.type} node {show(n)} {e}", n)]
        assert 1 <= len(shape) <= 3 and all(isinstance(d, int) and d >= 1 for d in shape), (n, shape)
        if n == input_id and source and params["kind"] != source["kind"]:
            return None, [SpecError(f"{where}.params.kind", f"input {show(n)} is {describe(shape)} but dataset {show(source['name'])} "
                                    f"gives {source['gives']}: use kind {show(source['kind'])}, "
                                    f"or pick {'an' if params['kind'] == 'image' else 'a'} {params['kind']} dataset", n)]
        if kind_of(shape) == "sequence" and shape[0] > limits.max_seq_len:
            return None, [SpecError(where, f"{b.type} node {show(n)} makes {describe(shape)}, longer than {limits.max_seq_len} steps: "
                                    "use a shorter sequence (attention costs grow with its square)", n)]
        shapes[n] = shape
        info[n] = {"shape": list(shape), "params": b.count_params(params, ins), "type": b.type}
        if isinstance(shape, Tokens):
            info[n]["vocab"] = shape.vocab
        floats += math.prod(shape) + (b.activations(params, ins) if b.activations else 0)
    total, per_sample = sum(v["params"] for v in info.values()), 4 * floats

    errors = []
    n_dense = sum(1 for v in info.values() if v["type"] == "dense")
    if n_dense > limits.max_hidden_dense + 1:
        errors.append(SpecError("network.nodes", f"the network has {n_dense} dense blocks: at most {limits.max_hidden_dense + 1} "
                                f"are allowed ({limits.max_hidden_dense} hidden + the output layer)"))
    if total > limits.max_params:
        errors.append(SpecError("network", f"the network has {total} parameters: at most {limits.max_params} are allowed — "
                                "use fewer or narrower blocks"))
    if total == 0:
        errors.append(SpecError("network", "the network has no trainable parameters: add a dense block"))
    if per_sample * batch_size > limits.max_activation_bytes:
        errors.append(SpecError("network", f"the network needs about {_mb(per_sample * batch_size)} of activations for a batch of "
                                f"{batch_size} ({_mb(per_sample)} a sample): at most {_mb(limits.max_activation_bytes)} — use a "
                                "smaller batch, shorter sequences or narrower blocks"))
    return {"nodes": info, "total_params": total, "order": order, "sources": {n: g["sources"][n] for n in order},
            "input_id": input_id, "output_id": output_id, "activation_bytes": per_sample}, errors


def _mb(n):
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.1f} KB"


def _check_output(net, want):
    """The output node against what the dataset wants: a flat vector of the right width and a fitting
    head, or, where every step has an answer, a (steps × classes) sequence."""
    output_id, name, problem, classes = net.output_id, want["name"], want["problem"], want["classes"]
    node = next(n for n in net.network["nodes"] if n["id"] == output_id)
    index, params = net.network["nodes"].index(node), node["params"]
    width = next((k for k in ("units", "classes", "outputs", "vocab") if k in params), None)
    out_path = f"network.nodes[{index}]" + (f".params.{width}" if width else "")
    out_shape, loss = net.nodes[output_id]["shape"], REGISTRY[node["type"]].loss
    if want["per_step"]:
        steps = want["steps"]
        if len(out_shape) != 2 or out_shape[0] != steps:
            return [SpecError(out_path, f"the output node {show(output_id)} gives {describe(out_shape)} but {show(name)} wants an "
                              f"answer at every step: a sequence of {steps} steps × {classes} classes — keep the sequence "
                              "(recurrent blocks with output 'sequence', no flatten) and end with token_logits or a dense block",
                              output_id)]
        if loss == "mse" or out_shape[1] != classes:
            return [SpecError(out_path, f"the output node {show(output_id)} gives {out_shape[1]} values a step but {show(name)} "
                              f"has {classes} classes a step: use {classes} units (softmax)", output_id)]
        return []
    head = f"the output node {show(output_id)} has {_units(out_shape[0])} but {show(name)}" if len(out_shape) == 1 else ""
    if len(out_shape) != 1:
        return [SpecError(out_path, f"the output node {show(output_id)} gives shape {out_shape}: "
                          "it must give a flat vector — insert a flatten before it", output_id)]
    if loss is not None and (loss == "mse") != (problem == "regression"):
        fix = "a regression_head" if problem == "regression" else "a classification_head"
        return [SpecError(f"network.nodes[{index}].type", f"the output node {show(output_id)} is a {node['type']} ({loss}) but "
                          f"{show(name)} is {problem}: use {fix} or a dense block", output_id)]
    if problem == "regression" and out_shape[0] != 1:
        return [SpecError(out_path, f"{head} is regression: use 1 unit", output_id)]
    if problem == "classification" and classes == 2 and out_shape[0] not in (1, 2):
        return [SpecError(out_path, f"{head} is binary classification: use 1 unit (sigmoid) or 2 (softmax)", output_id)]
    if problem == "classification" and classes is not None and classes != 2 and out_shape[0] != classes:
        return [SpecError(out_path, f"{head} has {classes} classes: use {classes} units (softmax)", output_id)]
    return []
