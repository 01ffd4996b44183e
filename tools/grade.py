"""Grade students' notebooks with the labs' own checkers: ``make grade SUBMISSIONS=dir [OUT=dir]``.

    python -m tools.grade SUBMISSIONS [--out OUT] [--fresh] [--jobs N] [--cell-timeout S]
                                      [--notebook-timeout S] [--slot K]

The grader runs as root and only with its sandbox (:mod:`tools.sandbox`): where the sandbox
cannot be made it stops and says what to install, before grading anything. Every ``*.ipynb``
under SUBMISSIONS (any name, any bytes; links are not followed) is one submission
(:mod:`tools.submissions`). The order of work keeps any submission from changing any grade:

1. every exercise's inputs are drawn with a secret seed and its expected answers computed
   here, before anything runs;
2. a submission is read into memory at a cost bounded by its size (a file that is too big,
   not JSON or not a notebook gets a row with a note); its lab is decided once, from its
   exercise labels and checker imports: only that lab's exercises count;
3. it runs in a fresh kernel inside a sandbox of its own (:mod:`tools.kernel`): a fresh folder,
   no network, an empty environment, limits on memory, processes, disk and time, the course
   package without any answer key, nothing of the grader's, of SUBMISSIONS or of OUT; cell by
   cell, with a time limit per cell and per notebook (observations included); an error, a
   time limit or a dead kernel is noted and the next cell runs (a dead or stuck kernel is
   restarted with its whole sandbox). Right after the last cell that defines an exercise's
   answer, one small cell saves it as bytes (:mod:`tools.verdict`); each saved answer is
   then judged in a fresh sandbox without any course code (``tools/judge.py``) on inputs
   drawn here with a secret seed, and the verdict is made here from the judge's raw report.
   What a notebook prints, or how it patches ``utils.exercises``, counts for nothing;
4. its row of ``OUT/grades.csv`` (a 1/0 column per exercise, the total, its feedback page,
   a note) is appended and flushed to disk as soon as it is graded, after its page in
   ``OUT/feedback/`` (:mod:`tools.results`). Any failure while grading one submission becomes
   that row's note. A stopped run, started again with the same OUT, grades only what has no
   row yet (``--fresh`` starts over);
5. at the end of every run, ``OUT/report.html`` sums up the whole class (:mod:`tools.report`).

``--jobs N`` grades N submissions at once, each worker in a sandbox slot of its own (slots
K .. K+N-1, so uids 61000+K ..; their judges in those slots + 32): every row is what it is
with one job. Rows are appended as each submission is graded, in the order they finish; at
the end of the run grades.csv is rewritten in the submissions' order (sorted by path bytes),
so that it is the same file whatever N. ``--roster FILE`` also writes ``OUT/roster.csv``,
one row per student, missing and duplicate hand-ins noted (:mod:`tools.roster`).
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import multiprocessing
import os
import re
import secrets
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import utils.exercises
from tools import sandbox, verdict
from tools.grading_copy import write_grading_copy
from tools.kernel import SandboxKernel
from tools.report import write_report
from tools.results import Results
from tools.roster import read_roster, write_roster_grades
from tools.submissions import (
    Submission,
    display_name,
    feedback_file,
    find_submissions,
    read_submission,
)

CELL_TIMEOUT = 120.0
NOTEBOOK_TIMEOUT = 600.0
MAX_NOTES = 6
SLOT = 0  # the default sandbox slot (uid 61000 + slot) of the first worker's kernels
LABEL = re.compile(
    r"^:label:\s*(lab\d{1,2}-[\w-]{1,80})|\{solution\}\s+(lab\d{1,2}-[\w-]{1,80})", re.M
)
LAB_IMPORT = re.compile(r"utils\.exercises\.lab(\d\d)\b")


def lab_module(label):
    """``"lab3-softmax"`` -> ``"lab03"``, the checker module of that lab."""
    return f"lab{int(label[3 : label.index('-')]):02d}"


# ---------------------------------------------------------------------------- submissions


@functools.lru_cache(maxsize=1024)
def bound_names(source):
    """Names a code cell binds (def, class, assignment, import), as a frozenset; empty if it
    does not parse (as Python, else with IPython's magics translated)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        try:
            tree = ast.parse(TransformerManager().transform_cell(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return frozenset()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return frozenset(names)


def lab_of(notebook, registry):
    """The one lab a notebook is, and the other labs it carries exercises of.

    Decided from its exercise labels and checker imports (the lab named most often; the first
    named, on a tie); without either, from the answers it defines (an answer name that several
    labs use, such as ``model``, says nothing). (None, []) when nothing names a lab."""
    labs = {lab_module(label) for label in registry}
    votes, first = Counter(), {}

    def vote(lab):
        if lab in labs:
            votes[lab] += 1
            first.setdefault(lab, len(first))

    code = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    for cell in notebook["cells"]:
        for match in LABEL.finditer(cell["source"]):
            label = match.group(1) or match.group(2)
            if label in registry:
                vote(lab_module(label))
        if cell["cell_type"] == "code":
            for number in LAB_IMPORT.findall(cell["source"]):
                vote(f"lab{number}")
    if not votes:
        owners = {}
        for label, answers in registry.items():
            for answer in answers:
                owners.setdefault(answer, set()).add(lab_module(label))
        for source in code:
            for name in bound_names(source):
                if len(owners.get(name, ())) == 1:
                    vote(next(iter(owners[name])))
    if not votes:
        return None, []
    best = max(votes, key=lambda lab: (votes[lab], -first[lab]))
    return best, sorted(set(votes) - {best})


def exercises_of(notebook, registry):
    """(the labels to grade: every exercise of the notebook's lab, notes)."""
    lab, others = lab_of(notebook, registry)
    if lab is None:
        return [], ["no exercise of any lab found"]
    notes = []
    if others:
        notes.append(f"also carries exercises of {', '.join(others)}: only {lab} is graded")
    return [label for label in registry if lab_module(label) == lab], notes


# ---------------------------------------------------------------------------- grading


@dataclass
class Graded:
    """A submission's scores (label -> 1/0), the checkers' messages, and notes."""

    name: str
    digest: str = ""
    scores: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    peak_memory: int = 0


def _plan(notebook, labels, registry):
    """[(code cell number, source, [(label, answer) to observe right after it])], plus the
    observations of answers no cell visibly defines (made at the end)."""
    code = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
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


def grade_submission(sub, registry, expected, course, timeouts, limits, slot=SLOT):
    """Run one :class:`Submission` in its sandbox and judge its lab's exercises; never raises
    for the notebook's sake (every problem becomes a note). ``timeouts``: (per cell, per
    notebook) in seconds."""
    cell_timeout, notebook_timeout = timeouts
    graded = Graded(sub.name, sub.digest)
    if sub.notebook is None:
        graded.notes.append(sub.problem)
        return graded
    labels, graded.notes = exercises_of(sub.notebook, registry)
    if not labels:
        return graded
    present = {
        m.group(1) or m.group(2) for c in sub.notebook["cells"] for m in LABEL.finditer(c["source"])
    }
    graded.notes += [f"exercise {label} is missing" for label in labels if label not in present]
    steps, at_end = _plan(sub.notebook, labels, registry)
    answers = {}
    problems = []
    start = time.monotonic()

    def left():
        return notebook_timeout - (time.monotonic() - start)

    with sandbox.private_workdir(slot, limits) as workdir:
        path = os.path.join(workdir, "submission.ipynb")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(sub.notebook, f)
        kernel = SandboxKernel(workdir, course, slot, limits)
        try:
            kernel.start()
            for i, (number, source, observe) in enumerate(steps):
                outcome = kernel.execute(source, min(cell_timeout, left())) if left() > 0 else None
                if outcome is None or (outcome.status == "timeout" and left() <= 0):
                    problems.append(
                        f"the notebook's time limit of {notebook_timeout:g} s was reached at "
                        f"code cell {number}: {len(steps) - i - 1} code cells not run"
                    )
                    at_end = [pair for _, _, obs in steps[i:] for pair in obs] + at_end
                    break
                if outcome.status != "ok":
                    problems.append(_note_for(number, outcome, cell_timeout))
                for label, answer in observe:
                    answers[label, answer] = _export(
                        kernel, workdir, registry[label][answer], answer, min(cell_timeout, left())
                    )
            for label, answer in at_end:
                answers[label, answer] = _export(
                    kernel, workdir, registry[label][answer], answer, min(cell_timeout, left())
                )
        except sandbox.SandboxUnavailable:
            raise
        except Exception as err:  # noqa: BLE001 - a kernel that cannot even start
            problems.append(f"grading stopped: {type(err).__name__}: {err}"[:200])
        finally:
            kernel.stop()
            graded.peak_memory = kernel.peak_memory
    graded.seconds = time.monotonic() - start
    if len(problems) > MAX_NOTES:
        problems = problems[:MAX_NOTES] + [f"and {len(problems) - MAX_NOTES} more problems"]
    graded.notes += problems
    cells = [c["source"] for c in sub.notebook["cells"] if c["cell_type"] == "code"]
    for label in labels:
        results = [
            checker.verdict(
                expected[label][answer],
                verdict.judge(
                    checker,
                    expected[label][answer],
                    answers.get((label, answer)),
                    verdict.judge_slot(slot),
                ),
                cells,
            )
            for answer, checker in registry[label].items()
        ]
        graded.scores[label] = int(all(r.passed for r in results))
        graded.messages[label] = [r.message for r in results]
    return graded


def _export(kernel, workdir, checker, answer, timeout):
    """The exported :class:`~tools.verdict.Answer` of ``answer`` (None: not defined), saved by
    one small cell in ``kernel``, counted in the notebook's time."""
    return verdict.export(kernel, workdir, {answer: checker}, max(timeout, 0.1))[answer]


# ---------------------------------------------------------------------------- a run


def _digests(folder, found):
    """{name: sha256 of its bytes} of the submissions that can be read (for resuming)."""
    digests = {}
    for raw, is_link in found:
        sub = read_submission(folder, raw, is_link, parse=False)
        digests[sub.name] = sub.digest
    return digests


def _grade_one(folder, raw, is_link, context):
    """Read and grade one submission; any failure (however the file is crafted) becomes its
    row's note. A sandbox that cannot be made, or a process that outlives its sandbox, stops
    the whole run (fail closed)."""
    sub = Submission(display_name(raw), raw)
    try:
        sub = read_submission(folder, raw, is_link)
        graded = grade_submission(sub, *context)
    except sandbox.SandboxUnavailable:
        raise
    except Exception as err:  # noqa: BLE001 - this submission's row says what happened
        graded = Graded(
            sub.name, sub.digest, notes=[f"grading failed: {type(err).__name__}: {err}"[:300]]
        )
    slot = context[-1]
    left = sandbox.kill_slot(slot)
    if left:
        raise sandbox.SandboxUnavailable(
            f"{left} processes of the sandbox's uid {sandbox.slot_uid(slot)} survived it"
        )
    return graded


def _slots(slot, jobs):
    """The kernels' slots of ``jobs`` workers from ``slot`` on; none may be another worker's
    judge slot (:func:`tools.verdict.judge_slot`)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, got {jobs!r}")
    sandbox.slot_uid(slot)  # a bad slot is refused before anything runs
    slots = list(range(slot, slot + jobs))
    if slots[-1] >= verdict.JUDGE_OFFSET:
        raise ValueError(
            f"slot + jobs must be at most {verdict.JUDGE_OFFSET} (the judges use the slots "
            f"from {verdict.JUDGE_OFFSET} on), got slot {slot} and jobs {jobs}"
        )
    return slots


_WORKER = {}  # in a worker process: its context (registry, ..., its own slot)


def _start_worker(context, free_slots):
    """Initialise a worker process: it takes one slot for its whole life."""
    _WORKER["context"] = (*context, free_slots.get())


def _work(folder, raw, is_link):
    """Grade one submission in a worker process (see :func:`_grade_one`)."""
    return _grade_one(folder, raw, is_link, _WORKER["context"])


def _graded_in_order(submissions, todo, context, slots):
    """Yield (raw path, Graded) of every submission in ``todo`` as each is graded: in order
    with one slot, else by ``len(slots)`` worker processes, each with its own slot."""
    if len(slots) == 1:
        for raw, is_link in todo:
            yield raw, _grade_one(submissions, raw, is_link, (*context, slots[0]))
        return
    fork = multiprocessing.get_context("fork")  # the workers inherit the drawn inputs
    free = fork.Queue()
    for slot in slots:
        free.put(slot)
    with ProcessPoolExecutor(len(slots), fork, _start_worker, (context, free)) as pool:
        pending = {pool.submit(_work, submissions, raw, is_link): raw for raw, is_link in todo}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=pending.get):
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()


def grade(
    submissions,
    out,
    cell_timeout=CELL_TIMEOUT,
    notebook_timeout=NOTEBOOK_TIMEOUT,
    log=print,
    fresh=False,
    limits=None,
    slot=None,
    jobs=1,
    roster=None,
):
    """Grade every notebook under ``submissions`` that has no row in ``out`` yet (all of them
    when ``fresh``), ``jobs`` at a time, and with a ``roster`` file also write roster.csv
    (:mod:`tools.roster`); return the Graded list of this run in the submissions' order.
    Raises SandboxUnavailable (nothing is graded) where the sandbox cannot be made."""
    for name, value in (("cell_timeout", cell_timeout), ("notebook_timeout", notebook_timeout)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    limits = limits or sandbox.Limits()
    slots = _slots(SLOT if slot is None else slot, jobs)
    students = read_roster(roster) if roster is not None else None
    found = find_submissions(submissions)
    root, out = Path(submissions).resolve(), Path(out).resolve()
    if out == root or root in out.parents or out in root.parents:
        raise ValueError("OUT and SUBMISSIONS must not be inside one another")
    sandbox.require_sandbox()
    for k in slots:
        if sandbox.kill_slot(k, wait=0):
            raise sandbox.SandboxUnavailable(
                f"uid {sandbox.slot_uid(k)} already runs processes: the sandbox needs it unused "
                "(another grader runs? give it another --slot)"
            )
    registry = utils.exercises.EXERCISES
    rng = np.random.default_rng(secrets.randbits(128))  # inputs no submission can know
    expected = {
        label: {answer: checker.expected(rng) for answer, checker in answers.items()}
        for label, answers in registry.items()
    }
    uids = ", ".join(str(sandbox.slot_uid(k)) for k in slots)
    log(f"kernels run in sandboxes as uid {uids}; {limits}")
    graded = {}
    with (
        tempfile.TemporaryDirectory(prefix="grade-course-") as course,
        Results(out, list(registry), fresh, _digests(submissions, found)) as results,
    ):
        write_grading_copy(Path(course) / "copy")
        context = (
            registry,
            expected,
            Path(course) / "copy",
            (cell_timeout, notebook_timeout),
            limits,
        )
        todo = []
        for raw, is_link in found:
            sub = read_submission(submissions, raw, is_link, parse=False)
            if results.done(sub.name, sub.digest):
                log(f"{sub.name}: graded in an earlier run")
            else:
                todo.append((raw, is_link))
        for raw, g in _graded_in_order(submissions, todo, context, slots):
            results.add(g, feedback_file(raw))
            log(
                f"{g.name}: {sum(g.scores.values())} of {len(g.scores)} ({g.seconds:.0f} s, "
                f"{g.peak_memory / 2**20:.0f} MiB)" + (f"; {'; '.join(g.notes)}" if g.notes else "")
            )
            graded[raw] = g
        results.sort([display_name(raw) for raw, _ in found])
    if students is not None:
        log(f"one row per student: {write_roster_grades(out, students)}")
    log(f"class report: {write_report(out)}")
    return [graded[raw] for raw, _ in todo if raw in graded]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade", description=__doc__.split("\n")[0]
    )
    parser.add_argument("submissions", help="folder of submitted notebooks (subfolders allowed)")
    parser.add_argument("--out", default="_build/grades", help="where grades.csv and feedback/ go")
    parser.add_argument("--fresh", action="store_true", help="start over: drop OUT's earlier rows")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT, help="seconds per cell")
    parser.add_argument(
        "--jobs", type=int, default=1, help="submissions graded at once (one sandbox slot each)"
    )
    parser.add_argument(
        "--roster", help="CSV of student_id,name,pattern: also write OUT/roster.csv, one row each"
    )
    parser.add_argument(
        "--slot", type=int, default=SLOT, help="first sandbox slot: kernels run as uid 61000 + slot"
    )
    parser.add_argument(
        "--notebook-timeout", type=float, default=NOTEBOOK_TIMEOUT, help="seconds per notebook"
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        graded = grade(
            args.submissions,
            args.out,
            args.cell_timeout,
            args.notebook_timeout,
            fresh=args.fresh,
            slot=args.slot,
            jobs=args.jobs,
            roster=args.roster,
        )
    except ValueError as err:
        parser.error(str(err))
    except sandbox.SandboxUnavailable as err:
        print(f"grading stopped, nothing more was graded: {err}", file=sys.stderr)
        return 3
    print(
        f"graded {len(graded)} submissions in {time.monotonic() - start:.0f} s: "
        f"{Path(args.out) / 'grades.csv'}, {Path(args.out) / 'feedback'}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
