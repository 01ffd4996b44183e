"""Grade students' notebooks with the labs' own checkers: ``make grade SUBMISSIONS=dir [OUT=dir]``.

    python -m tools.grade SUBMISSIONS [--out OUT] [--cell-timeout S] [--notebook-timeout S]

Every ``*.ipynb`` under SUBMISSIONS (any name, one folder per student allowed) is one
submission. The order of work keeps any submission from changing any grade:

1. the checkers' source (``utils/exercises``) is read once, and every exercise's expected
   answers are computed here, before anything runs;
2. every submission is read into memory; a file that is not JSON, or not a notebook, gets a
   row with a note;
3. each submission runs in a fresh kernel, in a temporary folder of its own that holds only
   its own copy (as the unprivileged user ``nobody`` when the grader runs as root), cell by
   cell, with a time limit per cell and per notebook; an error, a time limit or a dead kernel
   is noted and the next cell runs (a dead or stuck kernel is restarted). Right after the
   last cell that defines an exercise's answer, the observation half of its checker, exec'd
   from the source read in step 1, reports what the answer does as JSON; the verdict is
   made here. What a notebook prints, or how it patches ``utils.exercises``, counts for
   nothing;
4. ``OUT/grades.csv`` (a row per submission, a 1/0 column per exercise, the total and a note)
   and ``OUT/feedback/<submission>.md`` (the checkers' messages) are written at the end, after
   removing the old ones.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import utils.exercises
from tools.kernel import SandboxKernel, sandbox_user

CELL_TIMEOUT = 120.0
NOTEBOOK_TIMEOUT = 600.0
MAX_NOTES = 6
LABEL = re.compile(r"^:label:\s*(lab\d+-[\w-]+)|\{solution\}\s+(lab\d+-[\w-]+)", re.M)
LAB_IMPORT = re.compile(r"utils\.exercises\.lab(\d\d)\b")
SHARED = ("grading", "keras_model")


def lab_module(label):
    """``"lab3-softmax"`` -> ``"lab03"``, the checker module of that lab."""
    return f"lab{int(label[3 : label.index('-')]):02d}"


def trusted_sources():
    """The source text of every checker module, read once, before any submission runs."""
    folder = Path(utils.exercises.__file__).parent
    names = SHARED + tuple(sorted({lab_module(label) for label in utils.exercises.EXERCISES}))
    return {name: (folder / f"{name}.py").read_text(encoding="utf-8") for name in names}


_BOOTSTRAP = """
import json as _json, sys as _sys, types as _types
import utils as _utils
from IPython import get_ipython as _get_ipython

def _observe(sources, lab, label, answer, token):
    package = f"utils._graded_{token}"
    names = [package]
    try:
        root = _types.ModuleType(package)
        root.__path__ = []
        _sys.modules[package] = root
        for name in ("grading", "keras_model", lab):
            module = _types.ModuleType(f"{package}.{name}")
            module.__package__ = package
            _sys.modules[module.__name__] = module
            names.append(module.__name__)
            exec(compile(sources[name], f"<trusted utils/exercises/{name}.py>", "exec"),
                 module.__dict__)
        checker = _sys.modules[f"{package}.{lab}"].EXERCISES[label][answer]
        namespace = _get_ipython().user_ns
        if answer not in namespace:
            observation = {"missing": True}
        else:
            observation = checker.observe(namespace[answer])
        text = _json.dumps(observation)
    except BaseException as err:
        text = _json.dumps({"error": f"{type(err).__name__}: {err}"[:300]})
    finally:
        for name in names:
            _sys.modules.pop(name, None)
    print(token + text)

