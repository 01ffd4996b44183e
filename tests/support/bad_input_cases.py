"""The valid calls and argument kinds of the bad-input property tests
(tests/rules/test_bad_input_property.py and test_bad_input_kinds.py).

:data:`CALLS` maps each public function and method of ``utils`` to a valid call (built fresh
for every example) and what kind of value each argument is (:class:`Arr`, :class:`Labels`,
:class:`Num`, :class:`Choice`, :class:`Obj`); :func:`bad_values` draws a wrong value for a kind.
"""


from dataclasses import dataclass, field
from functools import cache

import keras
import numpy as np
from hypothesis import strategies as st

from utils import (
    activations,
    agreement,
    computation_graph,
    convolution,
    cost_surfaces,
    data,
    dense,
    gradient_check,
    linear_collapse,
    logistic_regression,
    losses,
    metrics,
    multiclass,
    network,
    optimizers,
    piecewise_linear,
    source,
    stability,
    training,
    validation,
)

# --- argument kinds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Arr:
    """A float array. ``rank``: adding an axis is bad; ``unit``: entries in [0, 1];
    ``binary``: entries 0 or 1; ``finite``: NaN/inf are bad."""

    rank: bool = True
    unit: bool = False
    binary: bool = False
    finite: bool = True


@dataclass(frozen=True)
class Labels:
    """Integer class labels in 0..n_classes-1."""

    n_classes: int


@dataclass(frozen=True)
class Num:
    """One real number (integer=True: one integer) within the bounds."""

    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None
    integer: bool = False
    none_ok: bool = False


@dataclass(frozen=True)
class Choice:
    """One of the strings ``choices`` (or None, if ``none_ok``)."""

    choices: tuple
    none_ok: bool = False


@dataclass(frozen=True)
class Obj:
    """Any other kind: a value is bad if it is one of ``bad`` (built fresh each time)."""

    bad: object  # () -> list of bad values


@dataclass
class Call:
    """A valid call: ``make()`` returns ``(function, kwargs)``; ``kinds``: argument -> kind;
    ``names``: argument -> the word its error messages use (default: the argument's name)."""

    make: object
    kinds: dict
    names: dict = field(default_factory=dict)


BOOL = Obj(lambda: [1, 0, "yes", None, 1.0, np.array([True, False])])
CALLABLE = Obj(lambda: [3, "f", None, np.ones(2)])
TEXT = Obj(lambda: [3, None, ["a"], b"bytes"])
GENERATOR = Obj(lambda: [0, None, "rng", np.random.RandomState(0)])
DTYPE = Obj(lambda: ["int32", np.int64, "float16", None, "x", bool, 3])
OPTIMIZER = Obj(lambda: ["adam", None, keras.optimizers.SGD(), object(), 0.1])
KERAS_OPTIMIZER = Obj(lambda: ["adam", None, object(), 0.1])
LOSS = Choice(losses.LOSS_NAMES)
ACTIVATION = Choice(activations.NAMES)
ELEMENTWISE = Choice(activations.ELEMENTWISE)
POSITIVE = Num(above=0)
COUNT = Num(at_least=1, integer=True)
SEED = Num(at_least=0, integer=True, none_ok=True)


def _keras_model_bad():
    return [None, "model", network.Network(2, [network.Layer(1)]), np.ones(3)]


def _by_hand_model_bad():
    return [None, "model", _keras_net(), np.ones(3)]


KERAS_MODEL = Obj(_keras_model_bad)
BY_HAND_MODEL = Obj(_by_hand_model_bad)
ARRAY_LIST = Obj(lambda: [[], "x", np.ones(2), [np.ones(2), "a"], [np.array([np.nan])], None])


# --- bad values for a kind ----------------------------------------------------------------------

NOT_ARRAYS = [
    "abc",
    None,
    {"a": 1.0},
    np.array(["a", "b"]),
    np.array([1 + 2j, 3.0]),
    [[1.0], [1.0, 2.0]],
    np.array([None, 1.0], dtype=object),
]


@st.composite
def _bad_array(draw, kind, valid):
    valid = np.asarray(valid, dtype=float)
    options = [st.sampled_from(NOT_ARRAYS)]
    if valid.ndim >= 1:
        shape = list(valid.shape)
        shape[draw(st.integers(0, len(shape) - 1))] = 0
        options.append(st.just(np.zeros(shape)))
    if kind.finite:
        options.append(_with_entry(valid, st.sampled_from([np.nan, np.inf, -np.inf])))
    if kind.rank:
        options.append(st.just(np.stack([valid, valid], axis=-1)))
    if kind.unit:
        outside = st.one_of(st.floats(1.001, 1e6), st.floats(-1e6, -1e-3))
        options.append(_with_entry(valid, outside))
    if kind.binary:
        options.append(_with_entry(valid, st.floats(0.01, 0.99)))
    return draw(st.one_of(options))


def _with_entry(valid, values):
    @st.composite
    def build(draw):
        arr = np.array(valid, dtype=float, copy=True)
        if arr.ndim == 0:
            return np.array(draw(values))
        index = tuple(draw(st.integers(0, n - 1)) for n in arr.shape)
        arr[index] = draw(values)
        return arr

    return build()


