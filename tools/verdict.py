"""The grader's side of a verdict: export each answer from the student's kernel as bytes,
judge it in a sandbox that holds no course code, and check the judge's report.

1. :func:`export_code` is the one small cell the grader sends to a submission's kernel: it
   writes each answer to ``.answers/`` in the submission's folder (functions and plain values
   with cloudpickle, Keras models with ``model.save``). What the cell prints or does counts
   for nothing; only the files do, read by :func:`read_answer` (regular files only, no
   symbolic link followed, at most :data:`MAX_ANSWER_BYTES`).
2. :func:`judge` runs ``tools/judge.py`` in a fresh sandbox (``tools/sandbox.py``) per
   answer: numpy exercises with numpy and cloudpickle only, Keras exercises with every
   installed package; never the course's code. An answer whose pickle names a module that
   sandbox does not have is refused before it runs, by name.
3. :func:`parse_report` reads the judge's stdout with a size and depth cap; the checker's
   ``verdict`` then compares it with the expected answers computed here, on inputs drawn
   here with a secret seed.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import cloudpickle

from tools import sandbox
from utils.exercises import grading, probe

ANSWERS = ".answers"  # in a submission's folder
MAX_ANSWER_BYTES = 32 << 20
MAX_REPORT_DEPTH = 2 * probe.MAX_DEPTH + 12
JUDGE_SCRIPT = Path(__file__).with_name("judge.py")
JUDGE_DIR = "/opt/judge"  # where the judge and probe.py are seen in its sandbox
JUDGE_OFFSET = sandbox.MAX_SLOTS // 2  # kernels in slot k: judges in slot k + this (mod)
TIMEOUTS = {"function": 60.0, "value": 30.0, "keras": 240.0}

_EXPORT = """
def _export(names, models):
    import os
    ns = get_ipython().user_ns
    os.makedirs({folder!r}, exist_ok=True)
    for name in names:
        path = os.path.join({folder!r}, name)
        if name not in ns:
            continue
        try:
            keras = __import__("sys").modules.get("keras")
            if name in models and keras is not None and isinstance(ns[name], keras.Model):
                ns[name].save(path + ".keras")
            else:
                import cloudpickle
                with open(path + ".pkl", "wb") as f:
                    cloudpickle.dump(ns[name], f)
        except Exception as err:
            with open(path + ".error", "w") as f:
                f.write(f"{{type(err).__name__}}: {{err}}"[:300])
_export({names!r}, {models!r})
del _export
"""


def export_code(checkers):
    """The cell that writes the answers of ``checkers`` (answer name -> checker) to
    :data:`ANSWERS` in the kernel's working folder."""
    models = sorted(name for name, c in checkers.items() if c.kind == "keras")
    return _EXPORT.format(folder=ANSWERS, names=sorted(checkers), models=models)


@dataclass(frozen=True)
class Answer:
    """An exported answer: ``suffix`` "pkl" or "keras" and its bytes; or ``problem``."""

    suffix: str = ""
    data: bytes = b""
    problem: str = ""


def _read_regular(folder_fd, name):
    """The bytes of the regular file ``name`` in ``folder_fd`` (no link followed, capped),
    None when absent; OSError/ValueError for anything else."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        if info.st_size > MAX_ANSWER_BYTES:
            raise ValueError(f"larger than {MAX_ANSWER_BYTES >> 20} MB")
        data = f.read(MAX_ANSWER_BYTES + 1)
    if len(data) > MAX_ANSWER_BYTES:
        raise ValueError(f"larger than {MAX_ANSWER_BYTES >> 20} MB")
    return data


def read_answer(workdir, name, kind):
    """The :class:`Answer` exported for ``name`` into ``workdir``'s :data:`ANSWERS` (a Keras
    answer may be a saved model or a pickle, such as the stub's None)."""
    try:
        folder_fd = os.open(
            os.path.join(workdir, ANSWERS), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
        )
    except FileNotFoundError:
        return None
    except OSError as err:
        return Answer(problem=f"the answers' folder cannot be read ({err.strerror})")
    try:
        for suffix in ("keras", "pkl") if kind == "keras" else ("pkl",):
            data = _read_regular(folder_fd, f"{name}.{suffix}")
            if data is not None:
                return Answer(suffix, data)
        error = _read_regular(folder_fd, f"{name}.error")
    except (OSError, ValueError) as err:
        return Answer(problem=f"its exported file cannot be read: {probe.short(err)}")
    finally:
        os.close(folder_fd)
    if error is not None:
        text = error[:300].decode("utf-8", "replace")
        return Answer(problem=f"it cannot be saved for the grader: {probe.short(text)}")
    return None


