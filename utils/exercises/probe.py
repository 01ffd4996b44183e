"""What an answer is and does, as plain JSON data: the code that runs where the answer lives.

This one module is bound, alone, into a judge sandbox (``tools/judge.py``), where no other
course code exists; a notebook's checker uses it too, for the student's own feedback. So it
imports only the standard library and numpy (Keras lazily, for a model's facts), and nothing
it reports is trusted by itself: the grader checks every number against its own computation.

- :func:`encode` / :func:`decode`: values as JSON-ready data, with caps on size and depth
  (:func:`decode` raises ValueError on anything :func:`encode` would not have written);
- :func:`references`: the modules and globals a pickle names, read without loading it;
- :func:`call_answer`: what a function answer returns (or raises) on each case;
- :func:`model_facts`: what a Keras model is (its layers' classes, weights, activations, its
  compile settings) and what it predicts.
"""

from __future__ import annotations

import copy
import inspect
import io
import pickletools
import sys

import numpy as np

MAX_ITEMS = 100_000  # an array larger than this is described, not copied into the JSON
MAX_TEXT = 200  # characters of a repr, a string or an error message kept
MAX_LENGTH = 1_000  # items of a list, tuple or dict kept
MAX_DEPTH = 8  # nesting of lists, tuples and dicts kept


def short(x):
    """``str(x)``, at most :data:`MAX_TEXT` characters."""
    try:
        text = str(x)
    except Exception:  # noqa: BLE001 - an answer's __str__ may raise anything
        text = "?"
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


# ---------------------------------------------------------------- values as JSON data


def encode(x, depth=0):
    """``x`` as JSON-ready data: numbers and arrays keep their values, shape and dtype; tuples,
    lists and dicts their first :data:`MAX_LENGTH` items (to a depth of :data:`MAX_DEPTH`);
    anything else its type and a short repr."""
    if x is None:
        return {"none": True}
    if isinstance(x, str):
        return {"str": short(x)}
    if type(x) in (tuple, list) and depth < MAX_DEPTH:
        return {type(x).__name__: [encode(v, depth + 1) for v in x[:MAX_LENGTH]]}
    if type(x) is dict and depth < MAX_DEPTH:
        items = list(x.items())[:MAX_LENGTH]
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in items]}
    try:
        arr = np.asarray(x) if isinstance(x, (np.ndarray, np.generic, int, float)) else None
        if arr is None and hasattr(x, "__array__"):
            arr = np.asarray(x)
    except Exception:  # noqa: BLE001 - an answer's own __array__ may raise anything
        arr = None
    if (
        isinstance(arr, np.ndarray)
        and arr.dtype.kind in "biuf"
        and arr.size <= MAX_ITEMS
        and arr.ndim <= MAX_DEPTH
    ):
        return {"array": arr.tolist(), "shape": list(arr.shape), "dtype": arr.dtype.name}
    try:
        text = repr(x)
    except Exception:  # noqa: BLE001
        text = "?"
    return {"other": short(type(x).__name__), "repr": short(text)}


