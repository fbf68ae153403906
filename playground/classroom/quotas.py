"""Quotas: what a person may ask of the workers. Per role (the admin's instance-wide limits, one
InstanceLimits row per role) and per classroom (a teacher's limits for their students, which can
only tighten the instance's). Admins have none. A run over a limit is refused with a message that
names the limit, who set it, and what to change."""
import math
from dataclasses import dataclass

from playground.runs.models import ACTIVE_STATUSES
from playground.runs.visitors import is_teacher, runs_of

from .models import Classroom, InstanceLimits, Role

# Used until the admin saves limits for a role (None: no limit beyond models_core's own). GPU use is
# not restricted until the admin says so (an instance without a GPU worker refuses cuda runs anyway).
DEFAULTS = {
    Role.ANONYMOUS: {"max_concurrent_runs": 10, "max_steps": None, "max_params": None, "max_samples": None,
                     "gpu_allowed": None},
    Role.STUDENT: {"max_concurrent_runs": 5, "max_steps": None, "max_params": None, "max_samples": None,
                   "gpu_allowed": None},
    Role.TEACHER: {"max_concurrent_runs": 20, "max_steps": None, "max_params": None, "max_samples": None,
                   "gpu_allowed": True},
}
NUMERIC = ("max_concurrent_runs", "max_steps", "max_params", "max_samples")


@dataclass
class QuotaError:
    status: int  # 429 for "too many at once", 400 for a run that is too big
    path: str
    message: str

    def as_dict(self):
        return {"path": self.path, "node": None, "message": self.message}


def role_of(user):
    if not user.is_authenticated:
        return Role.ANONYMOUS
    return Role.TEACHER if is_teacher(user) else Role.STUDENT


def instance_limits(role):
    row = InstanceLimits.objects.filter(role=role).first()
    return row.quota_dict() if row else dict(DEFAULTS[role])


def effective_limits(user):
    """{limit name: (value, who set it)}; value None = no limit. Admins: {}."""
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        return {}
    role = role_of(user)
    limits = {name: (value, "the instance") for name, value in instance_limits(role).items()}
    if role != Role.STUDENT:
        return limits
    for classroom in Classroom.objects.filter(memberships__student=user):
        for name, value in classroom.quota_dict().items():
            if value is None:
                continue
            current = limits[name][0]
            tighter = (value is False) if name == "gpu_allowed" else (current is None or value < current)
            if tighter:
                limits[name] = (value, f"your teacher (classroom “{classroom.name}”)")
    return limits


def run_size(spec):
    """(steps, samples): what a spec asks of a worker. Steps = epochs × batches per epoch (or
    training.steps when set), times the models k-fold cross-validation trains."""
    dataset, training = spec.get("dataset", {}), spec.get("training", {})
    samples = int(dataset.get("samples") or 0) + len(dataset.get("extra_points") or [])
    train_points = max(1, round(samples * float(dataset.get("train_fraction") or 1.0))) if samples else 1
    batches = math.ceil(train_points / max(1, int(training.get("batch_size") or 1)))
    steps = int(training.get("steps") or 0) or int(training.get("epochs") or 1) * batches  # steps > 0 overrides epochs
    folds = int(training.get("folds") or 0)  # cross-validation trains k models before the final one
    return steps * (folds + 1), samples


def check(user, session_key, spec, total_params):
    """The first limit this run would break, as a QuotaError, or None."""
    limits = effective_limits(user)
    if not limits:
        return None
    steps, samples = run_size(spec)

    value, who = limits["gpu_allowed"]
    if spec.get("training", {}).get("device") == "cuda" and value is False:
        return QuotaError(400, "training.device", f"GPU runs are not allowed for you (set by {who}): set device to 'auto' or 'cpu'")
    value, who = limits["max_params"]
    if value is not None and total_params > value:
        return QuotaError(400, "network", f"this network has {total_params:,} parameters; your limit is {value:,} (set by {who}): use fewer or smaller layers")
    value, who = limits["max_samples"]
    if value is not None and samples > value:
        return QuotaError(400, "dataset.samples", f"this dataset has {samples:,} points; your limit is {value:,} (set by {who}): lower samples")
    value, who = limits["max_steps"]
    if value is not None and steps > value:
        return QuotaError(400, "training.epochs", f"this run needs {steps:,} steps (epochs × batches per epoch); your limit is {value:,} (set by {who}): lower epochs or raise batch_size")
    value, who = limits["max_concurrent_runs"]
    if value is not None:
        active = runs_of(user, session_key).filter(status__in=[*ACTIVE_STATUSES, "queued"]).count()
        if active >= value:
            return QuotaError(429, "", f"you already have {active} runs queued or training; your limit is {value} at once (set by {who}): wait for one to finish or stop one")
    return None


def validate_classroom_limits(values):
    """A teacher's limits for a classroom must lie within the instance's student limits. -> [(field, message)]."""
    instance = instance_limits(Role.STUDENT)
    errors = []
    for name in NUMERIC:
        value = values.get(name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append((name, f"{name} must be a whole number ≥ 1, or null for the instance's limit"))
        elif instance[name] is not None and value > instance[name]:
            errors.append((name, f"{name} may be at most {instance[name]:,}, the instance's limit for students (set by the admin)"))
    gpu = values.get("gpu_allowed")
    if gpu is not None and not isinstance(gpu, bool):
        errors.append(("gpu_allowed", "gpu_allowed must be true, false or null"))
    elif gpu is True and instance["gpu_allowed"] is False:
        errors.append(("gpu_allowed", "the admin does not allow GPU runs for students on this instance"))
    return errors
