"""What every exercise checker shares: cases, results, the checker protocol, the printed line.

A checker is split in three, so that a grader can run each part where it is safe:

(a) ``checker.expected()``: the cases with their expected answers, computed from the course's
    by-hand implementations (in the grader's own process);
(b) ``checker.observe(answer)``: what the student's answer does on those cases, as plain JSON
    data (runs wherever the answer lives: the student's kernel);
(c) ``checker.judge(expected, observation)``: the verdict, a :class:`Result` (the grader's
    process again).

In a notebook, ``checker(answer)`` runs (a), (b) and (c) in-process, passing the observation
through the same JSON encoding, prints one line (``✓ ...`` or ``✗ check i/n (hint): ...``) and
returns the :class:`Result`. A checker never raises on a wrong answer; it explains it.
"""

from __future__ import annotations

import copy
import inspect
import json
import sys
from dataclasses import dataclass

import numpy as np

_MAX_ITEMS = 100_000  # an array larger than this is described, not copied into the JSON
_MAX_TEXT = 200  # characters of a repr or an error message kept in an observation


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


class Checker:
    """The checker protocol; subclasses define :meth:`expected`, :meth:`observe`, :meth:`judge`.

    ``answer`` is the name the student's answer has in the notebook (a checker is named
    ``check_<answer>``). ``forbidden`` holds the course's own implementations of the exercise
    (functions of ``utils``): an answer that is, or calls, one of them does not pass.
    """

    def __init__(self, answer, forbidden=()):
        self.answer = answer
        self.forbidden = tuple(f"{f.__module__}.{f.__qualname__}" for f in forbidden)

    def expected(self):
        """(a) What the judgement compares with (computed in the grader's process)."""
        raise NotImplementedError

    def observe(self, answer):
        """(b) What ``answer`` does, as JSON-ready data (runs where the answer lives)."""
        raise NotImplementedError

    def judge(self, expected, observation):
        """(c) The :class:`~utils.exercises.grading.Result` of comparing ``observation``
        with ``expected``."""
        raise NotImplementedError

    def verdict(self, expected, observation):
        """:meth:`~utils.exercises.grading.Checker.judge`, after the failures every checker
        shares: an answer that was not defined, that could not be observed, or that used the
        course's own implementation."""
        if not isinstance(observation, dict):
            return Result(False, f"✗ {self.answer}: no observation of the answer was made")
        if observation.get("missing"):
            return Result(
                False,
                f"✗ {self.answer} is not defined: run the cell that defines it, keep its name",
            )
        if "error" in observation:
            return Result(False, f"✗ {self.answer} could not be checked: {observation['error']}")
        if observation.get("forbidden"):
            used = observation["forbidden"]
            return Result(
                False,
                f"✗ {self.answer} uses the course's {used}: write your own",
            )
        return self.judge(expected, observation)

    def __call__(self, answer):
        """Check ``answer`` in this process: (a) + (b) + (c); print the line, return the Result."""
        observation = json.loads(json.dumps(self.observe(answer)))
        result = self.verdict(self.expected(), observation)
        print(result.message)
        return result

    def __repr__(self):
        return f"{type(self).__name__}({self.answer!r})"


class FunctionChecker(Checker):
    """A checker for an answer that is a function: called on every case, compared within ``tol``.

    ``inputs()`` returns ``[(args, hint), ...]`` (deterministic, so the grader and the student's
    kernel build the same cases); ``reference(*args)`` is the by-hand answer.
    """

    def __init__(self, answer, inputs, reference, tol=1e-8, forbidden=()):
        super().__init__(answer, forbidden)
        self.inputs, self.reference, self.tol = inputs, reference, tol

    def expected(self):
        return [Case(args, self.reference(*args), hint) for args, hint in self.inputs()]

    def observe(self, answer):
        if not callable(answer):
            return {"not_callable": type(answer).__name__}
        calls = []
        for args, _ in self.inputs():
            before = copy.deepcopy(args)
            with _Watch(self.forbidden) as watch:
                try:
                    got = {"value": encode(answer(*args))}
                except Exception as err:  # noqa: BLE001 - any error in student code is reported
                    got = {"raised": f"{type(err).__name__}: {_short(err)}"}
            if watch.used:
                return {"forbidden": watch.used}
            changed = _changed_argument(answer, before, args)
            if changed:
                got["changed"] = changed
            calls.append(got)
        return {"calls": calls}

    def judge(self, expected, observation):
        if "not_callable" in observation:
            return Result(
                False, f"✗ {self.answer} must be a function, got {observation['not_callable']}"
            )
        total = len(expected)
        for i, (case, call) in enumerate(zip(expected, observation["calls"], strict=True), 1):
            if "raised" in call:
                return failure(i, total, case.hint, f"{self.answer} raised {call['raised']}")
            got = decode(call["value"])
            if not close(got, case.expected, self.tol):
                text = f"expected {show(case.expected)}, got {show(got)}"
                return failure(i, total, case.hint, text)
            if "changed" in call:
                return failure(
                    i,
                    total,
                    case.hint,
                    f"{self.answer} changed its argument {call['changed']} in place: leave the "
                    "arrays you are given as they are and return new ones",
                )
        return Result(True, f"✓ {self.answer}: all {total} checks passed", total=total)


