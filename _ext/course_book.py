"""Sphinx extension of the book: the pages that are generated at build time.

Loaded from `_config.yml` (`sphinx.local_extensions`). A page asks for generated content
with a MyST comment line on its own, which this extension replaces when Sphinx reads it:

- `% generated: utils-reference` -> for every module of `utils` (found at build time, so a
  new module appears without editing the page): its numpy functions and their Keras twins
  side by side, then the module's docstrings through autodoc.
- `% generated: pinned-packages` -> the pins of `requirements.txt`, as a table.

It also makes `{{ repository_url }}` (the `repository.url` of `_config.yml`) available to
every page as a MyST substitution, so the README's one setting drives the text too, and
writes each bibliography entry as an item of its list (see `visit_citation`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^% generated: ([\w-]+)[ \t]*$", re.MULTILINE)
# "Keras twin of :func:`activate`" / "Twin of :meth:`Network.cost_and_gradients`"
TWIN_OF = re.compile(r"[Tt]win of :(?:func|meth|class):`~?([\w.]+)`")
KERAS_NAME = re.compile(r"^keras_|_keras$|_keras_")


def _public_members(module) -> list[tuple[str, object]]:
    """Functions and classes defined in `module` (not imported into it), not starting with _."""
    members = []
    for name, obj in vars(module).items():
        if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) == module.__name__:
            members.append((name, obj))
    return members


def _role(module_name: str, name: str) -> str:
    """A cross-reference to `module.name` that shows only `name`."""
    kind = "meth" if "." in name else "func"
    obj = importlib.import_module(module_name)
    for part in name.split("."):
        obj = getattr(obj, part)
    if inspect.isclass(obj):
        kind = "class"
    return f"{{py:{kind}}}`~{module_name}.{name}`"


def twin_rows(module) -> list[tuple[str, str]]:
    """(numpy name, Keras twin name) pairs of a module; "" where a side has no name.

    Twins: `foo` with `foo_keras` or `keras_foo`; a class `C` with `C.to_keras`; or a Keras
    function whose docstring says "twin of :func:`foo`" (or :meth:`C.m`).
    """
    members = _public_members(module)
    twins: dict[str, list[str]] = {
        name: [] for name, _ in members if not KERAS_NAME.search(name)
    }
    for name, obj in members:
        if inspect.isclass(obj):
            for method in ("to_keras", "keras"):
                if callable(getattr(obj, method, None)):
                    twins[name].append(f"{name}.{method}")
                    break
    unpaired: list[str] = []
    for name, obj in members:
        if not KERAS_NAME.search(name):
            continue
        target = re.sub(r"^keras_|_keras$", "", name)
        if target not in twins:
            said = TWIN_OF.search(inspect.getdoc(obj) or "")
            target = said.group(1).removeprefix(module.__name__ + ".") if said else None
            if target is not None and target not in twins:
                owner, _, method = target.partition(".")
                if not (owner in twins and method and hasattr(getattr(module, owner), method)):
                    target = None
                else:
                    twins[target] = []  # a row of its own for the method
        if target is None:
            unpaired.append(name)
        else:
            twins[target].append(name)
    rows = [(name, ", ".join(keras_names)) for name, keras_names in twins.items()]
    rows += [("", name) for name in unpaired]
    return rows


def utils_modules() -> list[str]:
    package = importlib.import_module("utils")
    return sorted(
        f"utils.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )


def module_constants(module) -> list[str]:
    """UPPER_CASE names assigned at the top level of the module's own source (not imported)."""
    tree = ast.parse(inspect.getsource(module))
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper() and target.id not in names:
                names.append(target.id)
    return names


def constant_directive(module_name: str, name: str) -> list[str]:
    """A `py:data` entry for a module constant, with its value when it is short."""
    value = repr(getattr(importlib.import_module(module_name), name))
    lines = [f".. py:data:: {name}", f"   :module: {module_name}"]
    if len(value) <= 90 and " at 0x" not in value:
        lines.append(f"   :value: {value}")
    return lines + [""]