def parse_report(stdout):
    """The judge's report (a dict) from its stdout bytes; ValueError when it is not one JSON
    object of at most :data:`MAX_REPORT_DEPTH` levels."""
    try:
        text = stdout.decode("utf-8")
        report = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ValueError(f"the judge's report is not JSON ({type(err).__name__})") from None
    stack = [(report, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_REPORT_DEPTH:
            raise ValueError("the judge's report is nested too deeply")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    if not isinstance(report, dict):
        raise ValueError("the judge's report is not a JSON object")
    return report


def judge_slot(kernel_slot):
    """The sandbox slot of the judges of a grader whose kernels run in ``kernel_slot`` (never
    the same slot: closing a sandbox kills what its slot's uid runs)."""
    sandbox.slot_uid(kernel_slot)  # a bad slot raises ValueError
    return (kernel_slot + JUDGE_OFFSET) % sandbox.MAX_SLOTS


def judge(checker, expected, answer, slot=JUDGE_OFFSET, timeout=None, limits=None):
    """The report on ``answer`` (an :class:`Answer`, or None when none was exported) for
    ``checker`` and its ``expected`` cases: refused by its pickle's references, or made by
    the judge in a fresh sandbox (slot ``slot``, see :func:`judge_slot`) and read with
    :func:`parse_report`."""
    if answer is None:
        return {"missing": True}
    if answer.problem:
        return {"error": answer.problem}
    if answer.suffix == "pkl":
        try:
            ref = grading.refused_reference(answer.data, checker.packages)
        except ValueError as err:
            return {"error": f"its exported file is not a pickle: {probe.short(err)}"}
        if ref is not None:
            return {"reaches": ref}
    request = cloudpickle.dumps({"kind": checker.kind, **checker.request(expected)})
    timeout = timeout or TIMEOUTS[checker.kind]
    limits = limits or sandbox.Limits()
    with sandbox.private_workdir(slot, limits) as workdir:
        path = Path(workdir) / f"answer.{answer.suffix}"
        path.write_bytes(answer.data)
        os.chown(path, sandbox.slot_uid(slot), sandbox.slot_uid(slot))
        run = sandbox.run_sandboxed(
            [sys.executable, f"{JUDGE_DIR}/judge.py"],
            workdir=workdir,
            stdin=request,
            timeout=timeout,
            slot=slot,
            ro_binds=(
                (str(JUDGE_SCRIPT), f"{JUDGE_DIR}/judge.py"),
                (str(Path(probe.__file__)), f"{JUDGE_DIR}/probe.py"),
            ),
            packages=checker.packages,
            limits=limits,
        )
    if run.timed_out:
        return {"error": f"the answer ran past the time limit of {timeout:g} s"}
    if run.truncated:
        return {"error": "the judge's report was larger than the limit"}
    try:
        return parse_report(run.stdout)
    except ValueError as err:
        died = f" (the judge exited with status {run.returncode})" if run.returncode else ""
        return {"error": f"{err}{died}"}


def export(kernel, workdir, checkers, timeout):
    """Run :func:`export_code` for ``checkers`` (answer name -> checker) in ``kernel`` (its
    working folder: ``workdir``) and read what it wrote: answer name -> :class:`Answer`
    (None for an answer the kernel does not define)."""
    outcome = kernel.execute(export_code(checkers), timeout)
    found = {name: read_answer(workdir, name, c.kind) for name, c in checkers.items()}
    if outcome.status in ("timeout", "died"):
        problem = (
            f"the kernel {'ran past its time limit' if outcome.status == 'timeout' else 'died'}"
        )
        found = {
            name: answer or Answer(problem=f"{problem} while saving it for the grader")
            for name, answer in found.items()
        }
    return found
