"""Checking the Keras code a student writes: describe the model from what it is, compare it with
the exercise's :class:`ModelSpec`, and name the typical mistake with what to write instead.

A model's raw facts (:func:`utils.exercises.probe.model_facts`: each layer's class, weights,
activation and strides, the compiled loss and optimizer, predictions on drawn inputs) are made
where the model lives (a judge sandbox, or the notebook for the student's own feedback).
:func:`describe` reads the units, filters and kernel sizes from the weights' shapes;
:func:`forward_pass` re-computes the predictions in numpy, so a description that is not the
real model fails; :func:`fit_calls` reads how the notebook fitted the model from its code.
:func:`compare` lists the checks of a spec with the message of each failed one;
:class:`KerasModelChecker` is the exercise checker.
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass

import numpy as np

from ..activations import KERNELS
from ..losses import log_softmax
from ..validation import as_bool, as_choice, as_instances, as_number, positive_int
from .grading import ALL, Checker, Result, failure
from .probe import decode, model_facts

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

    ``from_logits``: False asks for the probability form (the last layer's ``activation``,
    e.g. sigmoid or softmax, and a loss on probabilities); True for the stable form (a
    linear output and ``from_logits=True``; the last layer's activation is then
    ``"linear"``); None accepts either, the student's decision (the last layer's activation
    names the probability form).
    """

    input_shape: tuple
    layers: tuple
    task: str
    labels: str = "integers"
    loss: str | None = None
    optimizer: str | None = None
    learning_rate: float | None = None
    epochs: int | None = None
    batch_size: int | None = None
    examples: int | None = None
    from_logits: bool | None = False

    @classmethod
    def dense(cls, n_inputs, layers, **settings):
        """A spec of ``Dense`` layers on ``n_inputs`` features: ``layers`` as (units,
        activation) pairs, the last one the output layer; ``settings`` as the class takes."""
        specs = tuple(LayerSpec("Dense", units, activation) for units, activation in layers)
        return cls((n_inputs,), specs, **settings)

    def __post_init__(self):
        object.__setattr__(self, "input_shape", _int_tuple("input_shape", self.input_shape))
        layers = as_instances("layers", self.layers, LayerSpec, "LayerSpec")
        object.__setattr__(self, "layers", tuple(layers))
        as_choice("task", self.task, TASKS)
        as_choice("labels", self.labels, LABEL_FORMATS)
        _optional(as_bool, "from_logits", self.from_logits)
        _optional(as_number, "learning_rate", self.learning_rate, above=0)
        for name in ("epochs", "batch_size", "examples"):
            _optional(positive_int, name, getattr(self, name))
        if self.batch_size is not None and self.examples is None:
            raise ValueError("ModelSpec: batch_size needs examples (the training set's size)")


def digits_spec(**fit):
    """The lecture's digits model (Labs 3 and 6): 64 pixels -> Dense(25, relu) ->
    Dense(15, relu) -> Dense(10), integer labels 0-9, SparseCategoricalCrossentropy and
    Adam(learning_rate=1e-3); a softmax output or the stable form (a linear output,
    ``from_logits=True``), the student's decision. ``fit``: ``epochs``, ``batch_size`` and
    ``examples``, if the exercise asks for a ``fit``."""
    return ModelSpec.dense(
        64,
        [(25, "relu"), (15, "relu"), (10, "softmax")],
        task="multiclass",
        labels="integers",
        loss="SparseCategoricalCrossentropy",
        from_logits=None,
        optimizer="Adam",
        learning_rate=1e-3,
        **fit,
    )


# ---------------------------------------------------------------- (b) what was built, from facts

_ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax"}


def _weights(layer):
    weights = layer.get("weights")
    if not isinstance(weights, list):
        raise ValueError("a layer's weights must be a list")
    return [np.asarray(decode(w), dtype=float) for w in weights]


def _activation(layer):
    name = _ACTIVATION_LAYERS.get(layer.get("class"), layer.get("activation", "linear"))
    return name if isinstance(name, str) else None


def _conv1d(x, kernel, strides):
    """A 'valid' Conv1D of ``x: (m, length, in)`` with ``kernel: (size, in, filters)``."""
    size = kernel.shape[0]
    positions = (x.shape[1] - size) // strides + 1
    windows = np.stack([x[:, j * strides : j * strides + size, :] for j in range(positions)], 1)
    return np.einsum("mpki,kif->mpf", windows, kernel)