def utils_reference() -> str:
    """MyST text: per module, a twin table and the autodoc of its public members."""
    out = []
    for module_name in utils_modules():
        module = importlib.import_module(module_name)
        out.append(f"## `{module_name}`\n")
        rows = twin_rows(module)
        if any(keras for _, keras in rows):
            out.append("| numpy, by hand | Keras twin |")
            out.append("| --- | --- |")
            for numpy_name, keras_names in rows:
                left = _role(module_name, numpy_name) if numpy_name else "—"
                right = (
                    ", ".join(_role(module_name, k) for k in keras_names.split(", "))
                    if keras_names
                    else "—"
                )
                out.append(f"| {left} | {right} |")
            out.append("")
        out.append("```{eval-rst}")
        out.append(f".. automodule:: {module_name}")
        out.append("   :members:")
        out.append("   :member-order: bysource")
        out.append("")
        for name in module_constants(module):
            out += constant_directive(module_name, name)
        out.append("```\n")
    return "\n".join(out)


def pinned_packages() -> str:
    """MyST table of the pins of requirements.txt (with their environment markers)."""
    rows = ["| package | version | when |", "| --- | --- | --- |"]
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^;\s]+)\s*(?:;\s*(.+))?$", line)
        if match:
            name, version, marker = match.groups()
            when = f"`{marker.strip()}`" if marker else "always"
            rows.append(f"| `{name}` | {version} | {when} |")
        elif line in {"-e .", "--editable ."}:
            rows.append(f"| `{line}` | this repository's `utils`, editable | always |")
        elif line:
            rows.append(f"| `{line}` | (not pinned) | always |")
    return "\n".join(rows) + "\n"


GENERATORS = {"utils-reference": utils_reference, "pinned-packages": pinned_packages}


def fill_generated(app, docname: str, source: list[str]) -> None:
    def replace(match: re.Match) -> str:
        kind = match.group(1)
        if kind not in GENERATORS:
            raise ValueError(f"{docname}: unknown '% generated: {kind}' (know {list(GENERATORS)})")
        return GENERATORS[kind]()

    source[0] = MARKER.sub(replace, source[0])


LITERAL = re.compile(r"(``.+?``|`[^`]+`)")


def escape_bars(app, what, name, obj, options, lines: list[str]) -> None:
    """Docstrings write |x| for an absolute value and ||x|| for a norm, which reST would
    read as substitution references: escape every | outside literals and roles."""
    for i, line in enumerate(lines):
        if "|" in line:
            parts = LITERAL.split(line)
            lines[i] = "".join(p if k % 2 else p.replace("|", "\\|") for k, p in enumerate(parts))


def add_substitutions(app, config) -> None:
    url = (config.html_theme_options or {}).get("repository_url", "")
    branch = (config.html_theme_options or {}).get("repository_branch", "main")
    subs = dict(config.myst_substitutions or {})
    subs.setdefault("repository_url", url)
    subs.setdefault("repository_branch", branch)
    config.myst_substitutions = subs


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated <script> entries: sphinx-thebe adds its inline `const THEBE_JS_URL`
    configuration twice under Jupyter Book, and the second is a SyntaxError in the console."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted((getattr(script, "attributes", None) or {}).items()))
        key = (str(getattr(script, "filename", script) or ""), attributes)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def visit_citation(self, node) -> None:
    """A bibliography entry as an item of its list. Docutils gives each entry
    role="doc-biblioentry", which ARIA 1.3 deprecates and which leaves the entries' enclosing
    role="list" without list items (axe-core: aria-required-children, critical)."""
    HTML5Translator.visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("config-inited", add_substitutions)
    app.connect("source-read", fill_generated)
    app.connect("autodoc-process-docstring", escape_bars)
    app.connect("html-page-context", dedupe_scripts, priority=900)  # after the theme's
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
