"""Checkers for the labs' exercises: they call the student's function on cases with known
answers (from the by-hand implementations in ``utils``) and print what went wrong, or that
every case passed. A checker never raises on a wrong answer; it explains it.
"""

from dataclasses import dataclass

import numpy as np

from . import logistic_regression


@dataclass(frozen=True)
class Case:
    """One check: call with ``args``; the answer should be ``expected``; ``hint`` names the case."""

    args: tuple
    expected: object
    hint: str


def _close(got, expected, tol):
    if isinstance(expected, tuple):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(_close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= tol))


def run_checks(fn, cases, tol=1e-8):
    """Run ``fn`` on every :class:`Case`; print the first failure or a success line.

    A case passes when the answer has the expected shape and is within ``tol`` of it.
    """
    name = getattr(fn, "__name__", "your function")
    for i, case in enumerate(cases, start=1):
        try:
            got = fn(*case.args)
        except Exception as err:  # noqa: BLE001 - any error in student code is reported
            print(
                f"✗ check {i}/{len(cases)} ({case.hint}): {name} raised {type(err).__name__}: {err}"
            )
            return
        if not _close(got, case.expected, tol):
            print(
                f"✗ check {i}/{len(cases)} ({case.hint}): expected {_show(case.expected)}, "
                f"got {_show(got)}"
            )
            return
    print(f"✓ {name}: all {len(cases)} checks passed")


def _show(x):
    if isinstance(x, tuple):
        return "(" + ", ".join(_show(v) for v in x) + ")"
    if x is None:
        return "None"
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return repr(x)
    return np.array2string(arr, precision=6) if arr.ndim else f"{float(arr):.6g}"


def _logistic_cases():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1, 1, 0, 1, 0])
    w, b = np.array([0.5, -1.0]), 0.25
    return [
        ((X, y, np.zeros(2), 0.0), "w = 0, b = 0: every f is 0.5"),
        ((X, y, w, b), "six examples, two features"),
        ((X[:1], y[:1], w, b), "a single example"),
        ((X * 3, y, w, -2.0), "larger inputs, negative bias"),
    ]


def check_logistic_cost(fn):
    """Checker for Lab 1's exercise: ``fn(X, y, w, b)`` -> J(w, b), the mean logistic loss."""
    cases = [Case(args, logistic_regression.cost(*args), hint) for args, hint in _logistic_cases()]
    run_checks(fn, cases)


def check_gradient_descent_step(fn):
    """Checker for Lab 1's exercise: ``fn(X, y, w, b, alpha)`` -> new ``(w, b)`` after one step."""
    cases = [
        Case(
            args + (alpha,),
            logistic_regression.gradient_descent_step(*args, alpha),
            f"{hint}, alpha = {alpha}",
        )
        for (args, hint), alpha in zip(_logistic_cases(), (0.1, 0.5, 1.0, 0.01), strict=True)
    ]
    run_checks(fn, cases)
