"""How the modules of utils/ and tools/ import each other: downward, in the open, at the top.

- No module imports another's underscored (private) name: what modules share is public, and
  the part of it that trusts its inputs is listed in ``utils.__doc__`` (the internal API).
- The package's module-level imports form no cycle: each import runs downward.
- An import inside a function says why on its line or the line above (e.g. a Keras twin's
  ``import keras  # keeps TensorFlow out of `import utils```).
"""

import ast
import importlib

import pytest

import utils
from tests.support import ROOT  # noqa: E402

# tools/grade.py and tools/kernel.py are being rewritten elsewhere; they join when that lands
NOT_YET = {"tools/grade.py", "tools/kernel.py"}
FILES = sorted(
    path
    for folder in ("utils", "tools")
    for path in (ROOT / folder).rglob("*.py")
    if path.relative_to(ROOT).as_posix() not in NOT_YET
)


def _tree(path):
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_private_name_is_imported_from_another_module(path):
    private = [
        f"line {node.lineno}: {alias.name}"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not private


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_imports_inside_functions_say_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    silent = []
    for fn in ast.walk(_tree(path)):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rows = sorted(
                n.lineno for n in ast.walk(fn) if isinstance(n, (ast.Import, ast.ImportFrom))
            )
            for row in rows:
                block = [r for r in rows if row - 2 <= r < row]  # the import lines just above
                said = "#" in lines[row - 1] or lines[row - 2].strip().startswith("#")
                if not said and not block:
                    silent.append(f"line {row}: {lines[row - 1].strip()}")
    assert not silent, "say why the import is inside the function"


def _package_imports(module):
    """The ``utils`` modules ``module`` imports at module level (not inside functions)."""
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in _tree(path).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in names if _is_module(n)} or {target}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils"):
            found.add(node.module)
    return found - {module}


def _is_module(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_module_imports_form_no_cycle():
    modules = ["utils"] + [
        f"utils.{p.relative_to(ROOT / 'utils').with_suffix('').as_posix().replace('/', '.')}"
        for p in (ROOT / "utils").rglob("*.py")
        if p.name != "__init__.py"
    ] + ["utils.exercises"]
    graph = {m: _package_imports(m) & set(modules) for m in modules}
    done, path = set(), []

    def visit(m):
        assert m not in path, f"import cycle: {' -> '.join(path[path.index(m):] + [m])}"
        if m in done:
            return
        path.append(m)
        for n in sorted(graph[m]):
            visit(n)
        path.pop()
        done.add(m)

    for m in sorted(graph):
        visit(m)


def test_the_internal_api_is_listed_and_exists():
    """Every trusting method of ``INTERNAL_API`` is named in the package docstring's list."""
    for dotted in utils.INTERNAL_API:
        module, cls, member = dotted.split(".")
        assert callable(getattr(getattr(importlib.import_module(f"utils.{module}"), cls), member))
        assert f"{cls}.{member}" in " ".join(utils.__doc__.split()) or member in utils.__doc__


def test_the_dense_layer_does_not_depend_on_the_training_loop():
    """The layer owns its cache: dense imports nothing of training, losses or optimizers."""
    seen, todo = set(), ["utils.dense"]
    while todo:
        for n in _package_imports(todo.pop()) - seen:
            seen.add(n)
            todo.append(n)
    assert not seen & {"utils.training", "utils.losses", "utils.optimizers"}
