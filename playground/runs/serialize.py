from . import hooks


def _iso(value):
    return value.isoformat() if value else None


def run_json(run):
    """A run as the API shows it (GET /api/runs/<id>, the snapshot's header)."""
    return {
        "id": str(run.id),
        "status": run.status,
        "reason": run.reason or None,
        "spec": run.spec,
        "queue": run.queue,
        "final": run.final,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "url": f"/runs/{run.id}",
        "ws": f"/ws/runs/{run.id}/",
        "owner": run.owner.username if run.owner_id else None,
        "assignment": run.assignment_id,
        "shared": run.shared,
        "params": run.params,
        # for a queued run: {"ahead": runs the scheduler starts first, "estimate_s"}
        "queue_position": hooks.queue_position(run) if run.status == "queued" else None,
    }


def run_summary(run):
    """A run as the visitor's list shows it: no full spec, just what tells runs apart."""
    dataset = run.spec.get("dataset", {})
    training = run.spec.get("training", {})
    hidden = [n["params"]["units"] for n in run.spec["network"]["nodes"] if n["type"] == "dense"][:-1]
    return {
        "id": str(run.id),
        "status": run.status,
        "reason": run.reason or None,
        "dataset": dataset.get("name"),
        "hidden_layers": hidden,
        "optimizer": training.get("optimizer"),
        "learning_rate": training.get("learning_rate"),
        "final": run.final,
        "created_at": _iso(run.created_at),
        "finished_at": _iso(run.finished_at),
        "url": f"/runs/{run.id}",
        "assignment": run.assignment_id,
        "shared": run.shared,
    }
