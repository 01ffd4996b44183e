"""Checking the Keras code a student writes: describe the model as plain data, compare it with
the exercise's :class:`ModelSpec`, and name the typical mistake with what to write instead.

:func:`describe_model` (runs in the student's kernel) reads a built or trained Keras model:
its input shape; each layer's class, units/filters/kernel_size/strides and activation; the
compiled loss (class, ``from_logits``) and optimizer (class, learning rate); and the last
``fit`` (epochs, steps per epoch, steps taken). :func:`compare` lists the checks of a spec
with the message of each failed one; :class:`KerasModelChecker` is the exercise checker.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass

from ..validation import as_bool, as_choice, as_instances, as_number, positive_int
from .grading import Checker, Result, failure

TASKS = ("binary", "multiclass", "multilabel", "regression")
LABEL_FORMATS = ("integers", "one-hot")
_SQUASHING = ("sigmoid", "softmax")
_CROSS_ENTROPIES = (
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
)


def _optional(check, name, value, **bounds):
    """``value`` checked by ``check`` (a :mod:`utils.validation` check), or None."""
    return None if value is None else check(name, value, **bounds)


def _int_tuple(name, value):
    """None, or an int or a sequence of them, as a tuple of positive ints."""
    if value is None:
        return None
    value = (value,) if isinstance(value, int) else tuple(value)
    return tuple(positive_int(name, v) for v in value)


@dataclass(frozen=True)
class LayerSpec:
    """A layer the exercise asks for: ``cls`` (``"Dense"``, ``"Conv2D"``, ``"Flatten"``...)
    and the settings that matter (None: any)."""

    cls: str
    units: int | None = None
    activation: str | None = None
    filters: int | None = None
    kernel_size: tuple | None = None
    strides: tuple | None = None

    def __post_init__(self):
        if not isinstance(self.cls, str) or not self.cls:
            raise TypeError(f"LayerSpec: cls must be a layer class name, got {self.cls!r}")
        for name in ("units", "filters"):
            _optional(positive_int, name, getattr(self, name))
        for name in ("kernel_size", "strides"):
            object.__setattr__(self, name, _int_tuple(name, getattr(self, name)))
        if self.activation is not None and not isinstance(self.activation, str):
            raise TypeError(f"LayerSpec: activation must be a name, got {self.activation!r}")

    def code(self):
        """How the layer is written in Keras, e.g. ``Dense(10, activation="softmax")``."""
        args = [str(v) for v in (self.filters, self.units) if v is not None]
        if self.kernel_size is not None:
            args.append(
                str(self.kernel_size[0] if len(set(self.kernel_size)) == 1 else self.kernel_size)
            )
        if self.strides is not None and set(self.strides) != {1}:
            args.append(f"strides={self.strides[0]}")
        if self.activation is not None:
            args.append(f'activation="{self.activation}"')
        return f"{self.cls}({', '.join(args)})"


@dataclass(frozen=True)
class ModelSpec:
    """What a Keras exercise asks for, as plain data.

    ``input_shape``: one example's shape, e.g. ``(64,)``; ``layers``: :class:`LayerSpec` s in
    order, the last one the output layer; ``task``: one of :data:`TASKS` (it names the right
    output activation in messages); ``labels``: for ``"multiclass"``, ``"integers"`` or
    ``"one-hot"`` (sparse or plain categorical cross-entropy). Optional: ``loss`` (a Keras loss
    class name) with ``from_logits``; ``optimizer`` (a class name) with ``learning_rate``;
    ``epochs``, ``batch_size`` and ``examples`` (the training set's size) for the ``fit`` call.
    """

    input_shape: tuple
    layers: tuple
    task: str
    labels: str = "integers"
    loss: str | None = None
    from_logits: bool = False
    optimizer: str | None = None
    learning_rate: float | None = None
    epochs: int | None = None
    batch_size: int | None = None
    examples: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "input_shape", _int_tuple("input_shape", self.input_shape))
        layers = as_instances("layers", self.layers, LayerSpec, "LayerSpec")
        object.__setattr__(self, "layers", tuple(layers))
        as_choice("task", self.task, TASKS)
        as_choice("labels", self.labels, LABEL_FORMATS)
        as_bool("from_logits", self.from_logits)
        _optional(as_number, "learning_rate", self.learning_rate, above=0)
        for name in ("epochs", "batch_size", "examples"):
            _optional(positive_int, name, getattr(self, name))
        if self.batch_size is not None and self.examples is None:
            raise ValueError("ModelSpec: batch_size needs examples (the training set's size)")


def digits_spec(output="softmax", **fit):
    """The lecture's digits model (Labs 3, 4 and 6): 64 pixels -> Dense(25, relu) ->
    Dense(15, relu) -> Dense(10, ``output``), integer labels 0-9,
    SparseCategoricalCrossentropy (``from_logits`` with a linear output) and
    Adam(learning_rate=1e-3). ``fit``: ``epochs``, ``batch_size`` and ``examples``, if the
    exercise asks for a ``fit``."""
    return ModelSpec(
        input_shape=(64,),
        layers=(
            LayerSpec("Dense", 25, "relu"),
            LayerSpec("Dense", 15, "relu"),
            LayerSpec("Dense", 10, output),
        ),
        task="multiclass",
        labels="integers",
        loss="SparseCategoricalCrossentropy",
        from_logits=output == "linear",
        optimizer="Adam",
        learning_rate=1e-3,
        **fit,
    )


# ---------------------------------------------------------------- (b) describe what was built


def _class_name(loss):
    """A loss given as an object, a function or a string, as its Keras class name
    (``"binary_crossentropy"`` -> ``"BinaryCrossentropy"``, ``"mse"`` -> ``"MeanSquaredError"``)."""
    if isinstance(loss, str):
        import keras  # keeps TensorFlow out of `import utils`

        try:
            loss = keras.losses.get(loss)
        except ValueError:
            return loss
    if inspect.isfunction(loss):
        return "".join(part.capitalize() for part in loss.__name__.split("_"))
    return type(loss).__name__


def _layer(layer):
    config = layer.get_config()
    described = {"class": type(layer).__name__}
    for key in ("units", "filters", "kernel_size", "strides", "activation"):
        if key in config:
            value = config[key]
            if isinstance(value, dict):  # a serialized activation object
                value = value.get("config", {}).get("name") or value.get("class_name")
            described[key] = list(value) if isinstance(value, tuple) else value
    if described["class"] == "Softmax":
        described["activation"] = "softmax"
    return described


def _loss(model):
    loss = getattr(model, "loss", None)
    if loss is None:
        return None
    config = loss.get_config() if hasattr(loss, "get_config") else {}
    return {"class": _class_name(loss), "from_logits": bool(config.get("from_logits", False))}


def _optimizer(model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return None
    lr = getattr(optimizer, "_learning_rate", None)
    if lr is not None and not hasattr(lr, "numpy") and not isinstance(lr, (int, float)):
        return {
            "class": type(optimizer).__name__,
            "learning_rate": None,
            "schedule": type(lr).__name__,
        }
    return {"class": type(optimizer).__name__, "learning_rate": float(optimizer.learning_rate)}


def _fit(model):
    history = getattr(model, "history", None)
    params = getattr(history, "params", None) or {}
    if not params:
        return None
    optimizer = getattr(model, "optimizer", None)
    steps = int(optimizer.iterations) if optimizer is not None else None
    return {
        "epochs": params.get("epochs"),
        "epochs_run": len(getattr(history, "epoch", [])),
        "steps_per_epoch": params.get("steps"),
        "steps_taken": steps,
    }


def describe_model(model):
    """What a Keras model is, as JSON-ready data: ``class``, ``input_shape`` (one example's,
    None while the model has none), ``layers`` (class, units/filters/kernel_size/strides,
    activation), ``loss`` and ``optimizer`` (None before ``compile``), ``fit`` (None before
    ``fit``: epochs asked and run, steps per epoch, optimizer steps taken in all)."""
    import keras  # keeps TensorFlow out of `import utils`

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    try:
        shape = list(model.input_shape[1:])
    except (AttributeError, ValueError):
        shape = None
    compiled = getattr(model, "compiled", False)
    return {
        "class": type(model).__name__,
        "input_shape": shape,
        "layers": [_layer(layer) for layer in model.layers],
        "loss": _loss(model) if compiled else None,
        "optimizer": _optimizer(model) if compiled else None,
        "fit": _fit(model),
    }


# ---------------------------------------------------------------- (c) compare with the spec


def _output_activation(layers):
    """The activation the model ends with (an ``Activation``/``Softmax`` layer counts)."""
    for layer in reversed(layers):
        if layer.get("activation") is not None:
            return layer["activation"]
    return "linear"


def _loss_code(spec):
    logits = "from_logits=True" if spec.from_logits else ""
    return f"{spec.loss}({logits})"


def _check_input(spec, model):
    want = f"keras.Input(shape={spec.input_shape})"
    if model["input_shape"] is None:
        return f"the model has no input shape: start it with {want}"
    if tuple(model["input_shape"]) != spec.input_shape:
        return f"the input shape is {tuple(model['input_shape'])}: write {want}"
    return None


def _check_layers(spec, model):
    got = [layer["class"] for layer in model["layers"] if layer["class"] != "InputLayer"]
    want = [layer.cls for layer in spec.layers]
    if got != want:
        return (
            f"the layers are {', '.join(got) or 'none'}; the exercise asks for "
            f"{', '.join(layer.code() for layer in spec.layers)}"
        )
    return None


def _check_layer(spec, k, layer_spec, model, output):
    layer = [lay for lay in model["layers"] if lay["class"] != "InputLayer"][k]
    where = "the output layer" if output else f"layer {k + 1} ({layer['class']})"
    for key in ("units", "filters", "kernel_size", "strides"):
        want = getattr(layer_spec, key)
        got = layer.get(key)
        got = tuple(got) if isinstance(got, list) else got
        if want is not None and got != want:
            if output and key == "units":
                return _output_units_message(spec, got, where)
            shown = f"{got} {key}" if key in ("units", "filters") else f"{key} {got}"
            return f"{where} has {shown.replace('_', ' ')}; write {layer_spec.code()}"
    want, got = layer_spec.activation, layer.get("activation")
    if not output and want is not None and got != want:
        default = "hidden layers use ReLU by default: " if want == "relu" else ""
        return f"{where} has activation {got}; {default}write {layer_spec.code()}"
    return None


def _output_units_message(spec, got, where):
    units = spec.layers[-1].units
    need = {
        "binary": "a yes/no target needs 1 output unit",
        "multiclass": f"{units} classes need {units} output units, one per class",
        "multilabel": f"{units} labels need {units} output units, one per label",
        "regression": "one number to predict needs 1 output unit",
    }[spec.task]
    plural = "unit" if got == 1 else "units"
    return f"{where} has {got} {plural}; {need}: write {spec.layers[-1].code()}"


def _check_activation(spec, model):
    want = spec.layers[-1].activation
    got = _output_activation(model["layers"])
    loss = model["loss"]
    if want is None or got == want:
        return None
    code = spec.layers[-1].code()
    if got in _SQUASHING and loss and loss["from_logits"]:
        return (
            f"from_logits=True with a {got} output applies {got} twice: write {code} "
            "(a linear output gives the logits)"
            if want == "linear"
            else f"the {got} output already gives probabilities: drop from_logits=True"
        )
    if spec.task == "regression" and want == "relu":
        return f"the target is never negative; a ReLU output keeps f(x) >= 0: write {code}"
    if spec.task == "regression" and got == "relu":
        return f"a ReLU output is never negative, but this target can be: write {code}"
    reasons = {
        ("binary", "softmax"): "softmax over one unit is always 1",
        ("multiclass", "sigmoid"): "sigmoid scores each class alone; they must sum to 1",
        ("multilabel", "softmax"): "softmax makes the labels compete (they sum to 1); each "
        "label needs its own sigmoid",
        ("regression", "sigmoid"): "sigmoid outputs lie between 0 and 1",
        ("binary", "sigmoid"): "the recommended form leaves the sigmoid to the loss",
        ("multilabel", "sigmoid"): "the recommended form leaves the sigmoid to the loss",
    }
    reason = reasons.get((spec.task, got), f"a {got} output is not what this task needs")
    return f"{reason}: write {code}"


def _check_loss(spec, model):
    loss = model["loss"]
    if loss is None:
        return f"the model is not compiled: model.compile(loss={_loss_code(spec)}, ...)"
    if loss["class"] != spec.loss:
        sparse = {"SparseCategoricalCrossentropy", "CategoricalCrossentropy"}
        if {loss["class"], spec.loss} == sparse:
            form = (
                "integers 0..k-1: use SparseCategoricalCrossentropy (CategoricalCrossentropy "
                "expects one-hot rows)"
                if spec.labels == "integers"
                else "one-hot rows: use CategoricalCrossentropy (SparseCategoricalCrossentropy "
                "expects integers)"
            )
            return f"the labels are {form}: loss={_loss_code(spec)}"
        return f"the loss is {loss['class']}; write loss={_loss_code(spec)}"
    if loss["from_logits"] != spec.from_logits:
        if spec.from_logits:
            return (
                "a linear output gives logits, but the loss reads them as probabilities: "
                f"write {_loss_code(spec)}"
            )
        return f"the output gives probabilities, not logits: write {spec.loss}()"
    return None


def _check_logits_pairing(spec, model):
    """A linear output with a cross-entropy that is not told ``from_logits``."""
    loss = model["loss"]
    got = _output_activation(model["layers"])
    if loss and loss["class"] in _CROSS_ENTROPIES and got == "linear" and not loss["from_logits"]:
        return (
            "a linear output gives logits, but the loss reads them as probabilities: write "
            f"{loss['class']}(from_logits=True)"
        )
    return None


def _check_optimizer(spec, model):
    optimizer = model["optimizer"]
    want = f"keras.optimizers.{spec.optimizer}(learning_rate={spec.learning_rate})"
    if optimizer is None:
        return f"the model is not compiled: model.compile(optimizer={want}, ...)"
    if optimizer["class"] != spec.optimizer:
        return f"the optimizer is {optimizer['class']}; write optimizer={want}"
    return None


def _check_learning_rate(spec, model):
    optimizer = model["optimizer"] or {}
    got = optimizer.get("learning_rate")
    want = spec.learning_rate
    if got is None or not math.isclose(got, want, rel_tol=1e-6):
        shown = optimizer.get("schedule") or got
        return (
            f"the learning rate is {shown}; write {spec.optimizer or 'the optimizer'}"
            f"(learning_rate={want})"
        )
    return None


def _fit_code(spec):
    args = [f"epochs={spec.epochs}"] if spec.epochs else []
    args += [f"batch_size={spec.batch_size}"] if spec.batch_size else []
    return f"model.fit(X, y, {', '.join(args)})"


def _check_fit(spec, model):
    fit = model["fit"]
    if fit is None:
        return f"the model has not been trained: call {_fit_code(spec)}"
    if spec.epochs is not None and fit["epochs_run"] != spec.epochs:
        return f"fit ran {fit['epochs_run']} epochs; write {_fit_code(spec)}"
    if spec.batch_size is not None:
        want = math.ceil(spec.examples / spec.batch_size)
        got = fit["steps_per_epoch"]
        if got != want:
            return (
                f"fit took {got} step(s) per epoch over {spec.examples} examples; batch_size="
                f"{spec.batch_size} takes {want}: write {_fit_code(spec)}"
            )
    taken, per_fit = fit["steps_taken"], (fit["steps_per_epoch"] or 0) * fit["epochs_run"]
    if taken is not None and per_fit and taken != per_fit:
        return (
            f"the model took {taken} steps, not the {per_fit} of one fit: it was trained more "
            "than once; rebuild it (re-run its cells from the top) and fit it once"
        )
    return None


def checks(spec):
    """The checks of ``spec``, in order: a list of (hint, check) where ``check(spec, model)``
    returns the failure message for a :func:`describe_model` description, or None."""
    if not isinstance(spec, ModelSpec):
        raise TypeError(f"spec must be a ModelSpec, got {type(spec).__name__}")
    found = [("input shape", _check_input), ("layers", _check_layers)]
    n = len(spec.layers)
    for k, layer_spec in enumerate(spec.layers):
        hint = "output layer" if k == n - 1 else f"layer {k + 1}"
        found.append((hint, lambda s, m, k=k, ls=layer_spec: _check_layer(s, k, ls, m, k == n - 1)))
    found.append(("output activation", _check_activation))
    if spec.loss is not None:
        found.append(("loss", _check_loss))
    else:
        found.append(("loss and output", _check_logits_pairing))
    if spec.optimizer is not None:
        found.append(("optimizer", _check_optimizer))
    if spec.learning_rate is not None:
        found.append(("learning rate", _check_learning_rate))
    if spec.epochs is not None or spec.batch_size is not None:
        found.append(("fit", _check_fit))
    return found


def compare(spec, model):
    """Every check of ``spec`` on the description ``model`` (from :func:`describe_model`):
    a list of (hint, message), message None where the check passed. A check after a failed
    layer-structure check is skipped (None), since its layers cannot be matched."""
    if not isinstance(model, dict) or "layers" not in model:
        raise TypeError("model must be the dict describe_model returns")
    results, structure_ok = [], True
    for hint, check in checks(spec):
        if not structure_ok:
            results.append((hint, None))
            continue
        message = check(spec, model)
        results.append((hint, message))
        if hint == "layers" and message is not None:
            structure_ok = False
    return results


class KerasModelChecker(Checker):
    """The checker of a Keras exercise: ``answer`` names the student's model, ``spec`` is the
    :class:`ModelSpec` it must meet. The first failed check is reported with what to write."""

    def __init__(self, answer, spec):
        super().__init__(answer)
        if not isinstance(spec, ModelSpec):
            raise TypeError(f"spec must be a ModelSpec, got {type(spec).__name__}")
        self.spec = spec

    def expected(self):
        return self.spec

    def observe(self, answer):
        if answer is None:  # the exercise's stub
            return {"none": True}
        try:
            return {"model": describe_model(answer)}
        except TypeError as err:
            return {"not_a_model": str(err)}

    def judge(self, expected, observation):
        if observation.get("none"):
            return failure(
                1,
                len(checks(expected)),
                "a Keras model",
                f"{self.answer} is None: define it with Sequential",
            )
        if "not_a_model" in observation:
            return Result(False, f"✗ {self.answer}: {observation['not_a_model']}")
        results = compare(expected, observation["model"])
        for i, (hint, message) in enumerate(results, start=1):
            if message is not None:
                return failure(i, len(results), hint, message)
        total = len(results)
        return Result(True, f"✓ {self.answer}: all {total} checks passed", total=total)
