"""The first code cell of every lab: install the course package when it is missing, then set up.

In the repository (and on Binder) ``utils`` is installed and the cell only runs
``lab.setup()``, printing nothing. Opened alone (Colab, a downloaded lab), it installs the
course package with pip from ``NN_LABS_SOURCE`` when that is set, else from the repository's
archive that ``tools.repository`` resolves; with no repository it says what to set. The cell
is collapsed wherever a lab is read: a ``hide-input`` tag on the book site, ``source_hidden``
in JupyterLab, a form with a title in Colab (``METADATA``).

``python -m tools.setup_cell`` writes the cell into every lab whose first code cell differs
(``make book`` runs it) and prints each lab it changed; ``--check`` only reports them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.layout import ROOT, labs
from tools.repository import resolve

TEMPLATE = '''\
# @title Set-up (click to show the code)
import importlib.util
import os
import subprocess
import sys

# Outside the course repository (Colab, a lab downloaded alone), this installs
# the course package with pip: from NN_LABS_SOURCE when set, else from SOURCE.
{source_line}
if importlib.util.find_spec("utils") is None:
    if not SOURCE:
        raise RuntimeError("set NN_LABS_SOURCE to where the course is "
                           "(ask your instructor)")
    print("installing the course package: pip install", SOURCE)
    pip = [sys.executable, "-m", "pip", "install", "-q", SOURCE]
    done = subprocess.run(pip, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"pip install {{SOURCE}} failed:\\n{{done.stderr}}")
    importlib.invalidate_caches()
try:
    from utils import lab
except ImportError as error:  # a package named utils that is not the course's
    if error.name != "utils" or error.path is None:
        raise
    raise ImportError(f"{{error.path}} is a different package named utils: "
                      "pip uninstall it, or use a fresh environment") from None

lab.setup()'''
LINE_LENGTH = 79  # the labs' code width (the book's text column)
METADATA = {  # the cell's metadata keys that collapse it: book site, JupyterLab, Colab
    "tags": ["hide-input"],
    "jupyter": {"source_hidden": True},
    "cellView": "form",
}


def setup_cell_source(root: Path = ROOT) -> str:
    """The first code cell's source for the repository that ``root`` resolves to."""
    repository = resolve(root)
    default = repository.install_source if repository else ""
    line = f'SOURCE = os.environ.get("NN_LABS_SOURCE", "{default}")'
    if len(line) > LINE_LENGTH:  # a long address: its own lines, cut before a "/"
        pieces = "\n".join(f'    "{piece}"' for piece in _pieces(default, LINE_LENGTH - 6))
        line = f'SOURCE = os.environ.get(\n    "NN_LABS_SOURCE",\n{pieces},\n)'
    return TEMPLATE.format(source_line=line)


def _pieces(text: str, width: int) -> list[str]:
    """``text`` cut before "/" characters into pieces of at most ``width`` where possible."""
    pieces = [""]
    for part in text.replace("/", "\0/").split("\0"):
        if pieces[-1] and len(pieces[-1]) + len(part) > width:
            pieces.append("")
        pieces[-1] += part
    return pieces


def first_code_cell(notebook: dict) -> dict:
    """The first code cell of a parsed notebook (ValueError when it has none)."""
    if not isinstance(notebook, dict):
        raise TypeError(f"notebook must be a parsed notebook (dict), got {type(notebook).__name__}")
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            return cell
    raise ValueError("notebook has no code cell")


def out_of_date(root: Path = ROOT) -> list[Path]:
    """The labs whose first code cell is not :func:`setup_cell_source`'s, or not collapsed."""
    want = setup_cell_source(root)
    return [path for path in labs(root) if not _is_current(first_code_cell(_read(path)), want)]


def _is_current(cell: dict, source: str) -> bool:
    """Whether ``cell`` holds ``source`` and carries :data:`METADATA`."""
    metadata = cell.get("metadata", {})
    return "".join(cell["source"]) == source and all(
        metadata.get(key) == value for key, value in METADATA.items()
    )


def write(root: Path = ROOT) -> list[Path]:
    """Write the set-up cell into every lab where it differs; returns the labs changed.

    Only the cell's source and the :data:`METADATA` keys change: its outputs and execution
    count stay (the cell prints nothing inside the course), and the file keeps Jupyter's
    JSON layout.
    """
    lines = setup_cell_source(root).splitlines(keepends=True)
    changed = out_of_date(root)
    for path in changed:
        notebook = _read(path)
        cell = first_code_cell(notebook)
        cell["source"] = lines
        cell.setdefault("metadata", {}).update(METADATA)
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    return changed


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args(argv)
    if args.check:
        stale = out_of_date()
        for path in stale:
            print(f"{path.relative_to(ROOT)}: first cell differs from the repository setting")
        return 1 if stale else 0
    repository = resolve()
    for path in write():
        target = repository.install_source if repository else "NN_LABS_SOURCE (no repository URL)"
        print(f"{path.relative_to(ROOT)}: first cell now installs from {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