def _layer_forward(layer, x):
    """One layer of a model's facts on ``x``, in numpy (ValueError: not one it can compute)."""
    cls, weights = layer.get("class"), _weights(layer)
    kernels = KERNELS.get(_activation(layer))  # the course's own activations (the grader's side)
    act = None if kernels is None else kernels.g
    if act is None:
        raise ValueError(f"activation {_activation(layer)!r}")
    if cls == "Dense" and len(weights) in (1, 2) and weights[0].ndim == 2:
        z = x @ weights[0]
    elif cls == "Conv1D" and len(weights) in (1, 2) and weights[0].ndim == 3 and x.ndim == 3:
        strides = layer.get("strides")
        if layer.get("padding") != "valid" or layer.get("dilation_rate") != [1]:
            raise ValueError("a Conv1D layer that is not the lecture's ('valid', no dilation)")
        if not (isinstance(strides, list) and len(strides) == 1 and strides[0] >= 1):
            raise ValueError("a Conv1D layer without strides")
        z = _conv1d(x, weights[0], strides[0])
    elif cls == "InputLayer" and not weights:  # a functional model lists its input
        return x
    elif cls == "Flatten" and not weights:
        return x.reshape(len(x), -1)
    elif cls in ("Activation", *_ACTIVATION_LAYERS) and not weights:
        return act(x)
    else:
        raise ValueError(f"a {cls} layer")
    if len(weights) == 2:
        z = z + weights[1]
    return act(z)


def forward_pass(facts, X):
    """What the layers of ``facts`` (from :func:`~utils.exercises.probe.model_facts`)
    compute on ``X``, by numpy; ValueError for a layer or activation it does not know."""
    x = np.asarray(X, dtype=float)
    for layer in facts["layers"]:
        x = _layer_forward(layer, x)
    return x


def _units(layer, weights):
    if layer["class"] == "Dense" and weights:
        return {"units": int(weights[0].shape[-1])}
    if layer["class"].startswith("Conv") and weights:
        padding = layer.get("padding")
        return {
            "filters": int(weights[0].shape[-1]),
            "kernel_size": list(weights[0].shape[:-2]),
            "strides": layer.get("strides"),
            "padding": padding[:20] if isinstance(padding, str) else None,
        }
    return {}


def describe(facts, fit=None):
    """A model's description for :func:`compare`, from its raw ``facts``: each layer's class,
    units or filters and kernel size read from its weights' shapes, its strides and
    activation; the input shape, loss and optimizer; ``fit`` as the grader found it."""
    if not isinstance(facts, dict) or not isinstance(facts.get("layers"), list):
        raise ValueError("the model's facts have no layers")
    layers = []
    for layer in facts["layers"]:
        if not isinstance(layer, dict) or not isinstance(layer.get("class"), str):
            raise ValueError("a layer's facts have no class")
        described = {"class": layer["class"], **_units(layer, _weights(layer))}
        if layer["class"] in _ACTIVATION_LAYERS or "activation" in layer:
            described["activation"] = _activation(layer)
        if _folds_into(described, layers):
            layers[-1]["activation"] = described["activation"]
        else:
            layers.append(described)
    shape = facts.get("input_shape")
    return {
        "input_shape": shape if isinstance(shape, list) else None,
        "layers": layers,
        "loss": _plain(facts.get("loss"), {"class": str, "from_logits": bool}),
        "optimizer": _plain(facts.get("optimizer"), {"class": str, "learning_rate": float}),
        "fit": fit,
    }


def _folds_into(layer, before):
    """Whether ``layer`` is an activation written as a layer of its own (``Softmax()``,
    ``Activation("sigmoid")``, ``ReLU()``) right after a linear layer with weights, which
    is then the same as that layer with the activation (``Dense(10)`` + ``Softmax()`` is
    ``Dense(10, activation="softmax")``)."""
    return (
        layer["class"] in ("Activation", *_ACTIVATION_LAYERS)
        and bool(before)
        and before[-1].get("activation") == "linear"
        and ("units" in before[-1] or "filters" in before[-1])
    )


