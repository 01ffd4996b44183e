"""Finding and reading the grader's submissions, at a cost bounded by each file's size.

Every ``*.ipynb`` under SUBMISSIONS is one submission, whatever bytes its name holds; links
are not followed (a link gets a row saying so). A file is read once, with ``O_NOFOLLOW``,
only if it is a regular file within :data:`MAX_FILE_BYTES`; its JSON must be a notebook within
:data:`MAX_CELLS` cells of at most :data:`MAX_CELL_CHARS` characters (:data:`MAX_CODE_CHARS`
of code in all). Anything else is a :class:`Submission` with a ``problem`` and no notebook.
Only each cell's type and source are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass

# The 8 labs: under 1 MB with their outputs, at most 44 cells, 2,800 characters in a cell and
# 12,500 characters of code; reading the code's names costs about 2 s per 100,000 characters.
MAX_FILE_BYTES = 16 << 20
MAX_CELLS = 500
MAX_CELL_CHARS = 50_000
MAX_CODE_CHARS = 200_000
_CELL_TYPES = ("code", "markdown", "raw")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Submission:
    """One submitted file: ``name`` (its path under SUBMISSIONS, shown escaped), ``raw`` (that
    path's bytes), the sha256 of its bytes, the notebook (``{"cells": [{"cell_type", "source"}]}``)
    or None, and why it could not be read."""

    name: str
    raw: bytes
    digest: str = ""
    notebook: dict | None = None
    problem: str = ""


def display_name(raw):
    """A path's bytes as text that names it unambiguously: UTF-8 as is, backslashes doubled,
    any other byte or control character as ``\\xNN``."""
    text = raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def find_submissions(folder):
    """Every ``*.ipynb`` under ``folder`` as (raw relative path, is a link), sorted by bytes;
    links (to files or folders) are listed, never followed; checkpoint copies are left out."""
    if not os.path.isdir(folder) or os.path.islink(folder):
        raise ValueError(f"SUBMISSIONS must be a folder, got {str(folder)!r}")
    top = os.fsencode(folder)
    found = []
    for here, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = [d for d in dirs if d != b".ipynb_checkpoints"]
        for name in dirs + files:
            path = os.path.join(here, name)
            relative = os.path.relpath(path, top)
            if os.path.islink(path):  # os.walk lists a link to a folder among the folders
                if name in dirs or name.endswith(b".ipynb"):
                    found.append((relative, True))
            elif name in files and name.endswith(b".ipynb"):
                found.append((relative, False))
    return sorted(found)


def read_submission(folder, raw, is_link=False, parse=True):
    """Read submission ``raw`` (a path relative to ``folder``, in bytes) as a
    :class:`Submission` (its notebook left out unless ``parse``); never raises for the
    file's sake."""
    sub = Submission(display_name(raw), raw)
    if is_link:
        sub.problem = "a symbolic link: not followed, not graded"
        return sub
    path = os.path.join(os.fsencode(folder), raw)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        sub.problem = f"cannot be read: {type(err).__name__}"
        return sub
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            sub.problem = "not a regular file: not graded"
            return sub
        if info.st_size > MAX_FILE_BYTES:
            sub.problem = f"{info.st_size} bytes, over the limit of {MAX_FILE_BYTES}: not graded"
            return sub
        data = f.read(MAX_FILE_BYTES + 1)
    sub.digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_FILE_BYTES:
        sub.problem = f"over the limit of {MAX_FILE_BYTES} bytes: not graded"
        return sub
    if parse:
        sub.notebook, sub.problem = parse_notebook(data)
    return sub


def parse_notebook(data):
    """(notebook, "") from a file's bytes, or (None, the problem)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except json.JSONDecodeError as err:
        return None, f"not valid JSON (line {err.lineno}, column {err.colno})"
    except RecursionError:
        return None, "JSON nested too deeply"
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and c.get("cell_type") in _CELL_TYPES for c in cells
    ):
        return None, "not a notebook: no list of cells"
    if len(cells) > MAX_CELLS:
        return None, f"{len(cells)} cells, over the limit of {MAX_CELLS}: not graded"
    kept, code = [], 0
    for number, cell in enumerate(cells, 1):
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            return None, f"cell {number}: its source is not text"
        if len(source) > MAX_CELL_CHARS:
            limit = f"{len(source)} characters, over the limit of {MAX_CELL_CHARS}"
            return None, f"cell {number} has {limit}: not graded"
        if cell["cell_type"] == "code":
            code += len(source)
        kept.append({"cell_type": cell["cell_type"], "source": source})
    if code > MAX_CODE_CHARS:
        return None, f"{code} characters of code, over the limit of {MAX_CODE_CHARS}: not graded"
    return {"cells": kept}, ""


def feedback_file(raw):
    """A feedback file name for submission path ``raw`` (bytes): readable, a safe file name,
    and distinct for distinct paths (a hash of the path's bytes)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", display_name(raw)).strip("._")[:80] or "submission"
    return f"{safe}-{hashlib.sha256(raw).hexdigest()[:10]}.md"
