"""What every exercise checker shares: cases, results, the checker protocol, the printed line.

A checker's verdict never rests on what the student's code says about itself. It is split so
that a grader can run each part where it is safe:

(a) ``checker.expected(rng)``: the cases and their expected answers, computed from the
    course's by-hand implementations on inputs drawn with ``rng`` (the grader's own process;
    a secret seed when grading, the lab's fixed seed in a notebook);
(b) ``checker.request(expected)``: what a judge needs to try the answer (the cases' inputs,
    no expected answer); ``checker.report(answer, request)`` is what the judge sends back:
    what the answer returns or is, as plain JSON data (:mod:`utils.exercises.probe`), made in
    a sandbox that holds no course code (``tools/judge.py``);
(c) ``checker.verdict(expected, report)``: the :class:`Result` (the grader's process again),
    which treats the report as untrusted data.

In a notebook, ``checker(answer)`` runs (a), (b) and (c) in-process on the lab's fixed
inputs, passing the report through the same JSON encoding, prints one line (``✓ ...`` or
``✗ check i/n (hint): ...``) and returns the :class:`Result`. A checker never raises on a
wrong answer; it explains it. An answer that reaches the course's code (``utils``), or, for
a numpy exercise, a package other than numpy, is refused by its pickle's references, the
same rule the judge's sandbox enforces by not having those packages; a Keras model built
through the course's code is refused by the notebook's code (:mod:`utils.exercises.routes`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import numpy as np

from .probe import Unencoded, call_answer, decode, encode, references, refused, short
from .routes import course_route, handed_over

# What a judge sandbox holds, by exercise: numpy exercises get numpy alone; "all" is every
# installed package (Keras, TensorFlow) but never the course's own code.
NUMPY = ("numpy", "cloudpickle")
ALL = "all"
COURSE = ("utils", "tools")  # the course's code: out of every judge's reach


@dataclass(frozen=True)
class Case:
    """One check: call with ``args``; the answer should be ``expected``; ``hint`` names the case."""

    args: tuple
    expected: object
    hint: str


@dataclass(frozen=True)
class Result:
    """A checker's verdict: ``passed``; the failing ``case`` (1-based, None when the answer
    passed or failed as a whole), its ``hint``, the number of checks ``total``, and the one-line
    ``message`` the checker printed."""

    passed: bool
    message: str
    case: int | None = None
    hint: str | None = None
    total: int = 0

    def __str__(self):
        return self.message

    def _ipython_display_(self):
        """Show nothing: the checker already printed ``message`` when it ran, so the returned
        Result, as a notebook cell's last expression, is not displayed a second time."""


def failure(i, total, hint, text):
    """The :class:`~utils.exercises.grading.Result` of failing check ``i`` (1-based) of ``total``:
    ``✗ check i/n (hint): text``."""
    return Result(False, f"✗ check {i}/{total} ({hint}): {text}", i, hint, total)


def allowed_roots(packages):
    """The top-level packages an answer may reach in a judge holding ``packages``
    (:data:`NUMPY` or :data:`ALL`; the standard library always): None for every package but
    the course's."""
    return None if packages == ALL else frozenset(packages)


def refused_reference(data, packages):
    """The first global or module the pickle ``data`` names that a judge holding ``packages``
    does not have (the course's code never), or None; ValueError if ``data`` is no pickle."""
    roots = allowed_roots(packages)
    if roots is None:
        return next((r for r in references(data) if r.split(".", 1)[0] in COURSE), None)
    return refused(data, roots)


def reaches_message(answer, ref):
    """The line of an answer whose pickle names ``ref`` (a module or ``module.name``)."""
    if ref.split(".", 1)[0] in COURSE:
        return f"✗ {answer} uses the course's {ref}: write your own"
    root = ref.split(".", 1)[0]
    shown = root if ref == root else f"{root} ({ref})"
    return f"✗ {answer} reaches {shown}: write your own"


