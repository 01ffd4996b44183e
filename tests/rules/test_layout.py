"""The tests mirror the code, so a maintainer finds a module's tests at a glance.

- ``utils/<m>.py`` is tested in ``tests/utils/test_<m>.py``, ``utils/exercises/<m>.py`` in
  ``tests/exercises/test_<m>.py`` (the package's registry, its ``__init__.py``, in
  ``test_registry.py``) and ``tools/<m>.py`` in ``tests/tools/test_<m>.py``; those folders hold
  no other test module;
- the book and the site are tested in ``tests/book/``, the rules every file keeps in
  ``tests/rules/``; shared helpers and case lists are plain modules in ``tests/support/``;
- directly in ``tests/`` there are only ``__init__.py`` and ``conftest.py`` (fixtures and hooks);
  every test folder is a package, so two folders may hold test modules of the same name;
- no module under ``tests/`` imports a test module or a conftest (share through tests/support/).
"""

import ast

import pytest

from tests.support import ROOT

TESTS = ROOT / "tests"
# Package -> (test folder, {module: the name its tests go under when it is not its own}).
MIRRORS = {
    "utils": ("utils", {}),
    "utils/exercises": ("exercises", {"__init__": "registry"}),
    "tools": ("tools", {}),
}
# Tools whose tests live with the tool that uses them, and why.
TESTED_WITH = {
    "tools/setup_cell.py": ("tests/tools/test_repository.py", "the first cell follows the setting"),
    "tools/pdf.py": ("tests/book/test_pdf.py", "the book's PDFs, printed from the session's build"),
}
FOLDERS = {"utils", "exercises", "tools", "book", "rules", "support"}


def _expected(package: str) -> dict[str, str]:
    """``{source path: mirrored test path}`` for the modules of ``package``."""
    folder, renamed = MIRRORS[package]
    expected = {}
    for source in sorted((ROOT / package).glob("*.py")):
        name = renamed.get(source.stem, source.stem)
        if source.stem == "__init__" and source.stem not in renamed:
            continue
        expected[source.relative_to(ROOT).as_posix()] = f"tests/{folder}/test_{name}.py"
    return expected


@pytest.mark.parametrize("package", MIRRORS)
def test_every_module_has_its_test_module(package):
    missing = [
        f"{source} -> {test}"
        for source, test in _expected(package).items()
        if not (ROOT / test).is_file() and source not in TESTED_WITH
    ]
    assert not missing, f"modules without a test module at the mirrored path: {missing}"


@pytest.mark.parametrize("package", MIRRORS)
def test_mirrored_folders_hold_only_mirrors(package):
    folder = MIRRORS[package][0]
    mirrors = set(_expected(package).values())
    strays = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((TESTS / folder).glob("test_*.py"))
        if path.relative_to(ROOT).as_posix() not in mirrors
    ]
    assert not strays, f"test modules that mirror no module of {package}/: {strays}"


@pytest.mark.parametrize("source", TESTED_WITH)
def test_a_tool_tested_elsewhere_is_imported_there(source):
    test, _ = TESTED_WITH[source]
    module = "tools." + source.removeprefix("tools/").removesuffix(".py")
    imports = _imports((ROOT / test).read_text(encoding="utf-8"))
    assert module in imports, f"{test} does not import {module}"


def test_only_fixtures_and_hooks_directly_in_tests():
    files = sorted(p.name for p in TESTS.iterdir() if p.is_file() and p.suffix == ".py")
    assert files == ["__init__.py", "conftest.py"], files
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == FOLDERS, f"test folders: {sorted(folders)}, want {sorted(FOLDERS)}"


def test_every_test_folder_is_a_package():
    missing = [f for f in sorted(FOLDERS) if not (TESTS / f / "__init__.py").is_file()]
    assert not missing, f"test folders without an __init__.py: {missing}"


def test_support_holds_no_tests():
    tests = [
        f"{path.name}: {node.name}"
        for path in sorted((TESTS / "support").glob("*.py"))
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        and node.name.lower().startswith("test")
    ]
    assert not tests, f"tests belong in a test module, not in tests/support/: {tests}"


def _imports(source: str) -> set[str]:
    """Every module a Python source imports, as written (relative ones with their dots), and
    every string handed to importlib.import_module or __import__."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found |= {f"{base}.{alias.name}".replace("..", ".") for alias in node.names}
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def _test_modules(imports: set[str]) -> list[str]:
    """The imported names that are test modules or conftests."""
    return sorted(
        name
        for name in imports
        if any(part.startswith("test_") or part == "conftest" for part in name.split("."))
    )


def test_the_import_check_sees_every_form():
    source = (
        "import tests.utils.test_data\nfrom test_site import CHROMIUM\nfrom conftest import TOL64\n"
        "from .test_book import toc_files\nfrom tests.book import test_book\n"
        "importlib.import_module('test_bad_input_property')\n"
        "from tests.support.book import toc_files\nimport utils.data\n"
    )
    assert _test_modules(_imports(source)) == [
        ".test_book",
        ".test_book.toc_files",
        "conftest",
        "conftest.TOL64",
        "test_bad_input_property",
        "test_site",
        "test_site.CHROMIUM",
        "tests.book.test_book",
        "tests.utils.test_data",
    ]


def test_no_module_imports_a_test_module():
    found = {
        path.relative_to(ROOT).as_posix(): _test_modules(_imports(path.read_text(encoding="utf-8")))
        for path in sorted(TESTS.rglob("*.py"))
    }
    offenders = {path: names for path, names in found.items() if names}
    assert not offenders, f"share helpers through tests/support/, not test modules: {offenders}"