def _plain(value, kinds):
    """``value`` (a dict of ``kinds``' keys, from a report) checked, or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("not a dict of settings")
    checked = {}
    for key, kind in kinds.items():
        got = value.get(key)
        if kind is float and type(got) is int:
            got = float(got)
        checked[key] = got if isinstance(got, kind) else None
    if isinstance(value.get("schedule"), str):
        checked["schedule"] = value["schedule"][:80]
    return checked


def describe_model(model, X=None):
    """:func:`describe` of a Keras model in this process (its facts read by
    :func:`~utils.exercises.probe.model_facts`; ``X`` the inputs it predicts on)."""
    facts = model_facts(model, np.zeros((1, 1)) if X is None else X)
    if "not_a_model" in facts:
        raise TypeError(f"model must be a Keras model, got {facts['not_a_model']}")
    return describe(json.loads(json.dumps(facts)))


# ---------------------------------------------------------------- how the notebook fits it


def _literal(node, numbers):
    """A ``fit`` argument as the grader reads it: an int (written out, or a name ``numbers``
    maps to the int last assigned to it), "all" for ``len(...)`` (the whole training set in
    one batch), or None (not a number it can read)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name):
        return numbers.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return "all"
    return None


def _numbers(statement, numbers):
    """Record in ``numbers`` the names a top-level statement sets to an int literal (and
    forget those it sets otherwise)."""
    for name in _bound(statement):
        numbers.pop(name, None)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
            if type(value.value) is int:
                numbers[target.id] = value.value


def _bound(statement):
    """The names a top-level statement binds (not those bound inside functions it defines)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    names, todo = set(), [statement]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif not isinstance(node, ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))
    return names


def _fit_call(statement, name):
    """The ``name.fit(...)`` call a top-level statement is (or assigns), else None."""
    value = statement.value if isinstance(statement, (ast.Expr, ast.Assign)) else None
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "fit"
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id == name
    ):
        return value
    return None


_SETTERS = ("set_weights", "load_weights", "assign", "assign_add", "assign_sub")


def _sets_weights(statement, name):
    """Whether a statement calls a weight setter on ``name`` or anything reached from it
    (``model.set_weights``, ``model.layers[0].set_weights``, ``model.weights[0].assign``)."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _SETTERS:
                root = node.func.value
                while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                    root = root.func if isinstance(root, ast.Call) else root.value
                if isinstance(root, ast.Name) and root.id == name:
                    return True
    return False


def fit_calls(cells, name):
    """The ``name.fit(...)`` calls that train the model the notebook last binds to ``name``:
    top-level statements of ``cells`` (code cells' sources, in order) after the last one
    that binds ``name``; each as ``{"epochs", "batch_size"}`` (ints, "all" for
    ``len(...)``, None when unreadable; Keras's defaults when not given: 1 epoch, batches
    of 32), and ``{"weights_set": True}`` for a statement after a fit that sets weights by
    hand. A fit inside an ``if``, a loop or a
    function does not count: the grader cannot tell whether it ran."""
    from IPython.core.inputtransformer2 import TransformerManager  # IPython only when reading code

    calls, numbers = [], {}
    for cell in cells:
        try:
            statements = ast.parse(TransformerManager().transform_cell(cell)).body
        except (SyntaxError, ValueError, RecursionError):
            continue
        for statement in statements:
            call = _fit_call(statement, name)
            _numbers(statement, numbers)
            if call is not None:
                args = {k.arg: k.value for k in call.keywords}
                epochs = _literal(args["epochs"], numbers) if "epochs" in args else 1
                batch = _literal(args["batch_size"], numbers) if "batch_size" in args else 32
                calls.append({"epochs": epochs, "batch_size": batch})
            elif name in _bound(statement):
                calls = []
            elif calls and _sets_weights(statement, name):
                calls.append({"weights_set": True})
    return calls


# ---------------------------------------------------------------- (c) compare with the spec


def _output_activation(layers):
    """The activation the model ends with (an ``Activation``/``Softmax`` layer counts)."""
    for layer in reversed(layers):
        if layer.get("activation") is not None:
            return layer["activation"]
    return "linear"


def _loss_code(spec, model=None):
    """The loss to write: with ``from_logits`` when the spec asks for the stable form, or
    leaves the form to the student and ``model`` (a description) has a linear output."""
    linear = model is not None and _output_activation(model["layers"]) == "linear"
    logits = spec.from_logits or (spec.from_logits is None and linear)
    return f"{spec.loss}({'from_logits=True' if logits else ''})"


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
    if layer["class"].startswith("Conv") and layer.get("padding") != "valid":
        return (
            f'{where} has padding "{layer.get("padding")}": the lecture\'s convolution takes only '
            'whole windows of the input, adding no zeros around it (padding "valid", the '
            f"default): write {layer_spec.code()}"
        )
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