class _Watch:
    """Within ``with``: record the first call of one of ``forbidden`` (``module.name`` strings)."""

    def __init__(self, forbidden):
        self.names = {tuple(name.rsplit(".", 1)): name for name in forbidden}
        self.used = None

    def _profile(self, frame, event, arg):
        if event == "call" and self.used is None:
            key = (frame.f_globals.get("__name__"), frame.f_code.co_name)
            self.used = self.names.get(key)

    def __enter__(self):
        self._previous = sys.getprofile()
        if self.names:
            sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(self._previous)


def _changed_argument(fn, before, after):
    """The name (or position) of the first array argument that ``fn`` changed, else None."""
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        names = []
    for k, (old, new) in enumerate(zip(before, after, strict=True)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new, equal_nan=True):
            return names[k] if k < len(names) else f"number {k + 1}"
    return None


def _short(x):
    text = str(x)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


# ---------------------------------------------------------------- the JSON encoding of answers


def encode(x, depth=0):
    """``x`` as JSON-ready data: numbers and arrays keep their values, shape and dtype; tuples,
    lists and dicts their items (to a depth of 4); anything else its type and a short repr."""
    if x is None:
        return {"none": True}
    if isinstance(x, str):
        return {"str": _short(x)}
    if isinstance(x, (tuple, list)) and depth < 4:
        return {type(x).__name__: [encode(v, depth + 1) for v in x[:_MAX_TEXT]]}
    if isinstance(x, dict) and depth < 4:
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in x.items()]}
    try:
        arr = np.asarray(x)
    except Exception:  # noqa: BLE001 - an answer's own __array__ may raise anything
        arr = None
    if arr is not None and arr.dtype.kind in "biuf" and arr.size <= _MAX_ITEMS:
        return {"array": arr.tolist(), "shape": list(arr.shape), "dtype": arr.dtype.name}
    try:
        text = repr(x)
    except Exception:  # noqa: BLE001
        text = "?"
    return {"other": type(x).__name__, "repr": _short(text)}


class Unencoded:
    """An answer value that :func:`encode` kept only as its type and repr."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


def decode(data):
    """The value :func:`encode` described (numpy arrays for numbers, :class:`Unencoded` else)."""
    if "none" in data:
        return None
    if "str" in data:
        return data["str"]
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "list" in data:
        return [decode(v) for v in data["list"]]
    if "dict" in data:
        return {_hashable(decode(k)): decode(v) for k, v in data["dict"]}
    if "array" in data:
        return np.array(data["array"], dtype=data["dtype"]).reshape(data["shape"])
    return Unencoded(data["other"], data["repr"])


def _hashable(key):
    return key.item() if isinstance(key, np.ndarray) and key.ndim == 0 else key


def close(got, expected, tol):
    """Whether ``got`` has the shape of ``expected`` and is within ``tol`` of it (tuples item
    by item)."""
    if isinstance(expected, tuple):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(got, Unencoded):
        return False
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= tol))


def show(x):
    """``x`` as a checker message shows it (6 significant digits; the same on every machine)."""
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v) for v in x) + ")"
    if x is None:
        return "None"
    if isinstance(x, Unencoded):
        return repr(x)
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return repr(x)
    if not arr.ndim:
        return f"{float(arr):.6g}"
    options = dict(suppress=True, threshold=1000, linewidth=75, edgeitems=3, legacy=False)
    with np.printoptions(precision=6, **options):
        return np.array2string(arr, precision=6, floatmode="maxprec", sign="-")
