"""Gradescope autograders: ``make gradescope`` writes one per lab, ``_build/gradescope/labNN.zip``.

    python -m tools.gradescope build [--out DIR]
    python -m tools.gradescope run --lab NN [--root /autograder]

Each zip follows Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): at its root ``setup.sh``
(run once, as root, on Gradescope's Ubuntu image: it installs bubblewrap and util-linux with
apt-get and the repository's pinned ``requirements.txt`` with pip, in a venv) and
``run_autograder`` (run per submission; it grades ``/autograder/submission/*.ipynb`` and writes
``/autograder/results/results.json``), beside the grader's code: ``utils/`` (the checkers),
the modules of ``tools/`` the grader imports, and ``pyproject.toml`` with the README and
LICENSE it names (``-e .``). No lab, so no solution, is in it.

``run`` grades with :func:`tools.grade.grade`, so in its sandbox, as ``make grade`` does. Its
``results.json`` has one test per exercise of the lab (``name`` its label, ``score`` 1 or 0,
``max_score`` 1, ``output`` the checkers' messages, ``visibility`` "visible"), the total
``score`` and an ``output`` with the grader's notes. A missing or broken notebook still gets a
valid file (score 0, a message saying why). Where the sandbox cannot be made (a container
without user namespaces, no bubblewrap), nothing runs unsandboxed: the file says grading
could not run and what to install, with score 0.
"""

from __future__ import annotations

import argparse
import ast
import json
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

import utils.exercises
from tools import sandbox
from tools.grade import grade, lab_module
from tools.layout import ROOT

ENTRY = "tools/gradescope.py"  # the bundle holds it and every tools module it imports,
SCRIPTS = ("tools/judge.py",)  # and the tools the grader runs by path (verdict.JUDGE_SCRIPT)
# The pins setup.sh installs, and what `-e .` (in them) builds the course package from.
PACKAGE = ("requirements.txt", "pyproject.toml", "README.md", "LICENSE")
SCRIPT_MODE = 0o755
FILE_MODE = 0o644
ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # one date for every member: the same tree, the same zip

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image, from the autograder's source folder.
set -euo pipefail
cd "$(dirname "$0")"
apt-get update
apt-get install -y bubblewrap util-linux python3 python3-venv
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install -r requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this as root for each submission; it writes $root/results/results.json.
# AUTOGRADER_ROOT, AUTOGRADER_PYTHON and arguments (--slot K) are for the course's own test.
set -u
root="${{AUTOGRADER_ROOT:-/autograder}}"
cd "$root/source"
exec "${{AUTOGRADER_PYTHON:-/autograder/venv/bin/python}}" -m tools.gradescope run \\
  --lab {lab} --root "$root" "$@"
"""


def lab_labels(lab):
    """The exercise labels of lab ``lab`` (an int, or "08" / "lab08"), in the registry's order."""
    number = str(lab).removeprefix("lab")
    if not number.isdigit():
        raise ValueError(f"lab must be a lab number such as 8 or '08', got {lab!r}")
    module = f"lab{int(number):02d}"
    labels = [label for label in utils.exercises.EXERCISES if lab_module(label) == module]
    if not labels:
        raise ValueError(f"lab {lab!r} has no exercises")
    return labels


def grader_modules(entry=ENTRY):
    """The repository paths of ``entry``, every ``tools`` module it imports (transitively) and
    the :data:`SCRIPTS` they run."""
    todo, seen = [entry], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "tools":
                todo += [f"tools/{a.name}.py" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tools."):
                todo.append(node.module.replace(".", "/") + ".py")
    return sorted(seen | {"tools/__init__.py", *SCRIPTS})


def bundle_files():
    """{path in the zip: repository path} of the course files every lab's bundle holds."""
    course = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "utils").rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    names = [*course, *grader_modules(), *PACKAGE]
    return {name: ROOT / name for name in names}


def _add(archive, name, data, mode):
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build(out):
    """Write ``out/labNN.zip`` for every lab; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    labs = sorted({lab_module(label) for label in utils.exercises.EXERCISES})
    files = bundle_files()
    paths = []
    for lab in labs:
        path = out / f"{lab}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            _add(archive, "setup.sh", SETUP_SH, SCRIPT_MODE)
            _add(archive, "run_autograder", RUN_AUTOGRADER.format(lab=lab[3:]), SCRIPT_MODE)
            for name, source in files.items():
                _add(archive, name, source.read_bytes(), FILE_MODE)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------- a submission


def _messages(graded, label, lab):
    """The text of one exercise's test: its checkers' messages, or why it was not graded."""
    if label in graded.messages:
        return "\n".join(graded.messages[label])
    if not graded.scores and graded.notes:
        return "not graded: " + "; ".join(graded.notes)
    return f"not graded: this notebook holds no exercise of lab {lab}"


def results_of(graded, labels, lab):
    """The results.json dict (Gradescope's fields) of the best of ``graded`` (a list of
    :class:`tools.grade.Graded`, one per notebook handed in) on ``labels``."""
    if not graded:
        return failed("no notebook (.ipynb) was handed in: submit your lab's notebook")
    best = max(graded, key=lambda g: sum(g.scores.get(label, 0) for label in labels))
    tests = [
        {
            "name": label,
            "score": best.scores.get(label, 0),
            "max_score": 1,
            "output": _messages(best, label, lab),
            "visibility": "visible",
        }
        for label in labels
    ]
    score = sum(t["score"] for t in tests)
    lines = [f"{best.name}: {score} of {len(labels)} exercises passed.", *best.notes]
    others = [g.name for g in graded if g is not best]
    if others:
        lines.append(f"also handed in, not counted: {', '.join(others)}")
    return {"score": score, "output": "\n".join(lines), "visibility": "visible", "tests": tests}


def failed(message):
    """A results.json dict for a submission that could not be graded: score 0, ``message``."""
    return {"score": 0, "output": message, "visibility": "visible", "tests": []}


def run(lab, root, slot=None):
    """Grade ``root/submission/*.ipynb`` as lab ``lab`` and write ``root/results/results.json``
    (returned as a dict). Never grades outside the sandbox: where it cannot be made, the file
    says so and what to install."""
    labels = lab_labels(lab)
    root = Path(root)
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="gradescope-") as out:
            graded = grade(root / "submission", out, log=lambda line: None, slot=slot)
        report = results_of(graded, labels, lab)
    except sandbox.SandboxUnavailable as err:
        report = failed(
            f"grading could not run: the grader's sandbox cannot be made here ({err}). "
            "The autograder image needs root, user namespaces and "
            "`apt-get install bubblewrap util-linux`; nothing was graded without it."
        )
    except Exception as err:  # noqa: BLE001 - Gradescope shows the message, not a traceback
        report = failed(f"grading failed: {type(err).__name__}: {err}"[:500])
    (results / "results.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.gradescope", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write one autograder zip per lab")
    make.add_argument("--out", default="_build/gradescope", help="where labNN.zip go")
    grading = commands.add_parser("run", help="grade a submission (Gradescope runs this)")
    grading.add_argument("--lab", required=True, help="the lab's number, such as 08")
    grading.add_argument("--root", default="/autograder", help="the autograder's folder")
    grading.add_argument("--slot", type=int, help="sandbox slot: kernels run as uid 61000 + slot")
    args = parser.parse_args(argv)
    if args.command == "build":
        for path in build(args.out):
            print(path)
        return 0
    report = run(args.lab, args.root, args.slot)
    print(report["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