# Why a sigmoid output is wrong where the exercise asks for logits (binary or multilabel).
_SIGMOID_TO_THE_LOSS = (
    "the recommended form leaves the sigmoid to the loss (a sigmoid output is not the "
    "numerically stable form: it hands the loss probabilities, which it may have to clip)"
)


def _check_activation(spec, model):
    want = spec.layers[-1].activation
    got = _output_activation(model["layers"])
    loss = model["loss"]
    if want is None or got == want or (spec.from_logits is None and got == "linear"):
        return None  # with either form, the loss check pairs a linear output with logits
    code = spec.layers[-1].code()
    if spec.from_logits is None:
        code += ' (or activation="linear" with from_logits=True in the loss)'
    if got in _SQUASHING and loss and loss["from_logits"]:
        return (
            f"from_logits=True with a {got} output applies {got} twice: write {code} "
            "(a linear output gives the logits)"
            if want == "linear"
            else f"the {got} output already gives probabilities: drop from_logits=True"
        )
    if spec.task == "regression" and want == "relu":
        wrong = {
            "linear": "a linear output can go below 0",
            "sigmoid": "sigmoid outputs lie between 0 and 1, and the target can exceed 1",
        }.get(got, f"a {got} output has another range")
        return f"the target is never negative; {wrong}, a ReLU output keeps f(x) >= 0: write {code}"
    if spec.task == "regression" and got == "relu":
        return f"a ReLU output is never negative, but this target can be: write {code}"
    reasons = {
        ("binary", "softmax"): "softmax over one unit is always 1",
        ("multiclass", "sigmoid"): "sigmoid scores each class alone; they must sum to 1",
        ("multilabel", "softmax"): "softmax makes the labels compete (they sum to 1); each "
        "label needs its own sigmoid",
        ("regression", "sigmoid"): "sigmoid outputs lie between 0 and 1",
        ("binary", "sigmoid"): _SIGMOID_TO_THE_LOSS,
        ("multilabel", "sigmoid"): _SIGMOID_TO_THE_LOSS,
        ("multiclass", "softmax"): "the numerically stable form leaves the softmax to the loss "
        "(a softmax output hands it probabilities, which it may have to clip)",
        ("multiclass", "relu"): "ReLU outputs are not probabilities: they need not sum to 1",
        ("binary", "relu"): "a ReLU output is not a probability: it can exceed 1",
    }
    reason = reasons.get((spec.task, got), f"a {got} output is not what this task needs")
    return f"{reason}: write {code}"


def _check_loss(spec, model):
    loss = model["loss"]
    if loss is None:
        return f"the model is not compiled: model.compile(loss={_loss_code(spec, model)}, ...)"
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
            return f"the labels are {form}: loss={_loss_code(spec, model)}"
        why = _LOSS_REASONS.get(spec.task, "this task needs another loss")
        return f"the loss is {loss['class']}, but {why}: write loss={_loss_code(spec, model)}"
    if spec.from_logits is None:
        return _check_logits_pairing(spec, model) or _check_probabilities_pairing(model)
    if loss["from_logits"] != spec.from_logits:
        if spec.from_logits:
            return (
                "a linear output gives logits, but the loss reads them as probabilities: "
                f"write {_loss_code(spec)}"
            )
        return f"the output gives probabilities, not logits: write {spec.loss}()"
    return None


# Why a task takes its loss (for a message naming another loss).
_LOSS_REASONS = {
    "binary": "a 0/1 label takes the binary cross-entropy, -log of the probability of the "
    "true label",
    "multiclass": "one label out of N takes the categorical cross-entropy, -log a_y",
    "multilabel": "labels that do not exclude each other take one binary cross-entropy per label",
    "regression": "a number to predict is judged by how far it is off, the squared error",
}


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


def _check_probabilities_pairing(model):
    """A sigmoid or softmax output with a loss told ``from_logits=True``."""
    got = _output_activation(model["layers"])
    if got in _SQUASHING and model["loss"]["from_logits"]:
        return (
            f"from_logits=True with a {got} output applies {got} twice (the loss reads the "
            f"probabilities as logits): drop from_logits=True, or make the output linear"
        )
    return None


