"""The controls an assignment may lock or hide, each read from a spec the same way on both sides: the
student page builds its form from them, and the server checks that a run for the assignment kept every
locked or hidden control at the preset's value (the browser is never trusted to enforce it)."""


def _dense_units(spec):
    nodes = spec["network"]["nodes"]
    return [n["params"]["units"] for n in nodes if n["type"] == "dense"][:-1]


def _activations(spec):
    return sorted({n["params"]["fn"] for n in spec["network"]["nodes"] if n["type"] == "activation"})


CONTROLS = {
    "dataset": lambda s: s["dataset"].get("name"),
    "noise": lambda s: s["dataset"].get("noise"),
    "samples": lambda s: s["dataset"].get("samples"),
    "train_fraction": lambda s: s["dataset"].get("train_fraction"),
    "features": lambda s: s["dataset"].get("features"),
    "layers": _dense_units,
    "activation": _activations,
    "network": lambda s: s["network"],
    "optimizer": lambda s: s["training"].get("optimizer"),
    "learning_rate": lambda s: s["training"].get("learning_rate"),
    "batch_size": lambda s: s["training"].get("batch_size"),
    "epochs": lambda s: s["training"].get("epochs"),
    "regularization": lambda s: s["training"].get("regularization", {}).get("kind"),
    "regularization_rate": lambda s: s["training"].get("regularization", {}).get("rate"),
    "device": lambda s: s["training"].get("device"),
}

# Where the error points for each control (docs/api.md's paths).
PATHS = {
    "dataset": "dataset.name", "noise": "dataset.noise", "samples": "dataset.samples",
    "train_fraction": "dataset.train_fraction", "features": "dataset.features", "layers": "network.nodes",
    "activation": "network.nodes", "network": "network", "optimizer": "training.optimizer",
    "learning_rate": "training.learning_rate", "batch_size": "training.batch_size", "epochs": "training.epochs",
    "regularization": "training.regularization.kind", "regularization_rate": "training.regularization.rate",
    "device": "training.device",
}


def unknown_controls(names):
    return [n for n in names if n not in CONTROLS]


def changed_fixed_controls(preset, spec, fixed):
    """[(control, path, preset value)] for every locked/hidden control the spec changed."""
    changed = []
    for name in fixed:
        read = CONTROLS.get(name)
        if read is None:
            continue
        try:
            want, got = read(preset), read(spec)
        except (KeyError, TypeError):
            want, got = read(preset), None
        if want != got:
            changed.append((name, PATHS[name], want))
    return changed


def _flatten(value, prefix=""):
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: value}


def spec_diff(preset, spec):
    """[{path, preset, run}] where the run's spec differs from the preset: the leaderboard shows what the
    best students changed. Nodes are compared by id, so an added layer reads as one change."""
    def comparable(s):
        flat = _flatten({"dataset": s.get("dataset", {}), "training": s.get("training", {})})
        for node in s.get("network", {}).get("nodes", []):
            flat[f"network.{node['id']}"] = {"type": node["type"], **node.get("params", {})}
        flat["network.edges"] = [list(e) for e in s.get("network", {}).get("edges", [])]
        return flat

    a, b = comparable(preset), comparable(spec)
    return [{"path": path, "preset": a.get(path), "run": b.get(path)}
            for path in sorted(set(a) | set(b)) if a.get(path) != b.get(path)]
