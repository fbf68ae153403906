"""models_core's modules import each other without a cycle, counting imports inside functions too (a
lazy import that dodges a cycle at load time still ties the two modules together)."""

import ast
from pathlib import Path

import models_core

ROOT = Path(models_core.__file__).parent


def _module_name(path):
    parts = ["models_core", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    """{dotted name: (path, is a package)} for every .py file under models_core."""
    return {_module_name(p): (p, p.name == "__init__.py") for p in sorted(ROOT.rglob("*.py"))}


def _edges(name, path, is_package, modules):
    """The models_core modules that `name` imports, anywhere in its file. `from .x import y` is an edge
    to x, or to x.y when y is itself a module; importing a submodule runs its package's __init__ too,
    but that is how packages work, not a cycle, so parents are not edges."""
    package = name if is_package else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.split(".")[0] == "models_core"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "models_core":
                base = node.module
            else:
                continue
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
            targets = subs + ([base] if len(subs) < len(node.names) else [])
        else:
            continue
        out.update(t for t in targets if t in modules and t != name)
    return out


def _cycle(graph):
    """One import cycle as a list of modules (first = last), or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_walk_sees_relative_and_function_level_imports(tmp_path):
    modules = {"models_core.a": None, "models_core.b": None, "models_core.pkg": None, "models_core.pkg.c": None}
    src = tmp_path / "a.py"
    src.write_text("from . import b\ndef f():\n    from .pkg import c, NAME\n", encoding="utf-8")
    edges = _edges("models_core.a", src, False, modules)
    assert edges == {"models_core.b", "models_core.pkg", "models_core.pkg.c"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_models_core_has_no_import_cycle():
    modules = _modules()
    graph = {name: _edges(name, path, is_package, modules) for name, (path, is_package) in modules.items()}
    assert "models_core.datasets" in graph and graph["models_core.spec"], "the walk found no imports"
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)