class Checker:
    """The checker protocol; subclasses define :meth:`expected`, :meth:`request`,
    :meth:`report` and :meth:`judge`.

    ``answer`` is the name the student's answer has in the notebook (a checker is named
    ``check_<answer>``); ``kind`` says how the answer leaves the student's kernel and is
    judged ("function" and "value": pickled; "keras": a saved model); ``packages`` what its
    judge's sandbox holds (:data:`NUMPY` or :data:`ALL`); ``seed`` the lab's fixed seed of
    the inputs a notebook shows.
    """

    kind = "value"

    def __init__(self, answer, packages=NUMPY, seed=0):
        self.answer, self.packages, self.seed = answer, packages, seed

    def expected(self, rng=None):
        """(a) What the judgement compares with; ``rng`` draws the inputs (None: the lab's)."""
        raise NotImplementedError

    def request(self, expected):
        """(b) What the judge needs (picklable, no course code, no expected answer)."""
        return {}

    def report(self, answer, request):
        """(b) What ``answer`` is or does, as JSON-ready data (runs where the answer lives)."""
        return {"value": encode(answer)}

    def judge(self, expected, report, source=""):
        """(c) The :class:`~utils.exercises.grading.Result` of comparing ``report`` with
        ``expected`` (``source``: the notebook's code, for checks of how it was written)."""
        raise NotImplementedError

    def verdict(self, expected, report, source=""):
        """:meth:`~utils.exercises.grading.Checker.judge`, after the failures every checker
        shares (an answer not defined, one that reaches code its judge does not hold, one
        that could not be checked, a Keras model the notebook's code ``source`` builds
        through the course's code: :func:`~utils.exercises.routes.course_route`); a report
        that is not what a judge writes fails too."""
        if not isinstance(report, dict):
            return Result(False, f"✗ {self.answer}: no report on the answer was made")
        if report.get("missing") is True:
            return Result(
                False,
                f"✗ {self.answer} is not defined: run the cell that defines it, keep its name",
            )
        if isinstance(report.get("reaches"), str):
            return Result(False, reaches_message(self.answer, short(report["reaches"])))
        if "error" in report:
            return Result(False, f"✗ {self.answer} could not be checked: {short(report['error'])}")
        if self.kind == "keras":  # a model shows not where it came from: the code does
            route = course_route(source, self.answer, handed_over(self))
            if route is not None:
                return Result(False, f"✗ {self.answer} {route}")
        try:
            return self.judge(expected, report, source)
        except (ValueError, TypeError, KeyError, IndexError) as err:
            return Result(
                False,
                f"✗ {self.answer} could not be checked: the judge's report is unreadable "
                f"({short(err)})",
            )

    def local_report(self, answer, request):
        """What a judge would report on ``answer``, made in this process (a notebook's
        feedback): the pickle's references first, then :meth:`report`."""
        if self.kind != "keras" or not _is_model(answer):
            import cloudpickle  # a notebook's feedback only; the judge needs no checker

            try:
                data = cloudpickle.dumps(answer)
            except Exception as err:  # noqa: BLE001 - whatever cannot be pickled is reported
                return {"error": f"it cannot be saved for the grader: {type(err).__name__}"}
            ref = refused_reference(data, self.packages)
            if ref is not None:
                return {"reaches": ref}
        return self.report(answer, request)

    def __call__(self, answer, source=None):
        """Check ``answer`` in this process on the lab's inputs: (a) + (b) + (c); print the
        line, return the Result. ``source``: the code that built it (default: the cells run
        so far, in a notebook)."""
        expected = self.expected()
        report = json.loads(json.dumps(self.local_report(answer, self.request(expected))))
        result = self.verdict(expected, report, _cells_run() if source is None else source)
        print(result.message)
        return result

    def __repr__(self):
        return f"{type(self).__name__}({self.answer!r})"


def _is_model(answer):
    keras = __import__("sys").modules.get("keras")
    return keras is not None and isinstance(answer, keras.Model)


_CELLS = []  # the code of every cell an IPython session ran, as far as it can be known


def _record_cell(info):
    _CELLS.append(info.raw_cell if isinstance(info.raw_cell, str) else "")


def _watch_cells():
    """In IPython, record the cells the session's history holds (those run before this
    module was imported, the one importing it included), then each cell's code before it
    runs (whether or not it is kept in the history): a Keras checker reads from it how the
    model was built and fitted."""
    try:
        from IPython import get_ipython  # outside IPython (a script, a judge) there is none
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        _CELLS.extend(_cells_before(shell))
        shell.events.register("pre_run_cell", _record_cell)


def _cells_before(shell):
    """The code of the cells ``shell`` ran before this module was imported: those its
    history keeps, and the cell running now (kept or not: nbval keeps none)."""
    cells = [c for c in shell.history_manager.input_hist_raw[1:] if isinstance(c, str)]
    running = getattr(getattr(shell.displayhook, "exec_result", None), "info", None)
    raw = getattr(running, "raw_cell", None)
    if isinstance(raw, str) and cells[-1:] != [raw]:
        cells.append(raw)
    return cells


_watch_cells()


def _cells_run():
    """The code of the cells run so far in this IPython session (none outside one)."""
    return list(_CELLS)


