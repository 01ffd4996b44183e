"""Property test: every public function and method of ``utils`` refuses bad arguments by name.

For each one, :data:`CALLS` holds a valid call (built fresh for every example) and what kind of
value each argument is. Hypothesis replaces one argument with a value of the wrong type, shape,
dtype or range for its kind; the call must raise ValueError or TypeError, and the message must
name that argument. ``test_valid_calls_succeed`` proves every valid call works, so a refusal is
about the bad value. ``test_every_public_callable_has_a_valid_call`` keeps the table complete.
"""

import importlib
import inspect
import pkgutil
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import utils
from tests.support.bad_input_cases import CALLS, bad_values

EXEMPT_MODULES = {"lab", "plots", "figure_output", "exercises"}  # set-up, figures, checkers
# (figure_output: its bad-input cases are in tests/support/bad_input_messages.py; checkers
# never raise)
MAX_EXAMPLES = 25  # per callable; each example replaces one argument with a bad value


def _public_callables():
    """``module.name`` for functions and classes, ``module.Class.member`` for the public
    methods and properties a class defines itself (records without checks excluded)."""
    for info in pkgutil.iter_modules(utils.__path__):
        if info.name in EXEMPT_MODULES:
            continue
        module = importlib.import_module(f"utils.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}"
            elif inspect.isclass(obj):
                record = (issubclass(obj, tuple) and hasattr(obj, "_fields")) or (
                    hasattr(obj, "__dataclass_fields__") and not hasattr(obj, "__post_init__")
                )
                if not record and not inspect.isabstract(obj) and name != "Model":
                    yield f"{info.name}.{name}"
                for member, value in vars(obj).items():
                    if not member.startswith("_") and not _internal(info.name, obj, member) and (
                        inspect.isfunction(value) or isinstance(value, property)
                    ):
                        yield f"{info.name}.{name}.{member}"


def _internal(module, cls, member):
    """A method of ``utils.INTERNAL_API`` or an override of one: it trusts its inputs."""
    return any(f"{module}.{base.__name__}.{member}" in utils.INTERNAL_API for base in cls.__mro__)


def _covered(key):
    return key in CALLS or any(k.startswith(key + "[") for k in CALLS)


def test_every_public_callable_has_a_valid_call():
    """Each public function, class and method is in CALLS (None: it takes no arguments)."""
    missing = sorted(key for key in _public_callables() if not _covered(key))
    assert not missing, f"add a valid call and argument kinds to CALLS for: {missing}"
    for key, call in CALLS.items():
        if call is None:
            module, *path = key.split(".")
            obj = importlib.import_module(f"utils.{module}")
            for part in path:
                obj = getattr(obj, part)
            params = [] if isinstance(obj, property) else list(inspect.signature(obj).parameters)
            assert params in ([], ["self"]), f"{key} takes arguments: give it a valid call"


CASES = sorted(key for key, call in CALLS.items() if call is not None)


@pytest.mark.parametrize("key", CASES)
def test_valid_calls_succeed(key):
    fn, kwargs = CALLS[key].make()
    fn(**kwargs)


def _names(message, word):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", message) is not None


@pytest.mark.parametrize("key", CASES)
def test_bad_arguments_are_refused_naming_them(key):
    """One argument replaced by a value of the wrong type, shape, dtype or range: a
    ValueError/TypeError whose message names that argument."""
    call = CALLS[key]

    @settings(max_examples=MAX_EXAMPLES, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data):
        fn, kwargs = call.make()
        arg = data.draw(st.sampled_from(sorted(call.kinds)), label="argument")
        kwargs[arg] = data.draw(bad_values(call.kinds[arg], kwargs[arg]), label="bad value")
        with pytest.raises((ValueError, TypeError)) as info:
            fn(**kwargs)
        word = call.names.get(arg, arg)
        assert _names(str(info.value), word), (
            f"{key}({arg}=...): {type(info.value).__name__}({info.value}) does not name {word!r}"
        )

    check()