_observe(SOURCES, LAB, LABEL, ANSWER, TOKEN)
"""


def observation_code(sources, label, answer, token):
    """Code for the student's kernel that exec's the trusted checker source afresh (in a
    private namespace), observes ``answer`` and prints ``token`` + the observation as JSON."""
    lab = lab_module(label)
    shipped = {name: sources[name] for name in (*SHARED, lab)}
    body = _BOOTSTRAP.replace(
        "_observe(SOURCES, LAB, LABEL, ANSWER, TOKEN)",
        f"_observe({shipped!r}, {lab!r}, {label!r}, {answer!r}, {token!r})",
    )
    return f"exec({body!r}, {{'__name__': '__grader__'}})"


# ---------------------------------------------------------------------------- submissions


@dataclass
class Submission:
    """One submitted file: ``name`` (its path under SUBMISSIONS), the parsed notebook or None,
    and why it could not be read."""

    name: str
    notebook: dict | None
    problem: str = ""


def read_submission(path, root):
    """Read ``path`` into memory as a :class:`Submission`."""
    name = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return Submission(name, None, f"cannot be read: {type(err).__name__}")
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as err:
        return Submission(name, None, f"not valid JSON (line {err.lineno}, column {err.colno})")
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in cells
    ):
        return Submission(name, None, "not a notebook: no list of cells")
    return Submission(name, notebook)


def find_submissions(folder):
    """Every notebook under ``folder``, in a stable order (checkpoint copies left out)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"SUBMISSIONS must be a folder, got {str(folder)!r}")
    found = [
        p
        for p in folder.rglob("*.ipynb")
        if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(folder).parts
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _text(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def bound_names(source):
    """Names a code cell binds (def, class, assignment, import), or an empty set if it does
    not parse (IPython magics are translated first)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def exercises_of(notebook, registry):
    """The labels to grade: every exercise of each lab the notebook belongs to (by its exercise
    labels, its checker imports, or the answers it defines; an answer name that several labs
    use, such as ``model``, says nothing)."""
    owners = {}
    for label, answers in registry.items():
        for answer in answers:
            owners.setdefault(answer, set()).add(lab_module(label))
    telling = {answer for answer, labs in owners.items() if len(labs) == 1}
    labs = set()
    for cell in notebook["cells"]:
        text = _text(cell)
        for match in LABEL.finditer(text):
            labs.add(lab_module(match.group(1) or match.group(2)))
        if cell["cell_type"] == "code":
            labs.update(f"lab{n}" for n in LAB_IMPORT.findall(text))
            defined = bound_names(text) & telling
            labs.update(
                lab_module(label) for label, answers in registry.items() if defined & set(answers)
            )
    return [label for label in registry if lab_module(label) in labs]


# ---------------------------------------------------------------------------- grading


@dataclass
class Graded:
    """A submission's scores (label -> 1/0), the checkers' messages, and notes."""

    name: str
    scores: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    seconds: float = 0.0


def _plan(notebook, labels, registry):
    """[(code cell number, source, [(label, answer) to observe right after it])], plus the
    observations of answers no cell visibly defines (made at the end)."""
    code = [_text(c) for c in notebook["cells"] if c["cell_type"] == "code"]
    last = {}
    for k, source in enumerate(code):
        for name in bound_names(source):
            last[name] = k
    steps = [(k + 1, source, []) for k, source in enumerate(code)]
    at_end = []
    for label in labels:
        for answer in registry[label]:
            (steps[last[answer]][2] if answer in last else at_end).append((label, answer))
    return steps, at_end


def _note_for(number, outcome, limit):
    if outcome.status == "error":  # IPython names a cell's code by a hash: keep the line only
        return f"code cell {number} raised " + re.sub(
            r"\(\w+\.py, (line \d+)\)", r"(\1)", outcome.error
        )
    what = {"timeout": f"stopped at the time limit of {limit:g} s", "died": "the kernel died"}
    after = (
        "; kernel restarted, earlier results lost" if "kernel restarted" in outcome.notes else ""
    )
    return f"code cell {number}: {what[outcome.status]}{after}"


def grade_submission(sub, registry, expected, sources, cell_timeout, notebook_timeout):
    """Run one :class:`Submission` and judge its exercises; never raises for the notebook's
    sake (every problem becomes a note)."""
    graded = Graded(sub.name)
    if sub.notebook is None:
        graded.notes.append(sub.problem)
        return graded
    labels = exercises_of(sub.notebook, registry)
    if not labels:
        graded.notes.append("no exercise of any lab found")
        return graded
    present = {
        m.group(1) or m.group(2) for c in sub.notebook["cells"] for m in LABEL.finditer(_text(c))
    }
    graded.notes += [f"exercise {label} is missing" for label in labels if label not in present]
    steps, at_end = _plan(sub.notebook, labels, registry)
    observations = {}
    problems = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="grade-") as workdir:
        copy = Path(workdir) / Path(sub.name).name
        copy.write_text(json.dumps(sub.notebook), encoding="utf-8")
        kernel = SandboxKernel(workdir)
        try:
            kernel.start()
            for i, (number, source, observe) in enumerate(steps):
                left = notebook_timeout - (time.monotonic() - start)
                outcome = kernel.execute(source, min(cell_timeout, left)) if left > 0 else None
                if outcome is None or (outcome.status == "timeout" and left < cell_timeout):
                    problems.append(
                        f"the notebook's time limit of {notebook_timeout:g} s was reached at "
                        f"code cell {number}: {len(steps) - i - 1} code cells not run"
                    )
                    at_end = [pair for _, _, obs in steps[i:] for pair in obs] + at_end
                    break
                if outcome.status != "ok":
                    problems.append(_note_for(number, outcome, cell_timeout))
                for label, answer in observe:
                    observations[label, answer] = _observe(
                        kernel, sources, label, answer, cell_timeout
                    )
            for label, answer in at_end:
                observations[label, answer] = _observe(kernel, sources, label, answer, cell_timeout)
        except Exception as err:  # noqa: BLE001 - a kernel that cannot even start
            problems.append(f"grading stopped: {type(err).__name__}: {err}"[:200])
        finally:
            kernel.stop()
    graded.seconds = time.monotonic() - start
    if len(problems) > MAX_NOTES:
        problems = problems[:MAX_NOTES] + [f"and {len(problems) - MAX_NOTES} more problems"]
    graded.notes += problems
    for label in labels:
        results = [
            checker.verdict(expected[label][answer], observations.get((label, answer)))
            for answer, checker in registry[label].items()
        ]
        graded.scores[label] = int(all(r.passed for r in results))
        graded.messages[label] = [r.message for r in results]
    return graded


def _observe(kernel, sources, label, answer, timeout):
    """The observation of ``answer`` made in the kernel, as decoded JSON, or an error."""
    token = f"@@observation-{secrets.token_hex(16)}@@"
    outcome = kernel.execute(observation_code(sources, label, answer, token), timeout)
    for line in outcome.stdout.splitlines():
        if line.startswith(token):
            try:
                return json.loads(line[len(token) :])
            except json.JSONDecodeError:
                break
    if outcome.status == "timeout":
        return {"error": f"the answer ran past the time limit of {timeout:g} s"}
    if outcome.status == "died":
        return {"error": "the kernel died while the answer ran"}
    return {"error": "the kernel gave no observation"}


# ---------------------------------------------------------------------------- output


def write_results(out, graded, labels):
    """Replace ``out/grades.csv`` and ``out/feedback/`` with these results."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    feedback = out / "feedback"
    if feedback.is_symlink() or feedback.is_file():
        feedback.unlink()
    elif feedback.exists():
        shutil.rmtree(feedback)
    grades = out / "grades.csv"
    if grades.is_symlink():
        grades.unlink()
    with grades.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *labels, "total", "note"])
        for g in graded:
            row = [g.scores.get(label, "") for label in labels]
            writer.writerow([g.name, *row, sum(g.scores.values()), "; ".join(g.notes)])
    for g in graded:
        path = feedback / Path(g.name).with_suffix(".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feedback_text(g), encoding="utf-8")


def feedback_text(g):
    """The feedback page of one submission (Markdown)."""
    lines = [f"# Feedback on {g.name}", ""]
    if g.scores:
        lines += [f"Score: {sum(g.scores.values())} of {len(g.scores)} exercises.", ""]
    for label, messages in g.messages.items():
        lines += [f"## {label}: {'passed' if g.scores[label] else 'not yet'}", "", "```"]
        lines += messages + ["```", ""]
    if g.notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in g.notes] + [""]
    return "\n".join(lines)