def _check_optimizer(spec, model):
    optimizer = model["optimizer"]
    want = f"keras.optimizers.{spec.optimizer}(learning_rate={spec.learning_rate})"
    if optimizer is None:
        return f"the model is not compiled: model.compile(optimizer={want}, ...)"
    if optimizer["class"] != spec.optimizer:
        got = optimizer["class"]
        why = _OPTIMIZER_REASONS.get(spec.optimizer, f"the exercise asks for {spec.optimizer}")
        if spec.optimizer == "Adam" and got in _ADAM_RIVALS:
            why += f"; {_ADAM_RIVALS[got]}"
        return f"the optimizer is {got}, but {why}: write optimizer={want}"
    return None


# What another optimizer lacks where Adam is asked for.
_ADAM_RIVALS = {
    "SGD": "SGD takes one learning rate for every parameter",
    "RMSprop": "RMSprop divides by the root of a running mean of g^2 too, but steps by g "
    "itself (no running mean of g) and corrects no bias",
}
# Why an exercise takes its optimizer (for a message naming another optimizer).
_OPTIMIZER_REASONS = {
    "Adam": "Adam adapts each parameter's step to its own gradients (a running mean of g "
    "divided by the root of a running mean of g^2, bias-corrected)",
    "SGD": "this exercise trains with plain gradient descent, w := w - alpha dJ/dw, one "
    "learning rate for every parameter",
}


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
    fit = model["fit"] or {"calls": []}
    calls = fit["calls"]
    if any(call.get("weights_set") for call in calls):
        return f"its weights were set by hand after fit: keep the weights {_fit_code(spec)} gives"
    if not calls:
        return f"the model has not been trained: call {_fit_code(spec)}"
    if len(calls) > 1:
        return (
            f"the model was fitted {len(calls)} times: rebuild it (re-run its cells from the "
            "top) and fit it once"
        )
    epochs, batch = calls[0]["epochs"], calls[0]["batch_size"]
    for key, value in (("epochs", epochs), ("batch_size", batch)):
        if value is None or value == 0:
            return f"fit's {key} is not a number the grader can read: write {_fit_code(spec)}"
    if spec.epochs is not None and epochs != spec.epochs:
        return f"fit ran {epochs} epochs; write {_fit_code(spec)}"
    if spec.batch_size is not None:
        want = math.ceil(spec.examples / spec.batch_size)
        got = 1 if batch == "all" else math.ceil(spec.examples / batch)
        if got != want:
            return (
                f"fit took {got} step(s) per epoch over {spec.examples} examples; batch_size="
                f"{spec.batch_size} takes {want}: write {_fit_code(spec)}"
            )
    cost, below = fit.get("cost"), fit.get("below")
    if below is not None and fit.get("biases_moved") is False:
        return (
            "its biases are all still 0, as Keras starts them (every step of fit moves them): "
            f"compile, then {_fit_code(spec)} once, and keep the weights fit gives"
        )
    if below is not None and not (cost is not None and cost < below):
        shown = "not computable" if cost is None else f"{cost:.4f}"
        return (
            f"its cost on the training data is {shown}, what untrained models score (trained "
            f"as asked, below {below}): compile, then {_fit_code(spec)} once, and keep the "
            "weights fit gives"
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


@dataclass(frozen=True)
class Training:
    """How the grader tells a trained model from an untrained one: ``data()`` returns the
    lab's training set ``(X, y)``; a model fitted as the exercise asks has a cost on it
    below ``below`` (measured over seeds: the numbers are beside each exercise's Training),
    an untrained one rarely; and a model whose biases are all 0, as Keras starts them, was
    never fitted (each step of fit moves them)."""

    data: object
    below: float


def training_cost(spec, predictions, y, from_logits):
    """The cost the spec's loss gives ``predictions`` (``(m, units)`` outputs, or logits
    when ``from_logits``, the form the model was compiled with) against ``y: (m,)``:
    binary cross-entropy or (sparse) categorical; ValueError where the outputs have fewer
    columns than there are classes."""
    out = np.asarray(predictions, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(out), -1)
    eps = 1e-7  # Keras's clip of probabilities
    if spec.task == "binary":
        if from_logits:
            return float(np.mean(np.maximum(out, 0) - out * y + np.log1p(np.exp(-np.abs(out)))))
        p = np.clip(out, eps, 1 - eps)
        return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))
    labels = y[:, 0].astype(int)
    if out.ndim != 2 or labels.max() >= out.shape[1]:
        raise ValueError(f"outputs of shape {out.shape} for labels up to {labels.max()}")
    log_p = log_softmax(out) if from_logits else np.log(np.clip(out, eps, 1))
    return float(-np.mean(log_p[np.arange(len(out)), labels]))