class FunctionChecker(Checker):
    """A checker for an answer that is a function: called on every case, compared within ``tol``.

    ``inputs(rng)`` returns ``[(args, hint), ...]``: the random values drawn from ``rng``
    (the edge cases written out); ``reference(*args)`` is the by-hand answer; ``tol`` the
    tolerance of :func:`close` (absolute below 1, relative above). ``mistakes`` is a tuple of
    ``(message, wrong)``: ``wrong(*args)`` computes, in the grader's process, what a typical
    wrong answer returns; an answer that fails and returns what ``wrong`` does on every case
    is told ``message`` (what the mistake is and what to do instead).
    """

    kind = "function"

    def __init__(self, answer, inputs, reference, tol=1e-8, packages=NUMPY, seed=0, mistakes=()):
        super().__init__(answer, packages, seed)
        self.inputs, self.reference, self.tol = inputs, reference, tol
        self.mistakes = tuple(mistakes)

    def expected(self, rng=None):
        rng = np.random.default_rng(self.seed) if rng is None else rng
        return [Case(args, self.reference(*args), hint) for args, hint in self.inputs(rng)]

    def request(self, expected):
        return {"calls": [case.args for case in expected]}

    def report(self, answer, request):

        return call_answer(answer, copy.deepcopy(request["calls"]))

    def calls(self, expected, report):
        """The report's calls, one per case (ValueError if the report has not that shape)."""
        calls = report.get("calls")
        if not isinstance(calls, list) or len(calls) != len(expected):
            raise ValueError("no call per case")
        if not all(isinstance(c, dict) and ("value" in c or "raised" in c) for c in calls):
            raise ValueError("a call has neither value nor error")
        return calls

    def judge(self, expected, report, source=""):
        if "not_callable" in report:
            return Result(
                False, f"✗ {self.answer} must be a function, got {short(report['not_callable'])}"
            )
        total = len(expected)
        calls = self.calls(expected, report)
        for i, (case, call) in enumerate(zip(expected, calls, strict=True), 1):
            if "raised" in call:
                return failure(i, total, case.hint, f"{self.answer} raised {short(call['raised'])}")
            got = decode(call["value"])
            if not close(got, case.expected, self.tol):
                shown, got_shown = show_difference(case.expected, got)
                text = f"expected {shown}, got {got_shown}"
                mistake = self.diagnosis(expected, calls)
                text = text if mistake is None else f"{mistake}: {text}"
                return failure(i, total, case.hint, text)
            if "changed" in call:
                return failure(
                    i,
                    total,
                    case.hint,
                    f"{self.answer} changed its argument {short(call['changed'])} in place: "
                    "leave the arrays you are given as they are and return new ones",
                )
        return Result(True, f"✓ {self.answer}: all {total} checks passed", total=total)

    def diagnosis(self, expected, calls):
        """The message of the first of ``mistakes`` whose wrong answer returns, on every
        case, what the answer's ``calls`` returned (within ``tol``; raising where it raised),
        or None."""
        got = [decode(call["value"]) if "value" in call else _RAISED for call in calls]
        for message, wrong in self.mistakes:
            if all(
                _same(g, _wrong_value(wrong, case.args), self.tol)
                for g, case in zip(got, expected, strict=True)
            ):
                return message
        return None


_RAISED = object()  # what a call that raised returned, for comparing answers with mistakes


def _wrong_value(wrong, args):
    """What the typical wrong answer ``wrong`` returns on ``args`` (a copy), or :data:`_RAISED`."""
    with np.errstate(all="ignore"):
        try:
            return wrong(*copy.deepcopy(args))
        except Exception:  # noqa: BLE001 - a wrong answer may fail on a case, as students' do
            return _RAISED


def _same(got, wrong, tol):
    """Whether an answer's value ``got`` is what a wrong answer returned (both raised, or
    :func:`close`, nan where it has nan)."""
    if got is _RAISED or wrong is _RAISED:
        return got is wrong
    return close(got, wrong, tol)


def close(got, expected, tol):
    """Whether ``got`` has the shape of ``expected`` and is within ``tol`` of it, absolutely
    where ``|expected| <= 1`` and relatively above (tuples item by item); equal infinities and
    nan against nan count as close."""
    if isinstance(expected, tuple):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(got, (Unencoded, str)) or got is None:
        return False
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    try:
        expected = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if got.shape != expected.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        scale = np.where(np.isfinite(expected), np.maximum(1.0, np.abs(expected)), 0.0)
        within = np.abs(got - expected) <= tol * scale
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    return bool(np.all(within | same))


def show_difference(expected, got):
    """``expected`` and ``got`` as a checker message shows them: with 6 significant digits,
    more (up to 17) where they would look the same."""
    for digits in range(6, 18):
        pair = show(expected, digits), show(got, digits)
        if pair[0] != pair[1]:
            break
    return pair


def show(x, digits=6):
    """``x`` as a checker message shows it (``digits`` significant digits, or decimals in an
    array; the same on every machine)."""
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v, digits) for v in x) + ")"
    if x is None:
        return "None"
    if isinstance(x, Unencoded):
        return repr(x)
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return short(repr(x))
    if not arr.ndim:
        return f"{float(arr):.{digits}g}"
    options = dict(suppress=True, threshold=1000, linewidth=75, edgeitems=3, legacy=False)
    with np.printoptions(precision=digits, **options):
        return np.array2string(arr, precision=digits, floatmode="maxprec", sign="-")
