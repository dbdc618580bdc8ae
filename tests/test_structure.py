"""The codebase's shape, kept by a test: no import circles, no imports of another module's private
names, and modules and functions small enough to read (issue 15).

Run the same check by hand with ``python -m pytest tests/test_structure.py -q``; a failure names
the circle, the import or the oversized unit. There are no exceptions: generated migrations and
vendored files are the only code not checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "claimledger"
SKIP = ("migrations", "vendor")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent)
        if any(part in SKIP for part in rel.parts):
            continue
        name = ".".join(rel.with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [a.name for a in node.names]
            subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in known]
            found.append((base, [n for n in names if f"{base}.{n}" not in known]))
            found += [(s, []) for s in subs]
    return [(m, n) for m, n in found if m in known]


def _graph():
    mods = _modules()
    known = set(mods)
    return mods, {name: _imports(name, path, known) for name, path in mods.items()}


def _parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_circles():
    _, graph = _graph()
    # a package importing its own submodule (or a module its package) is not a circle of concerns
    edges = {m: {t for t, _ in deps if t != m and t not in _parents(m) and m not in _parents(t)}
             for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    assert not cycles, "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_private_imports_across_modules():
    _, graph = _graph()
    bad = [f"{m} imports {t}.{n}" for m, deps in graph.items() for t, names in deps for n in names
           if n.startswith("_") and not n.startswith("__") and t != m]
    assert not bad, "private names imported: " + "; ".join(bad)


def _sizes():
    mods = _modules()
    modules, functions = {}, {}
    for name, path in mods.items():
        text = path.read_text(encoding="utf-8")
        modules[name] = text.count("\n") + 1
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[f"{name}.{node.name}:{node.lineno}"] = node.end_lineno - node.lineno + 1
    return modules, functions


def test_modules_and_functions_stay_small():
    modules, functions = _sizes()
    big = [f"{m} ({n} lines)" for m, n in modules.items() if n > MAX_MODULE_LINES]
    long = [f"{f} ({n} lines)" for f, n in functions.items() if n > MAX_FUNCTION_LINES]
    assert not big and not long, f"over {MAX_MODULE_LINES} lines: {big}; functions over {MAX_FUNCTION_LINES}: {long}"