def grade(
    submissions, out, cell_timeout=CELL_TIMEOUT, notebook_timeout=NOTEBOOK_TIMEOUT, log=print
):
    """Grade every notebook under ``submissions``; write ``out``; return the Graded list."""
    for name, value in (("cell_timeout", cell_timeout), ("notebook_timeout", notebook_timeout)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    root = Path(submissions)
    paths = find_submissions(root)
    out = Path(out).resolve()
    if out == root.resolve() or root.resolve() in out.parents:
        raise ValueError("OUT must not be inside SUBMISSIONS")
    sources = trusted_sources()
    registry = utils.exercises.EXERCISES
    expected = {
        label: {answer: checker.expected() for answer, checker in answers.items()}
        for label, answers in registry.items()
    }
    subs = [read_submission(p, root) for p in paths]
    user = sandbox_user()
    log(f"kernels run as uid {user[0]}" if user else "kernels run as this user (no sandbox user)")
    graded = []
    for sub in subs:
        g = grade_submission(sub, registry, expected, sources, cell_timeout, notebook_timeout)
        log(
            f"{g.name}: {sum(g.scores.values())} of {len(g.scores)} ({g.seconds:.0f} s)"
            + (f"; {'; '.join(g.notes)}" if g.notes else "")
        )
        graded.append(g)
    labels = [label for label in registry if any(label in g.scores for g in graded)]
    write_results(out, graded, labels)
    return graded


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade", description=__doc__.split("\n")[0]
    )
    parser.add_argument("submissions", help="folder of submitted notebooks (subfolders allowed)")
    parser.add_argument("--out", default="_build/grades", help="where grades.csv and feedback/ go")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout", type=float, default=NOTEBOOK_TIMEOUT, help="seconds per notebook"
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        graded = grade(args.submissions, args.out, args.cell_timeout, args.notebook_timeout)
    except ValueError as err:
        parser.error(str(err))
    print(
        f"graded {len(graded)} submissions in {time.monotonic() - start:.0f} s: "
        f"{Path(args.out) / 'grades.csv'}, {Path(args.out) / 'feedback'}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
