"""Building the book for the tests: `build_book` runs jupyter-book as `make book` does (the
session's shared build is the `book_build` fixture of tests/conftest.py); `toc_files` reads
_toc.yml."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BookBuild:
    """A finished build: `html` is its `_build/html`, `log` what jupyter-book printed."""

    html: Path
    log: str


def jupyter_book_command() -> list[str]:
    """The jupyter-book of the environment that runs the tests (the venv's)."""
    bindir = Path(sys.executable).parent
    for name in ("jupyter-book", "jupyter-book.exe"):
        if (bindir / name).exists():
            return [str(bindir / name)]
    main = "import sys; from jupyter_book.cli.main import main; sys.exit(main())"
    return [sys.executable, "-c", main]


def build_book(source: Path, out: Path, *flags: str) -> BookBuild:
    """`jupyter-book build source --all --keep-going *flags` into `out` (a failure fails)."""
    command = [*jupyter_book_command(), "build", str(source), "--all", "--keep-going", *flags]
    command += ["--path-output", str(out)]
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    log = f"$ {' '.join(command)}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 0, f"the book build failed (exit {result.returncode}):\n{log}"
    return BookBuild(out / "_build" / "html", result.stdout + result.stderr)


def toc_files(node) -> list[str]:
    """Every `file:` entry of a parsed _toc.yml (root, parts, chapters, sections), in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if "root" in node:
            found.append(node["root"])
        if "file" in node:
            found.append(node["file"])
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key) or []:
                found.extend(toc_files(child))
    return found