@st.composite
def _bad_labels(draw, kind, valid):
    valid = np.asarray(valid)
    n = kind.n_classes
    out_of_range = st.one_of(st.integers(n, n + 100), st.integers(-100, -1))
    options = [
        st.sampled_from(NOT_ARRAYS),
        _with_entry(valid, out_of_range),
        _with_entry(valid, st.floats(0.01, 0.99).map(lambda v: v + 0.0)),
        _with_entry(valid, st.sampled_from([np.nan, np.inf])),
        st.just(np.stack([valid, valid], axis=-1).reshape(len(valid), 2)),
        st.just(np.zeros((0,))),
    ]
    return draw(st.one_of(options))


@st.composite
def _bad_number(draw, kind):
    options = [
        st.sampled_from(["3", [1.0, 2.0], np.ones(2), 1 + 1j, True, np.bool_(False), {"x": 1}]),
        st.sampled_from([np.nan, np.inf, -np.inf]),
    ]
    if not kind.none_ok:
        options.append(st.none())
    if kind.integer:
        options.append(st.sampled_from([2.5, 2.0, np.float64(3.0), np.float32(1.5)]))
        if kind.at_least is not None:
            options.append(st.integers(int(kind.at_least) - 1000, int(kind.at_least) - 1))
        if kind.at_most is not None:
            options.append(st.integers(int(kind.at_most) + 1, int(kind.at_most) + 10**6))
    else:
        if kind.above is not None:
            options.append(st.floats(-1e6, kind.above))
        if kind.at_least is not None:
            options.append(st.floats(-1e6, kind.at_least, exclude_max=True))
        if kind.below is not None:
            options.append(st.floats(kind.below, 1e6))
        if kind.at_most is not None:
            options.append(st.floats(kind.at_most, 1e6, exclude_min=True))
    return draw(st.one_of(options))


def bad_values(kind, valid):
    """A strategy of values that are wrong for ``kind`` (``valid``: the valid value)."""
    if isinstance(kind, Arr):
        return _bad_array(kind, valid)
    if isinstance(kind, Labels):
        return _bad_labels(kind, valid)
    if isinstance(kind, Num):
        return _bad_number(kind)
    if isinstance(kind, Choice):
        return st.one_of(
            st.text(max_size=12).filter(lambda s: s not in kind.choices),
            st.sampled_from([3, [kind.choices[0]], np.array([kind.choices[0]])]
                            + ([] if kind.none_ok else [None])),
        )
    return st.sampled_from(kind.bad())  # built afresh for each example


# --- the valid calls ------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
X23 = RNG.normal(size=(3, 2))
Y31 = np.array([[0.0], [1.0], [1.0]])
P31 = np.array([[0.2], [0.7], [0.9]])
Z32 = RNG.normal(size=(3, 2))
LAB3 = np.array([0, 1, 1])
Z1D = np.array([-1.0, 0.0, 2.0])


def _net():
    return network.Network(2, [network.Layer(3, "relu"), network.Layer(1, "sigmoid")], seed=0)


def _conv():
    return convolution.ConvNetwork(
        12, [convolution.ConvLayer(2, 3, 2, "relu")], network.Layer(1, "sigmoid"), seed=0
    )


@cache
def _keras_net():
    """One Keras twin for the calls that only read a Keras model (built once: it is slow)."""
    return _net().to_keras()


@cache
def _keras_relu_pieces():
    return network.Network(1, [network.Layer(2, "relu"), network.Layer(1)]).to_keras()


@cache
def _keras_linear():
    return network.Network(2, [network.Layer(3), network.Layer(1)]).to_keras()


def _logistic():
    return logistic_regression.LogisticRegression(np.array([0.5, -0.5]), 0.1)


MODEL_INPUTS = {"Network": (_net, X23), "ConvNetwork": (_conv, RNG.normal(size=(3, 12))),
                "LogisticRegression": (_logistic, X23)}


def _model_calls(owner, make):
    """The methods of a by-hand model (Model's, inherited) on a valid small problem."""
    X = MODEL_INPUTS[owner][1]
    data_kinds = {"X": Arr(), "y": Arr(unit=True), "loss": LOSS, "from_logits": BOOL}
    bce = {"X": X, "y": Y31, "loss": "binary_crossentropy", "from_logits": False}
    return {
        f"training.Model.forward[{owner}]": Call(lambda: (make().forward, {"X": X}), {"X": Arr()}),
        f"training.Model.predict[{owner}]": Call(lambda: (make().predict, {"X": X}), {"X": Arr()}),
        f"training.Model.cost[{owner}]": Call(lambda: (make().cost, dict(bce)), data_kinds),
        f"training.Model.cost_and_gradients[{owner}]": Call(
            lambda: (make().cost_and_gradients, dict(bce)), data_kinds
        ),
        f"training.Model.cost_function[{owner}]": Call(
            lambda: (make().cost_function, dict(bce)), data_kinds
        ),
        f"training.Model.fit[{owner}]": Call(
            lambda: (
                make().fit,
                dict(bce, optimizer=optimizers.Adam(), epochs=2, batch_size=2, shuffle=True,
                     seed=1),
            ),
            {**data_kinds, "optimizer": OPTIMIZER, "epochs": COUNT,
             "batch_size": Num(at_least=1, integer=True, none_ok=True), "shuffle": BOOL,
             "seed": SEED},
        ),
        f"training.Model.set_weights[{owner}]": Call(
            lambda: ((m := make()).set_weights, {"weights": m.get_weights()}),
            {"weights": Obj(lambda: [None, "w", np.ones(3), [np.ones(3)], [np.nan] * 4])},
        ),
    }


