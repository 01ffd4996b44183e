"""Bad input raises ValueError/TypeError naming the argument, for every public function.

The cases, ``(call, exception type, message fragment)`` for each public function or class, are
in tests/support/bad_input_messages.py (one dict per module, gathered in ``ALL_CASES``).
``test_every_public_function_is_covered`` fails when a public function of any ``utils`` module
has no case.
"""

import importlib
import inspect
import pkgutil

import pytest

import utils
from tests.support.bad_input_messages import ALL_CASES

# Modules whose functions take no data to validate: the set-up call, figures, exercise checkers
# (which report a student's mistakes instead of raising).
EXEMPT_MODULES = {"lab", "plots", "exercises"}


def _public_functions():
    for info in pkgutil.iter_modules(utils.__path__):
        if info.name in EXEMPT_MODULES:
            continue
        module = importlib.import_module(f"utils.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and (inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__ == module.__name__
                and not _is_plain_record(obj)
            ):
                yield f"{info.name}.{name}"


def _is_plain_record(obj):
    """Records without checks hold values, not inputs: dataclasses without ``__post_init__``
    (e.g. data.Split, exercises.Case) and named tuples (e.g. training.LayerCache)."""
    if not inspect.isclass(obj):
        return False
    if hasattr(obj, "__dataclass_fields__"):
        return not hasattr(obj, "__post_init__")
    return issubclass(obj, tuple) and hasattr(obj, "_fields")


def test_every_public_function_is_covered():
    missing = sorted(set(_public_functions()) - set(ALL_CASES))
    assert not missing, f"add bad-input cases for: {missing}"


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_bad_input_is_refused_with_a_message(name):
    for call, error, fragment in ALL_CASES[name]:
        with pytest.raises(error) as info:
            call()
        assert fragment in str(info.value), f"{name}: {info.value!r} does not mention {fragment!r}"
