"""Sphinx extension of the book: the pages that are generated at build time.

Loaded from `_config.yml` (`sphinx.local_extensions`). A page asks for generated content
with a MyST comment line on its own, which this extension replaces when Sphinx reads it:

- `% generated: utils-reference` -> for every module of `utils` (found at build time, so a
  new module appears without editing the page): its numpy functions and their Keras twins
  side by side (paired by their names alone, see `twin_rows`), then the module's docstrings
  through autodoc.
- `% generated: pinned-packages` -> the pins of `requirements.txt` and
  `requirements-dev.txt`, as a table.

It applies the one repository setting (`tools.repository`: `repository.url` of `_config.yml`,
else the clone's `origin` remote): with a repository, the repository, issue and edit buttons
and the launch buttons point at it; without one, none of them is rendered and the build says
in one line how to set it. Pages get `{{ repository_url }}` (the address, or plain text saying
there is none) as a MyST substitution.
It also puts the package version and the licences in the footer.
It also writes each bibliography entry as an item of its list (see `visit_citation`).
Each page's download menu offers the book's PDF, and on a lab its own, in place of the
theme's "print this page" entry (`make pdf` writes them into the site, see tools/pdf.py).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sys
from importlib.metadata import version
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tools` is the repository's, not an installed package
    sys.path.insert(0, str(ROOT))

from tools.pdf import LAB_PREFIX, SITE_DIR  # noqa: E402
from tools.repository import HOW_TO_SET, resolve  # noqa: E402

LOGGER = logging.getLogger(__name__)
MARKER = re.compile(r"^% generated: ([\w-]+)[ \t]*$", re.MULTILINE)
KERAS_SUFFIX = "_keras"


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
    """(numpy name, Keras twin name) rows of a module, paired by names alone; "" where a side
    has no name.

    The rule: a function `f` has the twin function `f_keras`; a method `C.f` may have the twin
    function `f_keras`; a class `C` has the twin `C.to_keras`. A `..._keras` function that
    pairs with nothing gets a row of its own, with "" on the numpy side.
    """
    members = _public_members(module)
    twins = {
        name for name, obj in members if inspect.isfunction(obj) and name.endswith(KERAS_SUFFIX)
    }
    rows: list[tuple[str, str]] = []
    for name, obj in members:
        if name in twins:
            continue
        if inspect.isclass(obj):
            to_keras = callable(getattr(obj, "to_keras", None))
            rows.append((name, f"{name}.to_keras" if to_keras else ""))
            for method in _public_methods(obj):
                if method + KERAS_SUFFIX in twins:
                    rows.append((f"{name}.{method}", method + KERAS_SUFFIX))
        else:
            rows.append((name, name + KERAS_SUFFIX if name + KERAS_SUFFIX in twins else ""))
    paired = {keras for _, keras in rows}
    return rows + [("", name) for name, _ in members if name in twins and name not in paired]


def _public_methods(cls) -> list[str]:
    """Public methods a class defines or inherits (not from `object`), in definition order."""
    names: list[str] = []
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in vars(klass).items():
            if not name.startswith("_") and inspect.isfunction(value) and name not in names:
                names.append(name)
    return names


def utils_modules() -> list[str]:
    """Every public module of utils, subpackages' modules included (utils.exercises.lab01)."""
    package = importlib.import_module("utils")
    return sorted(
        info.name
        for info in pkgutil.walk_packages(package.__path__, "utils.")
        if not any(part.startswith("_") for part in info.name.split("."))
    )