class Unencoded:
    """An answer value that :func:`encode` kept only as its type and repr."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_DTYPES += ("float16", "float32", "float64", "float128")


def _text(value, what):
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"{what} must be a short str")
    return value


def decode(data, depth=0):
    """The value :func:`encode` described (numpy arrays for numbers, :class:`Unencoded` for
    the rest). Data :func:`encode` would not write (from an untrusted report) raises
    ValueError."""
    if depth > MAX_DEPTH + 1 or not isinstance(data, dict) or len(data) not in (1, 2, 3):
        raise ValueError("not an encoded value")
    if data.get("none") is True:
        return None
    if "str" in data:
        return _text(data["str"], "str")
    for kind, make in (("tuple", tuple), ("list", list)):
        if kind in data:
            items = _items(data[kind])
            return make(decode(v, depth + 1) for v in items)
    if "dict" in data:
        pairs = _items(data["dict"])
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise ValueError("dict items must be pairs")
        return {_hashable(decode(k, depth + 1)): decode(v, depth + 1) for k, v in pairs}
    if "array" in data:
        return _array(data)
    if "other" in data and "repr" in data:
        return Unencoded(_text(data["other"], "type"), _text(data["repr"], "repr"))
    raise ValueError("not an encoded value")


def _items(items):
    if not isinstance(items, list) or len(items) > MAX_LENGTH:
        raise ValueError("items must be a list")
    return items


def _array(data):
    shape, dtype = data.get("shape"), data.get("dtype")
    if (
        dtype not in _DTYPES
        or not isinstance(shape, list)
        or len(shape) > MAX_DEPTH
        or not all(type(n) is int and 0 <= n <= MAX_ITEMS for n in shape)
        or int(np.prod(shape)) > MAX_ITEMS
    ):
        raise ValueError("not an encoded array")
    flat = []
    stack = [(data["array"], 0)]
    while stack:  # flatten without recursion, checking that it is a nest of numbers
        item, level = stack.pop()
        if isinstance(item, list) and level < len(shape) and len(item) == shape[level]:
            stack.extend((v, level + 1) for v in reversed(item))
        elif level == len(shape) and type(item) in (int, float, bool):
            flat.append(item)
        else:
            raise ValueError("the array's items do not match its shape")
    try:
        return np.array(flat, dtype=dtype).reshape(shape)
    except (OverflowError, ValueError) as err:
        raise ValueError(f"not an encoded array: {short(err)}") from None


def _hashable(key):
    if isinstance(key, np.ndarray):
        return key.item() if key.ndim == 0 else repr(key)
    try:
        hash(key)
    except TypeError:
        return repr(key)
    return key


# ---------------------------------------------------------------- what a pickle refers to

_STRINGS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "STRING"}
_STRINGS |= {"SHORT_BINSTRING", "BINSTRING"}
_IMPORTERS = {"subimport", "dynamic_subimport", "_import_module"}


def references(data):
    """The ``module`` or ``module.name`` strings a pickle (``data``: bytes) refers to by
    reference: its globals (``GLOBAL``, ``STACK_GLOBAL``) and the modules cloudpickle
    re-imports by name. Read with ``pickletools``: nothing in ``data`` runs. A pickle that
    cannot be read raises ValueError."""
    found, memo, recent, pending = [], {}, [], False
    try:
        for op, arg, _ in pickletools.genops(io.BytesIO(data)):
            name = op.name
            value = None
            if name in _STRINGS or name in ("BINGET", "LONG_BINGET", "GET"):
                value = arg if name in _STRINGS else memo.get(arg)
                value = value if isinstance(value, str) else None
                if pending and value is not None:
                    found.append(value)
                    pending = False
            elif name == "MEMOIZE":
                memo[len(memo)] = recent[-1] if recent else None
                continue
            elif name in ("PUT", "BINPUT", "LONG_BINPUT"):
                memo[arg] = recent[-1] if recent else None
                continue
            elif name == "GLOBAL":
                module, _, attr = str(arg).partition(" ")
                found.append(f"{module}.{attr}")
                pending = attr in _IMPORTERS
            elif name == "STACK_GLOBAL":
                module, attr = (recent[-2:] + [None, None])[:2] if len(recent) >= 2 else (None,) * 2
                if isinstance(module, str) and isinstance(attr, str):
                    found.append(f"{module}.{attr}")
                    pending = attr in _IMPORTERS
            recent.append(value)
    except Exception as err:  # noqa: BLE001 - a damaged pickle fails in many ways
        raise ValueError(f"not a pickle: {short(err)}") from None
    return found


def refused(data, allowed):
    """The first module of ``references(data)`` whose top package is not in ``allowed``
    (a set of top-level names; the standard library always is), or None."""

    for ref in references(data):
        root = ref.split(".", 1)[0]
        if root not in allowed and root not in sys.stdlib_module_names:
            return ref
    return None


# ---------------------------------------------------------------- what a function does


def call_answer(answer, calls):
    """``answer(*args)`` for each ``args`` of ``calls``: a list of ``{"value": ...}`` or
    ``{"raised": "Name: message"}``, with ``"changed"`` naming an array argument the answer
    changed in place."""
    if not callable(answer):
        return {"not_callable": short(type(answer).__name__)}
    results = []
    for args in calls:
        before = copy.deepcopy(args)
        try:
            got = {"value": encode(answer(*args))}
        except Exception as err:  # noqa: BLE001 - any error in student code is reported
            got = {"raised": f"{type(err).__name__}: {short(err)}"}
        changed = _changed_argument(answer, before, args)
        if changed:
            got["changed"] = changed
        results.append(got)
    return {"calls": results}


def _changed_argument(fn, before, after):
    """The name (or position) of the first array argument that ``fn`` changed, else None."""
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        names = []
    for k, (old, new) in enumerate(zip(before, after, strict=True)):
        if isinstance(old, np.ndarray) and not np.array_equal(old, new, equal_nan=True):
            return short(names[k]) if k < len(names) else f"number {k + 1}"
    return None


# ---------------------------------------------------------------- what a Keras model is


def _activation_name(layer):
    function = getattr(layer, "activation", None)
    name = getattr(function, "__name__", None)
    return name if isinstance(name, str) else None


def _layer_facts(layer, keras):
    cls = type(layer)
    facts = {
        "class": cls.__name__,
        "builtin": getattr(keras.layers, cls.__name__, None) is cls,
        "weights": [encode(np.asarray(w, dtype=float)) for w in layer.get_weights()],
    }
    activation = _activation_name(layer)
    if activation is not None:
        facts["activation"] = activation
    for key in ("strides", "padding", "data_format", "dilation_rate", "axis"):
        value = getattr(layer, key, None)
        if isinstance(value, (int, str)) or (
            isinstance(value, (tuple, list)) and all(isinstance(v, int) for v in value)
        ):
            facts[key] = list(value) if isinstance(value, (tuple, list)) else value
    return facts


def _loss_facts(loss, keras):
    if loss is None:
        return None
    if isinstance(loss, str):
        try:
            loss = keras.losses.get(loss)
        except ValueError:
            return {"class": short(loss), "from_logits": False}
    if inspect.isfunction(loss):
        name = "".join(part.capitalize() for part in loss.__name__.split("_"))
        return {"class": name, "from_logits": False}
    from_logits = getattr(loss, "from_logits", None)
    if from_logits is None:
        from_logits = bool(loss.get_config().get("from_logits", False))
    return {"class": type(loss).__name__, "from_logits": from_logits is True}


def _optimizer_facts(optimizer):
    if optimizer is None:
        return None
    lr = getattr(optimizer, "_learning_rate", None)
    facts = {"class": type(optimizer).__name__, "learning_rate": None}
    try:
        facts["learning_rate"] = float(np.asarray(lr))
    except (TypeError, ValueError):
        facts["schedule"] = short(type(lr).__name__)
    return facts


def model_facts(model, X):
    """What the Keras ``model`` is and does, as JSON-ready data: ``input_shape`` (one
    example's, None while it has none), ``layers`` (each one's class, whether it is Keras's
    own class of that name, its weights, activation and strides), ``loss`` (class,
    ``from_logits``) and ``optimizer`` (class, learning rate) as compiled (None before), and
    ``predictions`` on ``X`` (the model called in inference mode; None when it cannot be)."""
    import keras  # keeps TensorFlow out of `import utils` and out of a numpy judge

    if not isinstance(model, keras.Model):
        return {"not_a_model": short(type(model).__name__)}
    try:
        shape = [int(n) for n in model.input_shape[1:]]
    except (AttributeError, ValueError, TypeError):
        shape = None
    compiled = getattr(model, "compiled", False) is True
    facts = {
        "class": type(model).__name__,
        "builtin": type(model).__module__.startswith("keras.src.models.")
        and type(model).__name__ in ("Sequential", "Functional"),
        "input_shape": shape,
        "layers": [_layer_facts(layer, keras) for layer in model.layers],
        "loss": _loss_facts(getattr(model, "loss", None), keras) if compiled else None,
        "optimizer": _optimizer_facts(getattr(model, "optimizer", None)) if compiled else None,
        "predictions": None,
    }
    if shape is not None and list(X.shape[1:]) == shape:
        try:
            facts["predictions"] = encode(np.asarray(model(X, training=False), dtype=float))
        except Exception as err:  # noqa: BLE001 - a model that cannot predict is reported
            facts["predict_error"] = f"{type(err).__name__}: {short(err)}"
    return facts
