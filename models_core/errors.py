"""
Spec errors. Every problem found in a spec becomes one SpecError; validation collects them all and
raises one SpecInvalid, so the student sees every mistake at once rather than one per click.
"""


class SpecError:
    """One problem: where it is (a JSON path into the request), which node it belongs to, what to do."""

    __slots__ = ("path", "message", "node")

    def __init__(self, path, message, node=None):
        self.path = path  # e.g. "network.nodes[2].params.units"
        self.message = message  # says what is wrong and what to do about it
        self.node = node  # the node id when the error belongs to a node, else None

    def as_dict(self):
        return {"path": self.path, "node": self.node, "message": self.message}

    def __eq__(self, other):
        return isinstance(other, SpecError) and self.as_dict() == other.as_dict()

    def __repr__(self):
        return f"SpecError({self.path!r}, {self.message!r}, node={self.node!r})"


class SpecInvalid(ValueError):
    """Raised with every SpecError found. `errors` is never empty."""

    def __init__(self, errors):
        errors = list(errors)
        assert errors, "SpecInvalid needs at least one error"
        self.errors = errors
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))

    def as_list(self):
        return [e.as_dict() for e in self.errors]


def show(value, limit=40):
    """A short, safe rendering of any JSON-ish value for an error message (never raises)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if abs(value) >= 10**15:  # repr of a huge int can raise (int max str digits) and is unreadable
            return "a very large number"
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, str):
        s = value if len(value) <= limit else value[: limit - 1] + "…"
        return repr(s)
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"