def module_constants(module) -> list[str]:
    """UPPER_CASE names assigned at the top level of the module's own source (not imported),
    except those with a ``#:`` doc comment, which autodoc documents itself."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    tree = ast.parse(source)
    names = []
    for node in tree.body:
        if node.lineno > 1 and lines[node.lineno - 2].lstrip().startswith("#:"):
            continue
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


REQUIREMENTS = {"requirements.txt": "the labs", "requirements-dev.txt": "book and tests"}
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^;\s]+)\s*(?:;\s*(.+))?$")


def pinned_packages() -> str:
    """MyST table of the pins of both requirements files (with their environment markers)."""
    rows = ["| package | version | when | for |", "| --- | --- | --- | --- |"]
    for filename, purpose in REQUIREMENTS.items():
        for line in (ROOT / filename).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            match = PIN.match(line)
            if match:
                name, version_, marker = match.groups()
                when = f"`{marker.strip()}`" if marker else "always"
                rows.append(f"| `{name}` | {version_} | {when} | {purpose} |")
            elif line in {"-e .", "--editable ."}:
                editable = "this repository's `utils`, editable"
                rows.append(f"| `{line}` | {editable} | always | {purpose} |")
            elif line and not line.startswith(("-r ", "--requirement ")):
                rows.append(f"| `{line}` | (not pinned) | always | {purpose} |")
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


REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")
LAUNCH_URLS = ("binderhub_url", "colab_url", "jupyterhub_url")
NO_REPOSITORY_TEXT = "not set for this build of the book"
LICENCES = (
    "Version {version}. Code: MIT licence (<code>LICENSE</code>). Text and figures: "
    '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> '
    "(<code>LICENSE-CC-BY-4.0.txt</code>)."
)


def apply_repository(app, config) -> None:
    """Point every button and link at the resolved repository, or render none of them.

    The repository, issue and edit buttons are set here, not in `_config.yml`: Jupyter Book
    refuses them there while `repository.url` is empty, which is how it comes when the
    address is the `origin` remote's.
    """
    theme = config.html_theme_options
    setting = {"url": theme.get("repository_url"), "branch": theme.get("repository_branch")}
    repository = resolve(Path(app.srcdir), {"repository": setting})
    launch = dict(theme.get("launch_buttons") or {})
    if repository is None:
        LOGGER.info(HOW_TO_SET)
        theme.pop("repository_url", None)
        theme.update(dict.fromkeys(REPOSITORY_BUTTONS, False))
        for key in LAUNCH_URLS:
            launch.pop(key, None)
    else:
        theme.update(repository_url=repository.url, repository_branch=repository.branch)
        theme.update(dict.fromkeys(REPOSITORY_BUTTONS, True))
        if config.course_edition == "student":  # "edit this page" would open the full lab
            theme["use_edit_page_button"] = False
        if repository.host != "github.com":  # Colab opens notebooks from GitHub only
            launch.pop("colab_url", None)
    theme["launch_buttons"] = {key: value for key, value in launch.items() if value != ""}
    subs = dict(config.myst_substitutions or {})
    subs.setdefault("repository_url", repository.url if repository else NO_REPOSITORY_TEXT)
    subs.setdefault("repository_branch", repository.branch if repository else "")
    config.myst_substitutions = subs


def project_version() -> str:
    """The version in the repository's pyproject.toml (read as text: the installed package's
    metadata lags until it is reinstalled); the installed one where the file is absent."""
    pyproject = ROOT / "pyproject.toml"
    if pyproject.is_file():
        found = re.search(r'^version = "([^"]+)"$', pyproject.read_text(encoding="utf-8"), re.M)
        if found:
            return found.group(1)
    return version("nn-training-labs")


def add_version_and_licences(app, config) -> None:
    """The package version (pyproject.toml) as Sphinx's release, and in the footer."""
    config.version = config.release = project_version()
    theme = config.html_theme_options
    if not theme.get("extra_footer"):  # Jupyter Book's default is ""
        theme["extra_footer"] = LICENCES.format(version=config.release)


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


def pdf_downloads(app, pagename, templatename, context, doctree) -> None:
    """The PDFs in the download menu: the lab's own (labs only) and the whole book's, in place
    of the theme's `window.print()` entry."""
    pathto = context["pathto"]
    links = [("book", "the book .pdf", "The whole book as one PDF, for print (no solutions)")]
    if pagename.startswith(LAB_PREFIX):
        links.insert(0, (pagename, "this lab .pdf", "This lab as a PDF, for print (no solutions)"))
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        group["buttons"] = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        group["buttons"] += [
            {"type": "link", "url": pathto(f"{SITE_DIR}/{name}.pdf", 1), "text": text,
             "tooltip": tooltip, "icon": "fas fa-file-pdf", "label": "download-pdf-link"}
            for name, text, tooltip in links
        ]


def visit_citation(self, node) -> None:
    """A bibliography entry as an item of its list. Docutils gives each entry
    role="doc-biblioentry", which ARIA 1.3 deprecates and which leaves the entries' enclosing
    role="list" without list items (axe-core: aria-required-children, critical)."""
    HTML5Translator.visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    # "student" for the student editions' book (tools/student.py writes it into its config)
    app.add_config_value("course_edition", "full", "env")
    app.add_node(nodes.citation, override=True,
                 html=(visit_citation, HTML5Translator.depart_citation))
    app.connect("config-inited", apply_repository)
    app.connect("config-inited", add_version_and_licences)
    app.connect("source-read", fill_generated)
    app.connect("autodoc-process-docstring", escape_bars)
    app.connect("html-page-context", dedupe_scripts, priority=900)  # after the theme's
    app.connect("html-page-context", pdf_downloads, priority=900)  # after the theme's buttons
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