def _builtin(facts):
    """Whether the model's facts say it and each of its layers are Keras's own classes."""
    return (
        isinstance(facts, dict)
        and facts.get("builtin") is True
        and isinstance(facts.get("layers"), list)
        and all(isinstance(lay, dict) and lay.get("builtin") is True for lay in facts["layers"])
    )


class KerasModelChecker(Checker):
    """The checker of a Keras exercise: ``answer`` names the student's model, ``spec`` is the
    :class:`ModelSpec` it must meet, ``training`` (a :class:`Training`) tells, for an
    exercise that asks for a ``fit``, a trained model from an untrained one.

    The model is judged by what it is and does: its layers' classes (Keras's own), weights
    and activations, its compile settings, and its predictions on inputs drawn with ``rng``,
    which must be what a numpy forward pass of those weights computes. How it was fitted is
    read from the notebook's code, never from the model's history or step counter. The first
    failed check is reported with what to write.
    """

    kind = "keras"

    def __init__(self, answer, spec, training=None, seed=0):
        super().__init__(answer, ALL, seed)
        if not isinstance(spec, ModelSpec):
            raise TypeError(f"spec must be a ModelSpec, got {type(spec).__name__}")
        if training is not None and not isinstance(training, Training):
            raise TypeError(f"training must be a Training, got {type(training).__name__}")
        self.spec, self.training = spec, training

    def expected(self, rng=None):
        rng = np.random.default_rng(self.seed) if rng is None else rng
        return {"spec": self.spec, "X": rng.normal(size=(5, *self.spec.input_shape)) * 2}

    def request(self, expected):
        return {"X": expected["X"]}

    def report(self, answer, request):
        if answer is None:  # the exercise's stub
            return {"none": True}
        facts = model_facts(answer, request["X"])
        return facts if "not_a_model" in facts else {"model": facts}

    def judge(self, expected, report, source=""):
        spec, total = expected["spec"], len(checks(expected["spec"]))
        if report.get("none") is True:
            return failure(
                1, total, "a Keras model", f"{self.answer} is None: define it with Sequential"
            )
        if "not_a_model" in report:
            got = str(report["not_a_model"])[:80]
            return Result(False, f"✗ {self.answer}: model must be a Keras model, got {got}")
        facts = report.get("model")
        if "not_builtin" in report or not _builtin(facts):
            return Result(
                False,
                f"✗ {self.answer}: use Keras's own model and layers (keras.Sequential, "
                "keras.layers...), not classes of your own",
            )
        results = compare(spec, describe(facts, self._fit(spec, facts, source)))
        for i, (hint, message) in enumerate(results, start=1):
            if message is not None:
                return failure(i, len(results), hint, message)
        problem = self._inconsistency(facts, expected["X"])
        if problem is not None:
            return Result(False, f"✗ {self.answer}: {problem}")
        return Result(True, f"✓ {self.answer}: all {total} checks passed", total=total)

    def _fit(self, spec, facts, source):
        """How the model was fitted, as :func:`_check_fit` reads it: the notebook's fit calls
        and, when the exercise asks for training, the cost of the model's own weights on the
        lab's training data (computed here)."""
        if spec.epochs is None and spec.batch_size is None:
            return None
        cells = [source] if isinstance(source, str) else list(source)
        fit = {"calls": fit_calls(cells, self.answer), "cost": None, "below": None}
        if self.training is not None:
            fit["below"] = self.training.below
            biases = [w for layer in facts["layers"] for w in _weights(layer)[1:2]]
            fit["biases_moved"] = any(np.any(b != 0) for b in biases)
            X, y = self.training.data()
            try:
                logits = isinstance(facts.get("loss"), dict) and facts["loss"].get("from_logits")
                fit["cost"] = training_cost(spec, forward_pass(facts, X), y, logits is True)
            except ValueError:
                fit["cost"] = None
        return fit

    def _inconsistency(self, facts, X):
        """Why the model's reported predictions are not what its layers compute, or None."""
        if facts.get("predictions") is None:
            error = str(facts.get("predict_error", "no predictions"))[:120]
            return f"the model cannot predict on inputs of its shape: {error}"
        got = np.asarray(decode(facts["predictions"]), dtype=float)
        try:
            want = forward_pass(facts, X)
        except ValueError as err:
            return f"the grader cannot re-compute {err}: use the layers the exercise asks for"
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-3, atol=1e-4):
            return (
                "its predictions are not what its layers' weights compute: use Keras's own "
                "layers and keep the model as Keras builds it"
            )
        return None
