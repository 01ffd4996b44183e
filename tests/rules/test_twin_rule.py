"""One twin rule, by names alone, and what the book's utils reference makes of it.

A by-hand function ``f`` has the Keras twin ``f_keras``; a by-hand method ``C.f`` may have the
twin function ``f_keras``; a class has ``to_keras()``. Nothing else looks like a twin, and
``check_*`` names belong to the exercise checkers only.
"""

import importlib
import inspect
import pkgutil
import sys
import types

import pytest

import utils
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
import course_book  # noqa: E402

MODULES = [f"utils.{m.name}" for m in pkgutil.iter_modules(utils.__path__)]
EXERCISE_MODULES = ("utils.exercises",)  # the checkers (a module, or a package of them)


def _fake_module():
    module = types.ModuleType("fake")

    def f():
        """by hand"""

    def f_keras():
        """its twin"""

    def g():
        """no twin"""

    def fit_keras():
        """the twin of the method C.fit"""

    def lonely_keras():
        """pairs with nothing"""

    class C:
        def fit(self):
            """a method with a twin function"""

        def to_keras(self):
            """the class's twin"""

    class D:
        def predict(self):
            """no twin"""

    for obj in (f, f_keras, g, fit_keras, lonely_keras, C, D):
        obj.__module__ = "fake"
        setattr(module, obj.__name__, obj)
    return module


def test_twin_rows_pair_by_names_alone():
    assert course_book.twin_rows(_fake_module()) == [
        ("f", "f_keras"),
        ("g", ""),
        ("C", "C.to_keras"),
        ("C.fit", "fit_keras"),
        ("D", ""),
        ("", "lonely_keras"),
    ]


def test_twin_rows_of_a_utils_module():
    rows = course_book.twin_rows(importlib.import_module("utils.training"))
    assert ("Model.cost_and_gradients", "cost_and_gradients_keras") in rows
    assert ("Model", "") in rows and ("epochs_to_reach", "") in rows
    rows = course_book.twin_rows(importlib.import_module("utils.network"))
    assert ("Network", "Network.to_keras") in rows


def _public(module):
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    ]


@pytest.mark.parametrize("name", MODULES)
def test_every_keras_function_is_a_twin(name):
    """No unpaired `_keras` function; no `keras_x` or `x_keras_y` names, which only look like
    twins; no Keras method other than `to_keras`."""
    module = importlib.import_module(name)
    unpaired = [keras for numpy, keras in course_book.twin_rows(module) if not numpy]
    assert not unpaired, f"{name}: Keras functions with no by-hand twin: {unpaired}"
    for member, obj in _public(module):
        names = [member] + (
            [f"{member}.{m}" for m in vars(obj) if not m.startswith("_")]
            if inspect.isclass(obj)
            else []
        )
        for full in names:
            last = full.rsplit(".", 1)[-1]
            assert not last.startswith("keras_") and "_keras_" not in last, full
            if inspect.isclass(obj) and "." in full:
                assert last == "to_keras" or "keras" not in last, full


@pytest.mark.parametrize("name", [m for m in MODULES if not m.startswith(EXERCISE_MODULES)])
def test_check_names_belong_to_exercise_checkers(name):
    """Validators are `validate_*` or `as_*`; the gradient check is `gradient_check`."""
    module = importlib.import_module(name)
    assert not [member for member, _ in _public(module) if member.startswith("check_")]
