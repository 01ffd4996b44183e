"""Student editions of the labs: every cell tagged ``solution`` removed (the written solution
and its code), everything else unchanged (the stubs keep their "not yet" output).

    python -m tools.student [--out _build/student] [--launch-branch BRANCH]
    python -m tools.student --branch student

The first form writes ``OUT/labs/*.ipynb`` and, around them, the book's other sources, so
that ``jupyter-book build OUT`` (``make book STUDENT=1``) builds the site from the student
editions: its download buttons hand out student copies. That site has no Binder/Colab/
JupyterHub buttons and no "edit this page" button unless ``--launch-branch`` names a local
git branch whose labs are student editions (made by ``--branch``, and pushed by the
instructor); the launch buttons then open that branch.

The second form commits the repository as it is at HEAD, with the labs replaced by their
student editions, to the local branch BRANCH (the working tree is not touched). Push it with
``git push origin BRANCH``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from tools.layout import ROOT, labs
from tools.repository import resolve

SOLUTION_TAG = "solution"
# What the book is built from, besides the labs (what _config.yml and _toc.yml refer to).
BOOK_SOURCES = (
    "_config.yml",
    "_toc.yml",
    "intro.md",
    "appendix",
    "_ext",
    "_static",
    "images",
    "references.bib",
    "requirements.txt",
    "requirements-dev.txt",
    "_templates",
    "tools",  # the book's extension resolves the repository with tools.repository
)


def is_solution(cell):
    """Whether a cell is part of a solution (tagged ``solution``)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_edition(notebook):
    """A copy of ``notebook`` (a dict in nbformat 4) without its solution cells."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise TypeError("notebook must be a notebook dict with a list of cells")
    return {**notebook, "cells": [c for c in notebook["cells"] if not is_solution(c)]}


def notebook_text(notebook):
    """A notebook as nbformat writes it (so the files diff cleanly against the originals)."""
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write_editions(out):
    """Write the student edition of every lab to ``out/labs/``; return their paths."""
    folder = Path(out) / "labs"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    for path in labs():
        nb = json.loads(path.read_text(encoding="utf-8"))
        target = folder / path.name
        target.write_text(notebook_text(student_edition(nb)), encoding="utf-8")
        written.append(target)
    return written


def git(*args, env=None):
    result = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False
    )
    if result.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def branch_has_student_labs(branch):
    """Whether ``branch`` exists locally and every lab on it has no solution cell."""
    try:
        git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    except RuntimeError:
        return False
    names = git("ls-tree", "--name-only", f"{branch}:labs").splitlines()
    notebooks = [n for n in names if n.endswith(".ipynb")]
    if not notebooks:
        return False
    for name in notebooks:
        nb = json.loads(git("show", f"{branch}:labs/{name}"))
        if any(is_solution(c) for c in nb["cells"]):
            return False
    return True


def student_config(config, launch_branch=None):
    """The book settings of the student site: launch buttons only for ``launch_branch``, no
    edit button (it would open the full lab), and the repository this clone resolves to
    written out (the student book is built from a copy that may sit outside the clone)."""
    repository = resolve(ROOT, config)
    config = json.loads(json.dumps(config))  # a deep copy of plain YAML data
    config.setdefault("html", {})["use_edit_page_button"] = False
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["course_edition"] = "student"
    if repository is not None:
        config.setdefault("repository", {})["url"] = repository.url
    buttons = config.setdefault("launch_buttons", {})
    if launch_branch is None:
        for key in ("binderhub_url", "colab_url", "jupyterhub_url"):
            buttons[key] = ""
    else:
        config.setdefault("repository", {})["branch"] = launch_branch
    return config


def write_book(out, launch_branch=None):
    """The student book under ``out``: the student labs and the book's other sources."""
    if launch_branch is not None and not branch_has_student_labs(launch_branch):
        raise ValueError(
            f"--launch-branch {launch_branch!r}: no local branch of that name whose labs are "
            "student editions; make it with `make student-branch`, push it, then build"
        )
    out = Path(out)
    write_editions(out)
    for name in BOOK_SOURCES:
        source, target = ROOT / name, out / name
        if target.is_dir():
            shutil.rmtree(target)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    text = yaml.safe_dump(student_config(config, launch_branch), sort_keys=False)
    (out / "_config.yml").write_text(
        "# The student edition's settings, written by tools/student.py from ../../_config.yml.\n"
        + text,
        encoding="utf-8",
    )


def commit_branch(branch):
    """Commit HEAD's tree with student labs to ``branch`` (its previous tip as the parent)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git("read-tree", "HEAD", env=env)
        for path in write_editions(tmp):
            blob = git("hash-object", "-w", str(path))
            git("update-index", "--add", "--cacheinfo", f"100644,{blob},labs/{path.name}", env=env)
        tree = git("write-tree", env=env)
    try:
        parent = ["-p", git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")]
    except RuntimeError:
        parent = []
    head = git("rev-parse", "--short", "HEAD")
    commit = git("commit-tree", tree, *parent, "-m", f"Student edition of the labs at {head}")
    git("update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.student", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", default=str(ROOT / "_build" / "student"))
    parser.add_argument("--launch-branch", help="a local branch of student labs for launch buttons")
    parser.add_argument("--branch", help="commit the student edition to this local branch instead")
    args = parser.parse_args(argv)
    try:
        if args.branch:
            commit = commit_branch(args.branch)
            print(
                f"branch {args.branch} at {commit[:12]}: "
                f"push it with `git push origin {args.branch}`"
            )
        else:
            write_book(args.out, args.launch_branch)
            print(
                f"student editions in {Path(args.out) / 'labs'}; build the site with "
                f"`jupyter-book build {args.out}` (make book STUDENT=1)"
            )
    except (ValueError, RuntimeError) as err:
        parser.error(str(err))
    return 0


if __name__ == "__main__":
    sys.exit(main())