def _read_only(arr):
    arr.flags.writeable = False
    return arr


def _fn(function, /, **kwargs):
    return lambda: (function, dict(kwargs))


def _loss_call(f, y, out, out_name, y_kind, out_kind, reduce=True):
    kinds = {"y": y_kind, out_name: out_kind}
    kwargs = {"y": y, out_name: out}
    if reduce:
        kinds["reduce"], kwargs["reduce"] = BOOL, True
    return Call(lambda: (f, dict(kwargs)), kinds)


CALLS = {
    **{
        f"activations.{name}": Call(_fn(getattr(activations, name), z=Z1D), {"z": Arr(rank=False)})
        for name in (
            "linear", "sigmoid", "relu", "softmax", "linear_derivative", "sigmoid_derivative",
            "relu_derivative",
        )
    },
    "activations.softmax_jacobian": Call(_fn(activations.softmax_jacobian, z=Z32), {"z": Arr()}),
    "activations.softmax_jacobian_keras": Call(
        _fn(activations.softmax_jacobian_keras, z=Z32), {"z": Arr()}
    ),
    "activations.activate": Call(
        _fn(activations.activate, activation="relu", z=Z1D),
        {"activation": ACTIVATION, "z": Arr(rank=False)},
    ),
    "activations.activate_keras": Call(
        _fn(activations.activate_keras, activation="relu", z=Z1D),
        {"activation": ACTIVATION, "z": Arr(rank=False)},
    ),
    "activations.derivative": Call(
        _fn(activations.derivative, activation="sigmoid", z=Z1D),
        {"activation": ELEMENTWISE, "z": Arr(rank=False)},
    ),
    "activations.derivative_keras": Call(
        _fn(activations.derivative_keras, activation="sigmoid", z=Z1D),
        {"activation": ELEMENTWISE, "z": Arr(rank=False)},
    ),
    "agreement.max_abs_difference": Call(
        _fn(agreement.max_abs_difference, a=Z32, b=Z32 + 1e-9),
        {"a": Arr(finite=False), "b": Arr(finite=False)},
    ),
    "agreement.report_agreement": Call(
        _fn(agreement.report_agreement, what="same", a=Z32, b=Z32, tol=1e-12),
        {"what": TEXT, "a": Arr(finite=False), "b": Arr(finite=False), "tol": POSITIVE},
    ),
    **{
        f"computation_graph.{name}": Call(
            _fn(getattr(computation_graph, name), steps=computation_graph.ONE_UNIT_GRAPH,
                inputs={"x": 2.0, "w": -2.0, "b": 8.0, "y": 1.0}),
            {
                "steps": Obj(lambda: ["J", [], [("c", "pow", ("w",))], [("c", "mul", ("w",))],
                                      None, [("c", "add", ("w", "nowhere"))]]),
                "inputs": Obj(lambda: [[1.0], None, {"x": "2", "w": 1.0, "b": 1.0, "y": 1.0},
                                       {"x": np.nan, "w": 1.0, "b": 1.0, "y": 1.0},
                                       {"x": True, "w": 1.0, "b": 1.0, "y": 1.0}]),
            },
        )
        for name in ("validate_graph", "forward", "derivatives", "derivatives_keras")
    },
    "computation_graph.backward": Call(
        lambda: (computation_graph.backward, {
            "steps": computation_graph.SQUARE_GRAPH,
            "values": computation_graph.forward(computation_graph.SQUARE_GRAPH, {"w": 3.0}),
        }),
        {
            "steps": Obj(lambda: ["J", [], None, [("c", "pow", ("w",))]]),
            "values": Obj(lambda: [[3.0], None, {"w": 3.0}, {"w": "3", "c": 9.0, "a": 11.0,
                                                            "J": 121.0}]),
        },
    ),
    "convolution.output_length": Call(
        _fn(convolution.output_length, length=10, kernel_size=3, strides=2),
        {"length": COUNT, "kernel_size": COUNT, "strides": COUNT},
    ),
    **{
        f"convolution.{name}": Call(
            _fn(getattr(convolution, name), X=RNG.normal(size=(2, 10, 2)),
                K=RNG.normal(size=(3, 2, 2)), b=np.zeros(2), strides=2, activation="relu"),
            {"X": Arr(), "K": Arr(), "b": Arr(), "strides": COUNT, "activation": ELEMENTWISE},
        )
        for name in ("conv1d_forward", "conv1d_forward_keras")
    },
    **{
        f"convolution.{name}": Call(
            _fn(getattr(convolution, name), X=RNG.normal(size=(2, 6, 5, 1)),
                K=RNG.normal(size=(3, 2, 1, 2)), b=np.zeros(2), strides=1, activation="linear"),
            {"X": Arr(), "K": Arr(), "b": Arr(), "strides": COUNT, "activation": ELEMENTWISE},
        )
        for name in ("conv2d_forward", "conv2d_forward_keras")
    },
    "convolution.conv1d_backward": Call(
        _fn(convolution.conv1d_backward, dZ=RNG.normal(size=(2, 4, 2)),
            X=RNG.normal(size=(2, 10, 2)), K=RNG.normal(size=(3, 2, 2)), strides=2),
        {"dZ": Arr(), "X": Arr(), "K": Arr(), "strides": COUNT},
    ),
    "convolution.conv1d_backward_keras": Call(
        _fn(convolution.conv1d_backward_keras, dZ=RNG.normal(size=(2, 4, 2)),
            X=RNG.normal(size=(2, 10, 2)), K=RNG.normal(size=(3, 2, 2)), b=np.zeros(2),
            strides=2),
        {"dZ": Arr(), "X": Arr(), "K": Arr(), "b": Arr(), "strides": COUNT},
    ),
    "convolution.ConvLayer": Call(
        _fn(convolution.ConvLayer, filters=2, kernel_size=3, strides=1, activation="relu"),
        {"filters": COUNT, "kernel_size": COUNT, "strides": COUNT, "activation": ELEMENTWISE},
    ),
    "convolution.ConvNetwork": Call(
        _fn(convolution.ConvNetwork, length=12, conv_layers=[convolution.ConvLayer(2, 3)],
            output=network.Layer(1, "sigmoid"), seed=0),
        {"length": COUNT, "conv_layers": Obj(lambda: [[], None, [3], "c", [network.Layer(1)],
                                                      [convolution.ConvLayer(1, 13)]]),
         "output": Obj(lambda: [None, 1, convolution.ConvLayer(1, 2)]), "seed": SEED},
    ),
    "convolution.ConvNetwork.to_keras": None,
    "cost_surfaces.bowl_cost": Call(
        _fn(cost_surfaces.bowl_cost, w=np.array([1.0, 2.0]), curvatures=(1.0, 3.0)),
        {"w": Arr(rank=False), "curvatures": Arr()},
    ),
    "cost_surfaces.bowl_gradient": Call(
        _fn(cost_surfaces.bowl_gradient, w=np.array([1.0, 2.0]), curvatures=(1.0, 3.0)),
        {"w": Arr(rank=False), "curvatures": Arr()},
    ),
    "cost_surfaces.descent_path": Call(
        lambda: (cost_surfaces.descent_path, {"optimizer": optimizers.Adam(0.1), "steps": 3,
                 "w0": (1.0, 1.0), "curvatures": (1.0, 3.0)}),
        {"optimizer": OPTIMIZER, "steps": COUNT, "w0": Arr(), "curvatures": Arr()},
    ),
    "cost_surfaces.descent_path_keras": Call(
        lambda: (cost_surfaces.descent_path_keras, {"optimizer": keras.optimizers.SGD(0.1),
                 "steps": 2, "w0": (1.0, 1.0), "curvatures": (1.0, 3.0)}),
        {"optimizer": KERAS_OPTIMIZER, "steps": COUNT, "w0": Arr(), "curvatures": Arr()},
    ),
    **{
        f"data.{name}": Call(_fn(getattr(data, name), m=20, seed=3),
                             {"m": Num(at_least=2, integer=True), "seed": Num(at_least=0,
                              at_most=data.MAX_SEED, integer=True)})
        for name in ("coffee_roasting", "regression_curve", "resale_prices", "four_blobs")
    },
    "data.digits": Call(_fn(data.digits, seed=1), {"seed": Num(at_least=0, integer=True)}),
    "data.street_scenes": Call(
        _fn(data.street_scenes, m=100, noise=0.1, prevalence=(0.5, 0.5, 0.5), seed=0),
        {"m": Num(at_least=100, integer=True), "noise": Num(at_least=0),
         "prevalence": Arr(unit=True), "seed": Num(at_least=0, integer=True)},
    ),
    "data.label_captions": Call(
        _fn(data.label_captions, y=[[1.0, 0.0, 1.0]], names=("car", "bus", "pedestrian")),
        {"y": Arr(binary=True), "names": Obj(lambda: ["car", [1, 2, 3], None, ("a", "b")])},
    ),
    "data.train_size": Call(_fn(data.train_size, m=400), {"m": Num(at_least=2, integer=True)}),
    "data.ekg_signals": Call(
        _fn(data.ekg_signals, m=6, length=50, seed=0),
        {"m": Num(at_least=6, integer=True), "length": Num(at_least=46, integer=True),
         "seed": Num(at_least=0, integer=True)},
    ),
    "data.Split.standardized": None,
    "dense.glorot_uniform": Call(
        lambda: (dense.glorot_uniform, {"n_in": 2, "units": 3, "rng": np.random.default_rng(0),
                 "dtype": np.float32, "kernel_size": 3}),
        {"n_in": COUNT, "units": COUNT, "rng": GENERATOR, "dtype": DTYPE,
         "kernel_size": Num(at_least=1, integer=True, none_ok=True)},
    ),
    **{
        f"dense.{name}": Call(
            _fn(getattr(dense, name), A_in=X23, W=RNG.normal(size=(2, 4)), b=np.zeros(4),
                activation="sigmoid"),
            {"A_in": Arr(), "W": Arr(), "b": Arr(), "activation": ELEMENTWISE},
        )
        for name in ("dense_forward", "dense_forward_loop", "dense_forward_keras")
    },
    "dense.dense_backward": Call(
        _fn(dense.dense_backward, dZ=RNG.normal(size=(3, 4)), A_in=X23, W=RNG.normal(size=(2, 4))),
        {"dZ": Arr(), "A_in": Arr(), "W": Arr()},
    ),
    **{
        f"gradient_check.{name}": Call(
            _fn(getattr(gradient_check, name), f=np.sin, x=0.5, eps=1e-4),
            {"f": CALLABLE, "x": Num(), "eps": POSITIVE},
        )
        for name in ("forward_difference", "central_difference")
    },
    "gradient_check.epsilon_sweep": Call(
        _fn(gradient_check.epsilon_sweep, f=np.sin, dfdx=np.cos(0.5), x=0.5,
            epsilons=[1e-3, 1e-5]),
        {"f": CALLABLE, "dfdx": Num(), "x": Num(), "epsilons": Arr(unit=False)},
    ),
    "gradient_check.numerical_gradients": Call(
        _fn(gradient_check.numerical_gradients, cost=lambda p: float(np.sum(p[0] ** 2)),
            params=[np.ones(2)], eps=1e-5),
        {"cost": CALLABLE, "params": ARRAY_LIST, "eps": POSITIVE},
    ),
    "gradient_check.relative_error": Call(
        _fn(gradient_check.relative_error, a=[np.ones(2)], b=[np.ones(2)]),
        {"a": ARRAY_LIST, "b": ARRAY_LIST},
    ),
    "gradient_check.gradient_check": Call(
        lambda: (gradient_check.gradient_check, {"model": _net(), "X": X23, "y": Y31,
                 "loss": "binary_crossentropy", "eps": 1e-6, "from_logits": False}),
        {"model": BY_HAND_MODEL, "X": Arr(), "y": Arr(unit=True), "loss": LOSS,
         "eps": POSITIVE, "from_logits": BOOL},
    ),
    "gradient_check.gradient_check_keras": Call(
        lambda: (gradient_check.gradient_check_keras, {"model": _keras_net(), "X": X23,
                 "y": Y31, "loss": "binary_crossentropy", "eps": 1e-6, "from_logits": False}),
        {"model": KERAS_MODEL, "X": Arr(), "y": Arr(unit=True), "loss": LOSS,
         "eps": POSITIVE, "from_logits": BOOL},
    ),
    "gradient_check.pass_counts": Call(_fn(gradient_check.pass_counts, n_params=10),
                                       {"n_params": COUNT}),
    "linear_collapse.collapse_linear": Call(
        lambda: (linear_collapse.collapse_linear, {"net": network.Network(
            2, [network.Layer(3), network.Layer(1)])}),
        {"net": Obj(lambda: [None, "net", _conv(),
                             network.Network(2, [network.Layer(3, "relu"), network.Layer(1)])])},
    ),
    "linear_collapse.collapse_linear_keras": Call(
        lambda: (linear_collapse.collapse_linear_keras, {"model": _keras_linear()}),
        {"model": Obj(lambda: [None, "model", network.Network(2, [network.Layer(1)]),
                               _keras_net()])},
    ),
    **{
        f"logistic_regression.{name}": Call(
            _fn(getattr(logistic_regression, name), **args),
            {"X": Arr(), "w": Arr(), "b": Num(), **({"y": Arr(unit=True)} if "y" in args else {}),
             **({"alpha": POSITIVE} if "alpha" in args else {})},
        )
        for name, args in (
            ("predict", {"X": X23, "w": np.ones(2), "b": 0.5}),
            ("cost", {"X": X23, "y": Y31[:, 0], "w": np.ones(2), "b": 0.5}),
            ("gradients", {"X": X23, "y": Y31[:, 0], "w": np.ones(2), "b": 0.5}),
            ("gradient_descent_update",
             {"X": X23, "y": Y31[:, 0], "w": np.ones(2), "b": 0.5, "alpha": 0.1}),
        )
    },
    "logistic_regression.LogisticRegression": Call(
        _fn(logistic_regression.LogisticRegression, w=np.ones(2), b=0.0),
        {"w": Arr(), "b": Num()},
    ),
    "logistic_regression.LogisticRegression.to_keras": None,
    "logistic_regression.LogisticRegression.w": None,
    "logistic_regression.LogisticRegression.b": None,
    "losses.validate_loss": Call(
        _fn(losses.validate_loss, loss="binary_crossentropy", from_logits=True),
        {"loss": LOSS, "from_logits": BOOL},
    ),
    "losses.binary_crossentropy": _loss_call(losses.binary_crossentropy, Y31, P31, "p",
                                             Arr(unit=True), Arr(unit=True)),
    "losses.binary_crossentropy_from_logits": _loss_call(
        losses.binary_crossentropy_from_logits, Y31, Z32[:, :1], "z", Arr(unit=True), Arr()
    ),
    "losses.binary_crossentropy_grad_z": _loss_call(
        losses.binary_crossentropy_grad_z, Y31, Z32[:, :1], "z", Arr(unit=True), Arr(), False
    ),
    "losses.sparse_categorical_crossentropy": _loss_call(
        losses.sparse_categorical_crossentropy, LAB3, activations.softmax(Z32), "p",
        Labels(2), Arr(unit=True)
    ),
    "losses.sparse_categorical_crossentropy_from_logits": _loss_call(
        losses.sparse_categorical_crossentropy_from_logits, LAB3, Z32, "z", Labels(2), Arr()
    ),
    "losses.sparse_categorical_crossentropy_grad_z": _loss_call(
        losses.sparse_categorical_crossentropy_grad_z, LAB3, Z32, "z", Labels(2), Arr(), False
    ),
    **{
        f"losses.{name}": Call(
            _fn(getattr(losses, name), Y=np.eye(2)[LAB3], p=activations.softmax(Z32),
                reduce=True),
            {"Y": Arr(unit=True), "p": Arr(unit=True), "reduce": BOOL},
        )
        for name in ("categorical_crossentropy", "categorical_crossentropy_keras")
    },
    "losses.logsumexp": Call(_fn(losses.logsumexp, z=Z32), {"z": Arr(rank=False)}),
    "losses.logsumexp_keras": Call(_fn(losses.logsumexp_keras, z=Z32), {"z": Arr(rank=False)}),
    "losses.log_softmax": Call(_fn(losses.log_softmax, z=Z32), {"z": Arr()}),
    "losses.mean_squared_error": _loss_call(losses.mean_squared_error, Z32, Z32 + 1, "y_hat",
                                            Arr(), Arr()),
    "losses.mean_squared_error_grad_z": Call(
        _fn(losses.mean_squared_error_grad_z, y=Z32, z=Z32 + 1, activation="sigmoid"),
        {"y": Arr(), "z": Arr(), "activation": ELEMENTWISE},
    ),
    "losses.one_hot": Call(_fn(losses.one_hot, y=LAB3, n_classes=3),
                           {"y": Labels(3), "n_classes": COUNT}),
    **{
        f"losses.{name}": Call(
            _fn(getattr(losses, name), loss="binary_crossentropy", y=Y31, out=P31,
                from_logits=False, reduce=False),
            {"loss": LOSS, "y": Arr(unit=True), "out": Arr(unit=True), "from_logits": BOOL,
             "reduce": BOOL},
        )
        for name in ("cost", "cost_keras")
    },
    "losses.loss": Call(_fn(losses.loss, loss="sparse_categorical_crossentropy",
                            from_logits=True), {"loss": LOSS, "from_logits": BOOL}),
    "losses.loss_keras": Call(
        _fn(losses.loss_keras, loss="binary_crossentropy", from_logits=True, reduction="sum",
            dtype="float32"),
        {"loss": LOSS, "from_logits": BOOL, "reduction": Choice(losses.REDUCTIONS, True),
         "dtype": Choice(("float32", "float64"), True)},
    ),
    "losses.validate_output_layer": Call(
        _fn(losses.validate_output_layer, loss="binary_crossentropy", activation="linear",
            from_logits=True),
        {"loss": LOSS, "activation": ACTIVATION, "from_logits": BOOL},
    ),
    "losses.validate_targets": Call(
        _fn(losses.validate_targets, loss="sparse_categorical_crossentropy", y=LAB3,
            shape=(3, 2)),
        {"loss": LOSS, "y": Labels(2), "shape": Obj(lambda: [None, "3", (3.5, 2), (), (0, 2),
                                                             (-1, 2)])},
    ),
    "losses.output_cost_and_grad": Call(
        _fn(losses.output_cost_and_grad, loss="sparse_categorical_crossentropy", y=LAB3, z=Z32,
            activation="softmax", from_logits=False),
        {"loss": LOSS, "y": Labels(2), "z": Arr(), "activation": ACTIVATION,
         "from_logits": BOOL},
    ),
    **{
        f"metrics.{name}": Call(
            _fn(getattr(metrics, name), y=Y31, p=P31, threshold=0.6),
            {"y": Arr(binary=True), "p": Arr(), "threshold": Num(above=0, below=1)},
        )
        for name in ("binary_accuracy", "precision_recall", "binary_accuracy_keras",
                     "precision_recall_keras")
    },
    "metrics.predicted_classes": Call(_fn(metrics.predicted_classes, scores=Z32),
                                      {"scores": Arr()}),
    **{
        f"metrics.{name}": Call(_fn(getattr(metrics, name), y=LAB3, scores=Z32),
                                {"y": Labels(2), "scores": Arr()})
        for name in ("accuracy", "accuracy_keras")
    },
    "metrics.confusion_matrix": Call(
        _fn(metrics.confusion_matrix, y=LAB3, predicted=LAB3[::-1], n_classes=2),
        {"y": Labels(2), "predicted": Labels(2), "n_classes": COUNT},
    ),
    "multiclass.softmax_regression": Call(
        _fn(multiclass.softmax_regression, X=X23, W=RNG.normal(size=(2, 3)), b=np.zeros(3)),
        {"X": Arr(), "W": Arr(), "b": Arr()},
    ),
    "multiclass.softmax_regression_keras": Call(
        _fn(multiclass.softmax_regression_keras, W=RNG.normal(size=(2, 3)), b=np.zeros(3)),
        {"W": Arr(), "b": Arr()},
    ),
    "multiclass.mlp_classifier": Call(
        _fn(multiclass.mlp_classifier, X=np.vstack([X23, -X23]), y=np.array([0, 1, 1, 1, 0, 0]),
            hidden=(3,), learning_rate=0.01, batch_size=3, seed=0, max_iter=500, tol=0.5,
            n_iter_no_change=2),
        {"X": Arr(), "y": Labels(2), "hidden": Obj(lambda: [3, [], None, (0,), (2.5,), "3"]),
         "learning_rate": POSITIVE, "batch_size": COUNT, "seed": SEED, "max_iter": COUNT,
         "tol": POSITIVE, "n_iter_no_change": COUNT},
    ),
    "network.Layer": Call(_fn(network.Layer, units=3, activation="relu"),
                          {"units": COUNT, "activation": ACTIVATION}),
    "network.Network": Call(
        _fn(network.Network, n_inputs=2, layers=[network.Layer(2, "relu"), network.Layer(1)],
            seed=1, dtype="float32"),
        {"n_inputs": COUNT,
         "layers": Obj(lambda: [[], None, "layers", [3], [network.Layer(2, "softmax"),
                                                          network.Layer(1)]]),
         "seed": SEED, "dtype": DTYPE},
    ),
    "network.Network.to_keras": None,
    "optimizers.Optimizer": None,
    "optimizers.Optimizer.step": Call(
        lambda: (optimizers.GradientDescent(0.1).step, {"params": [np.ones(2)],
                 "grads": [np.ones(2)]}),
        {"params": Obj(lambda: [None, [], "p", [[1.0, 2.0]], [np.array([1, 2])],
                                [_read_only(np.ones(2))], np.ones(2)]),
         "grads": Obj(lambda: [None, [], [np.ones(3)], [np.array([np.nan, 0.0])], ["g"],
                               np.ones(2)])},
    ),
    "optimizers.GradientDescent": Call(_fn(optimizers.GradientDescent, learning_rate=0.1),
                                       {"learning_rate": POSITIVE}),
    "optimizers.GradientDescent.to_keras": None,
    **{
        f"optimizers.{name}": Call(
            _fn(getattr(optimizers, name), learning_rate=0.01, beta_1=0.8, beta_2=0.99,
                epsilon=1e-8),
            {"learning_rate": POSITIVE, "beta_1": Num(at_least=0, below=1),
             "beta_2": Num(at_least=0, below=1), "epsilon": POSITIVE},
        )
        for name in ("Adam", "PaperAdam")
    },
    "optimizers.Adam.step_size": None,
    "optimizers.Adam.to_keras": None,
    "optimizers.paper_adam_step": Call(
        _fn(optimizers.paper_adam_step, w=np.ones(2), g=np.ones(2), m=np.zeros(2),
            v=np.zeros(2), t=3, learning_rate=0.1, beta_1=0.5, beta_2=0.9, epsilon=1e-8),
        {"w": Arr(), "g": Arr(), "m": Arr(), "v": Arr(), "t": COUNT, "learning_rate": POSITIVE,
         "beta_1": Num(at_least=0, below=1), "beta_2": Num(at_least=0, below=1),
         "epsilon": POSITIVE},
    ),
    "optimizers.adam_directions": Call(
        _fn(optimizers.adam_directions, grads=[[1.0, -2.0], [0.5, 2.0]], beta_1=0.8,
            beta_2=0.99),
        {"grads": Arr(), "beta_1": Num(at_least=0, below=1), "beta_2": Num(at_least=0, below=1)},
    ),
    "piecewise_linear.piecewise_linear": Call(
        _fn(piecewise_linear.piecewise_linear, x=Z1D, knots=[0.0, 1.0], slopes=[1.0, -1.0],
            start=0.5),
        {"x": Arr(rank=False), "knots": Arr(), "slopes": Arr(), "start": Num()},
    ),
    "piecewise_linear.relu_network_weights": Call(
        _fn(piecewise_linear.relu_network_weights, knots=[0.0, 1.0], slopes=[1.0, -1.0],
            start=0.5),
        {"knots": Arr(), "slopes": Arr(), "start": Num()},
    ),
    "piecewise_linear.unit_contributions": Call(
        _fn(piecewise_linear.unit_contributions,
            weights=piecewise_linear.relu_network_weights([0.0, 1.0], [1.0, -1.0]), x=Z1D),
        {"weights": Obj(lambda: [None, "w", [np.ones((1, 2))], [np.ones((2, 2))] * 4]),
         "x": Arr()},
    ),
    "piecewise_linear.unit_contributions_keras": Call(
        lambda: (piecewise_linear.unit_contributions_keras,
                 {"model": _keras_relu_pieces(), "x": Z1D}),
        {"model": Obj(lambda: [None, "m", _keras_linear()]),
         "x": Arr()},
    ),
    "source.show_source": Call(
        _fn(source.show_source, obj=losses.binary_crossentropy),
        {"obj": Obj(lambda: [3, "f", None, len, np.ones(2)])},
    ),
    "stability.roundoff_two_ways": Call(_fn(stability.roundoff_two_ways, n=100,
                                            dtype="float32"),
                                        {"n": COUNT, "dtype": Choice(("float32", "float64"))}),
    **{
        f"stability.{name}": Call(_fn(getattr(stability, name), z=Z32), {"z": Arr(rank=False)})
        for name in ("naive_sigmoid", "naive_softmax", "naive_logsumexp")
    },
    "stability.naive_bce": _loss_call(stability.naive_bce, Y31, P31, "p", Arr(unit=True),
                                      Arr(unit=True), False),
    "stability.naive_sigmoid_bce": _loss_call(stability.naive_sigmoid_bce, Y31, Z32[:, :1], "z",
                                              Arr(unit=True), Arr(), False),
    "stability.naive_bce_loss": Call(
        _fn(stability.naive_bce_loss, y=Y31, p=P31),
        {"y": Obj(lambda: ["y", None, np.ones((3, 2)), [[1.0]]]),
         "p": Obj(lambda: ["p", None, np.ones((3, 2)), np.array([["1"], ["0"], ["1"]]),
                           keras.ops.convert_to_tensor(np.array([[1], [0], [1]]))])},
    ),
    "stability.naive_softmax_crossentropy": _loss_call(
        stability.naive_softmax_crossentropy, LAB3, Z32, "z", Labels(2), Arr(), False
    ),
    "stability.bce_along_path": Call(
        _fn(stability.bce_along_path, y=Y31, z=Z32[:, :1], path="probabilities"),
        {"y": Arr(unit=True), "z": Arr(), "path": Choice(stability.BCE_PATHS)},
    ),
    "training.cost_and_gradients_keras": Call(
        lambda: (training.cost_and_gradients_keras, {"model": _keras_net(), "X": X23,
                 "y": Y31, "loss": "binary_crossentropy", "from_logits": False}),
        {"model": KERAS_MODEL, "X": Arr(), "y": Arr(unit=True), "loss": LOSS,
         "from_logits": BOOL},
    ),
    "training.model_inputs": Call(
        lambda: (training.model_inputs, {"model": _keras_net(), "X": X23}),
        {"model": KERAS_MODEL, "X": Arr()},
    ),
    "training.full_batch_dataset": Call(_fn(training.full_batch_dataset, X=X23, y=Y31),
                                        {"X": Arr(rank=False), "y": Arr(rank=False)}),
    "training.epochs_to_reach": Call(
        _fn(training.epochs_to_reach, costs=[3.0, np.nan, 1.0], target=1.5),
        {"costs": Arr(finite=False), "target": Num()},
    ),
    "training.Model.count_params": None,
    "training.Model.get_weights": None,
    **_model_calls("Network", _net),
    **_model_calls("ConvNetwork", _conv),
    **_model_calls("LogisticRegression", _logistic),
    **{
        f"validation.{name}": Call(_fn(getattr(validation, name), name="q", **args),
                                   kinds, {arg: "q" for arg in kinds})
        for name, args, kinds in (
            ("as_float_array", {"x": Z32, "ndim": 2}, {"x": Arr()}),
            ("as_array_list", {"arrays": [Z32]}, {"arrays": ARRAY_LIST}),
            ("as_instances", {"items": [RNG], "cls": np.random.Generator, "what": "Generator"},
             {"items": Obj(lambda: [[], None, "ab", [1], (RNG, 2)])}),
            ("as_labels", {"y": LAB3, "n_classes": 2}, {"y": Labels(2)}),
            ("as_number", {"x": 0.5, "above": 0}, {"x": POSITIVE}),
            ("as_int", {"n": 3, "at_least": 1}, {"n": COUNT}),
            ("positive_int", {"n": 3}, {"n": COUNT}),
            ("as_seed", {"seed": 3}, {"seed": SEED}),
            ("as_generator", {"rng": RNG}, {"rng": GENERATOR}),
            ("as_float_dtype", {"dtype": "float32"}, {"dtype": DTYPE}),
            ("as_bool", {"flag": True}, {"flag": BOOL}),
            ("as_choice", {"value": "a", "choices": ("a", "b")}, {"value": Choice(("a", "b"))}),
            ("as_callable", {"f": len, "what": "a function"}, {"f": CALLABLE}),
        )
    },
    "validation.matching_arrays": Call(
        _fn(validation.matching_arrays, name_a="u", a=Z32, name_b="v", b=Z32),
        {"a": Arr(), "b": Arr()}, {"a": "u", "b": "v"},
    ),
    "validation.labels_for_rows": Call(
        _fn(validation.labels_for_rows, name="u", y=LAB3, out_name="v", out=Z32),
        {"y": Labels(2), "out": Arr()}, {"y": "u", "out": "v"},
    ),
    "validation.common_float": Call(
        lambda: (lambda first, second: validation.common_float(first, second),
                 {"first": Z32, "second": Z32.astype(np.float32)}),
        {"second": Obj(lambda: [[1.0], "a", None, np.array([1, 2])])}, {"second": "arrays"},
    ),
    "validation.in_unit_interval": Call(_fn(validation.in_unit_interval, name="q", x=P31),
                                        {"x": Obj(lambda: [P31 + 1, -P31])}, {"x": "q"}),
    "validation.same_shape": Call(
        _fn(validation.same_shape, name_a="u", a=Z32, name_b="v", b=Z32),
        {"b": Obj(lambda: [Z32[:1], Z32.T])}, {"b": "v"},
    ),
}
