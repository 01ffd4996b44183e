"""Bad and edge input, one test per kind of problem in issue 9's robustness list.

1. numpy scalars are numbers wherever Python numbers are;
2. Python lists work wherever arrays do (no list passes a first check and then crashes);
3. no other exception type escapes (AttributeError, TensorFlow's InvalidArgumentError, numpy's
   casting errors): a ValueError/TypeError naming the argument instead;
4. messages name the argument (where numpy, Python or scikit-learn would not);
5. no silent wrong answers: integer dtypes are not truncated, NaN settings are refused,
   sibling functions accept and refuse the same labels;
6. twins agree with Keras at the edges: a prediction exactly at the threshold, a graph node
   built only from constants, mixed float32/float64 inputs;
7. data generators work, and give finite numbers, for every valid small size and option.

The valid calls and argument kinds are those of the property test (``CALLS``).
"""

import keras
import numpy as np
import pytest

from tests.support.bad_input_cases import CALLS, Arr, Labels, Num
from tests.support.numerics import TOL64, max_diff
from utils import (
    activations,
    computation_graph,
    convolution,
    data,
    dense,
    gradient_check,
    logistic_regression,
    losses,
    metrics,
    multiclass,
    network,
    optimizers,
    piecewise_linear,
    stability,
    training,
    validation,
)

USED = [(key, call) for key, call in sorted(CALLS.items()) if call is not None]
NUM_ARGS = [
    (key, arg) for key, call in USED for arg, kind in call.kinds.items() if isinstance(kind, Num)
]
ARRAY_ARGS = [
    (key, arg)
    for key, call in USED
    for arg, kind in call.kinds.items()
    if isinstance(kind, (Arr, Labels)) and not key.startswith("validation.")
]


def _same(a, b):
    """Equal results: arrays and numbers exactly (NaN equal to NaN), containers entry by entry,
    other objects by their attributes (Keras objects are not compared)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (np.ndarray, np.generic, float, int)) or a is None:
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=a is not None)
    if type(a).__module__.split(".")[0] in ("keras", "tensorflow", "sklearn"):
        return type(a) is type(b)
    if hasattr(a, "__dict__"):
        return type(a) is type(b) and _same(vars(a), vars(b))
    return a == b


def _call(key, **changes):
    fn, kwargs = CALLS[key].make()
    kwargs.update(changes)
    return fn(**kwargs)


# 1. numpy scalars ----------------------------------------------------------------------------


@pytest.mark.parametrize("key,arg", NUM_ARGS)
def test_numpy_scalars_are_numbers(key, arg):
    """np.float64/np.int64 (and 0-d arrays) give the very result a Python number gives;
    np.float32 and np.int32 are accepted too."""
    _, kwargs = CALLS[key].make()
    value, kind = kwargs[arg], CALLS[key].kinds[arg]
    expected = _call(key)
    same = [np.int64(value), np.array(value)] if kind.integer else [np.float64(value)]
    for variant in same + [np.array(value)]:
        assert _same(_call(key, **{arg: variant}), expected), f"{key}({arg}={variant!r})"
    _call(key, **{arg: np.int32(value) if kind.integer else np.float32(value)})


# 2. lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key,arg", ARRAY_ARGS)
def test_lists_work_where_arrays_do(key, arg):
    _, kwargs = CALLS[key].make()
    listed = np.asarray(kwargs[arg]).tolist()
    assert _same(_call(key, **{arg: listed}), _call(key)), f"{key}({arg}=list)"


def test_hand_written_keras_loss_takes_lists():
    """Was an AttributeError ('list' has no attribute 'shape')."""
    assert abs(float(stability.naive_bce_loss([0.0, 1.0], [0.2, 0.7]))
               - stability.naive_bce([0.0, 1.0], [0.2, 0.7]).mean()) <= TOL64


# 3. other exception types -------------------------------------------------------------------

X, Y = np.ones((4, 2)), np.array([[0.0], [1.0], [1.0], [0.0]])
LABELS_OUT_OF_RANGE = np.array([0, 1, 2, 5])


def _softmax_net():
    return network.Network(2, [network.Layer(3, "softmax")], seed=0)


ESCAPES = {
    # was AttributeError: 'Adam' object has no attribute 'step'
    "a Keras optimizer in a by-hand fit": (
        lambda: network.Network(2, [network.Layer(1, "sigmoid")]).fit(
            X, Y, "binary_crossentropy", keras.optimizers.Adam()
        ),
        TypeError,
        "optimizer",
    ),
    # was AttributeError: 'NoneType' object has no attribute 'uniform'
    "no random generator": (lambda: dense.glorot_uniform(2, 3, None), TypeError, "rng"),
    # were TensorFlow's InvalidArgumentError
    "labels out of range for a Keras model": (
        lambda: training.cost_and_gradients_keras(
            _softmax_net().to_keras(), X, LABELS_OUT_OF_RANGE, "sparse_categorical_crossentropy"
        ),
        ValueError,
        "y",
    ),
    "labels out of range for TF's gradient check": (
        lambda: gradient_check.gradient_check_keras(
            _softmax_net().to_keras(), X, LABELS_OUT_OF_RANGE, "sparse_categorical_crossentropy"
        ),
        ValueError,
        "y",
    ),
    "labels out of range for a Keras loss": (
        lambda: losses.cost_keras("sparse_categorical_crossentropy", [3], [[0.5, 0.5]]),
        ValueError,
        "y",
    ),
    # was numpy's UFuncTypeError (cannot cast), a message without the argument
    "integer parameters updated in place": (
        lambda: optimizers.GradientDescent().step([np.array([1, 2])], [np.ones(2)]),
        TypeError,
        "params[0]",
    ),
    # was a TypeError 'only length-1 arrays can be converted' naming nothing
    "a function that returns an array": (
        lambda: gradient_check.central_difference(lambda x: np.ones(3) * x, 1.0, 1e-3),
        TypeError,
        "f",
    ),
}


@pytest.mark.parametrize("case", ESCAPES)
def test_no_other_exception_type_escapes(case):
    call, error, word = ESCAPES[case]
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error and word in str(info.value)


# 4. messages that name the argument ---------------------------------------------------------

NAMED = {
    "scikit-learn's random_state": (lambda: data.digits(seed=-1), "seed"),
    "scikit-learn's one-class fit": (
        lambda: multiclass.mlp_classifier(np.ones((4, 2)), [1, 1, 1, 1]),
        "y",
    ),
    "scikit-learn's hidden layer sizes": (
        lambda: multiclass.mlp_classifier(np.ones((4, 2)), [0, 1, 0, 1], hidden=(3, 0)),
        "hidden[1]",
    ),
    "numpy's shape error for a dense layer": (
        lambda: dense.dense_backward(np.ones((3, 4)), np.ones((3, 2)), np.ones((5, 4))),
        "W",
    ),
    "a graph input that is no number": (
        lambda: computation_graph.forward(computation_graph.SQUARE_GRAPH, {"w": [3.0]}),
        "inputs['w']",
    ),
    "Keras's reduction": (
        lambda: losses.loss_keras("binary_crossentropy", reduction="avg"),
        "reduction",
    ),
    "an activation that is no string": (
        lambda: activations.activate(np.array(["relu"]), [1.0]),
        "activation",
    ),
}


@pytest.mark.parametrize("case", NAMED)
def test_messages_name_the_argument(case):
    call, word = NAMED[case]
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert word in str(info.value)


# 5. silent wrong answers --------------------------------------------------------------------


@pytest.mark.parametrize("key,arg", NUM_ARGS)
def test_nan_settings_are_refused(key, arg):
    with pytest.raises((ValueError, TypeError)) as info:
        _call(key, **{arg: np.nan})
    assert CALLS[key].names.get(arg, arg) in str(info.value)


TRUNCATING = {
    "an integer dtype for initial weights": lambda: dense.glorot_uniform(
        2, 3, np.random.default_rng(0), dtype=np.int64
    ),
    "an integer dtype for a network": lambda: network.Network(2, [network.Layer(1)], dtype=int),
    "integer parameters in the paper's Adam": lambda: optimizers.PaperAdam().step(
        [np.array([1, 2])], [np.ones(2)]
    ),
}


@pytest.mark.parametrize("case", TRUNCATING)
def test_integer_dtypes_are_refused_not_truncated(case):
    """Each once gave zeros or truncated weights without a word."""
    with pytest.raises((ValueError, TypeError)):
        TRUNCATING[case]()


def test_integer_inputs_become_floats_not_truncated():
    net = network.Network(2, [network.Layer(2, "relu"), network.Layer(1)], seed=0)
    ints = [np.array([[1, -2], [3, 4]]), np.array([1, 2]), np.array([[5], [-6]]), np.array([7])]
    net.set_weights(ints)
    assert all(w.dtype == np.float64 for w in net.get_weights())
    assert max_diff(net.get_weights(), ints) == 0
    Xi = np.array([[1, 2], [3, -1]])
    assert max_diff(net.predict(Xi), net.predict(Xi.astype(float))) == 0
    A = np.array([[1, 2]])
    assert max_diff(dense.dense_forward(A, np.eye(2), [0.5, 0.5]).A, [[1.5, 2.5]]) == 0


def _label_functions():
    """Every function that takes class labels y for outputs (m, 3), as f(y)."""
    z = np.random.default_rng(1).normal(size=(4, 3))
    p = activations.softmax(z)
    X4 = np.random.default_rng(2).normal(size=(4, 2))
    scce = "sparse_categorical_crossentropy"
    return {
        "sparse_categorical_crossentropy": lambda y: losses.sparse_categorical_crossentropy(y, p),
        "..._from_logits": lambda y: losses.sparse_categorical_crossentropy_from_logits(y, z),
        "..._grad_z": lambda y: losses.sparse_categorical_crossentropy_grad_z(y, z),
        "cost": lambda y: losses.cost(scce, y, z, from_logits=True),
        "cost_keras": lambda y: losses.cost_keras(scce, y, z, from_logits=True),
        "output_cost_and_grad": lambda y: losses.output_cost_and_grad(scce, y, z, "softmax"),
        "validate_targets": lambda y: losses.validate_targets(scce, y, (4, 3)),
        "naive_softmax_crossentropy": lambda y: stability.naive_softmax_crossentropy(y, z),
        "accuracy": lambda y: metrics.accuracy(y, z),
        "accuracy_keras": lambda y: metrics.accuracy_keras(y, z),
        "confusion_matrix": lambda y: metrics.confusion_matrix(y, [0, 1, 2, 0], 3),
        "Network.cost": lambda y: _softmax_net().cost(X4, y, scce),
        "Network.fit": lambda y: _softmax_net().fit(X4, y, scce, optimizers.Adam()),
        "cost_and_gradients_keras": lambda y: training.cost_and_gradients_keras(
            _softmax_net().to_keras(), X4, y, scce
        ),
        "gradient_check": lambda y: gradient_check.gradient_check(_softmax_net(), X4, y, scce),
    }


LABELS_ACCEPTED = {
    "ints (m,)": np.array([0, 2, 1, 1]),
    "ints (m, 1)": np.array([[0], [2], [1], [1]]),
    "whole floats": np.array([0.0, 2.0, 1.0, 1.0]),
    "numpy uint8": np.array([0, 2, 1, 1], dtype=np.uint8),
    "a list": [0, 2, 1, 1],
}
LABELS_REFUSED = {
    "a fraction": np.array([0, 2, 1, 0.5]),
    "a label = N": np.array([0, 3, 1, 1]),
    "a negative label": np.array([0, -1, 1, 1]),
    "NaN": np.array([0, np.nan, 1, 1]),
    "two columns": np.ones((4, 2)),
    "one label short": np.array([0, 2, 1]),
    "strings": np.array(["0", "2", "1", "1"]),
}


@pytest.mark.parametrize("name", sorted(_label_functions()))
def test_sibling_label_functions_accept_and_refuse_the_same_labels(name):
    f = _label_functions()[name]
    for y in LABELS_ACCEPTED.values():
        f(y)
    for form, y in LABELS_REFUSED.items():
        with pytest.raises((ValueError, TypeError)) as info:
            f(y)
        assert "y" in str(info.value), f"{name}, {form}: {info.value}"


def _binary_target_functions():
    """Every function that takes targets y in [0, 1] of shape (4, 1), as f(y)."""
    z = np.random.default_rng(3).normal(size=(4, 1))
    p = activations.sigmoid(z)
    X4 = np.random.default_rng(4).normal(size=(4, 2))
    bce = "binary_crossentropy"
    lr = logistic_regression
    return {
        "binary_crossentropy": lambda y: losses.binary_crossentropy(y, p),
        "..._from_logits": lambda y: losses.binary_crossentropy_from_logits(y, z),
        "..._grad_z": lambda y: losses.binary_crossentropy_grad_z(y, z),
        "cost": lambda y: losses.cost(bce, y, p),
        "cost_keras": lambda y: losses.cost_keras(bce, y, p),
        "output_cost_and_grad": lambda y: losses.output_cost_and_grad(bce, y, z, "sigmoid"),
        "naive_bce": lambda y: stability.naive_bce(y, p),
        "naive_sigmoid_bce": lambda y: stability.naive_sigmoid_bce(y, z),
        "bce_along_path": lambda y: stability.bce_along_path(y, z, "from_logits"),
        "logistic_regression.cost": lambda y: lr.cost(X4, y, np.ones(2), 0.0),
        "logistic_regression.gradients": lambda y: lr.gradients(X4, y, np.ones(2), 0.0),
        "LogisticRegression.cost": lambda y: lr.LogisticRegression(np.ones(2)).cost(X4, y, bce),
        "Network.cost": lambda y: network.Network(2, [network.Layer(1, "sigmoid")]).cost(
            X4, y, bce
        ),
    }


@pytest.mark.parametrize("name", sorted(_binary_target_functions()))
def test_sibling_loss_functions_accept_and_refuse_the_same_targets(name):
    f = _binary_target_functions()[name]
    for y in (np.array([[0.0], [1.0], [0.3], [1.0]]), [[0], [1], [1], [0]]):
        f(y)
    for y in (np.array([[0.0], [1.5], [0.3], [1.0]]), np.array([[0.0], [-0.1], [0.0], [1.0]]),
              np.array([[np.nan], [1.0], [0.0], [1.0]]), np.array([["a"], ["b"], ["c"], ["d"]])):
        with pytest.raises((ValueError, TypeError)) as info:
            f(y)
        assert "y" in str(info.value), f"{name}: {info.value}"


@pytest.mark.parametrize(
    "name", ["binary_accuracy", "binary_accuracy_keras", "precision_recall",
             "precision_recall_keras"],
)
def test_sibling_metrics_take_the_same_labels(name):
    f = getattr(metrics, name)
    p = np.array([0.2, 0.8, 0.6])
    for y in ([0, 1, 1], [0.0, 1.0, 1.0], np.array([False, True, True])):
        f(y, p)
    for y in ([0, 0.5, 1], [0, 2, 1], [0, np.nan, 1]):
        with pytest.raises(ValueError, match="y must"):
            f(y, p)


# 6. twins at the edges ------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.3, 0.1, 0.9])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_predictions_at_the_threshold_count_as_keras_counts_them(threshold, dtype):
    """p exactly at, just above and just below the threshold: by hand = Keras, exactly.
    (Keras's BinaryAccuracy rounds the threshold to float32; Precision/Recall do not.)"""
    t = float(dtype(threshold))
    p = np.array([t, np.nextafter(t, 1, dtype=dtype), np.nextafter(t, 0, dtype=dtype),
                  threshold, threshold], dtype=dtype)
    for y in (np.array([1.0, 1.0, 0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0, 1.0, 0.0])):
        assert metrics.binary_accuracy(y, p, threshold) == metrics.binary_accuracy_keras(
            y, p, threshold
        )
        assert max_diff(metrics.precision_recall(y, p, threshold),
                        metrics.precision_recall_keras(y, p, threshold)) == 0


CONSTANT_GRAPHS = {
    "a node built only from constants": (
        (("c", "mul", (2.0, 3.0)), ("d", "mul", ("c", "w")), ("J", "add", ("d", "c"))),
        {"w": 1.5},
    ),
    "a cost built only from constants": ((("J", "mul", (2.0, 3.0)),), {"w": 1.5}),
    "relu at 0 and a constant": (
        (("z", "sub", ("w", 1.0)), ("a", "relu", ("z",)), ("J", "mul", ("a", 4.0))),
        {"w": 1.0},
    ),
}


@pytest.mark.parametrize("name", CONSTANT_GRAPHS)
def test_graph_edges_match_gradient_tape(name):
    """dJ/d(every node): by hand = TensorFlow, also for nodes TF would not watch by itself."""
    steps, inputs = CONSTANT_GRAPHS[name]
    values, grads = computation_graph.derivatives(steps, inputs)
    values_tf, grads_tf = computation_graph.derivatives_keras(steps, inputs)
    assert values == values_tf and grads == grads_tf
    if name == "a node built only from constants":
        assert grads["c"] == 1.5 + 1.0  # J = c w + c


def _mixed_pairs():
    rng = np.random.default_rng(5)
    A, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    X1, K1, b1 = rng.normal(size=(2, 9, 2)), rng.normal(size=(3, 2, 2)), rng.normal(size=2)
    X2, K2 = rng.normal(size=(2, 5, 5, 1)), rng.normal(size=(2, 3, 1, 2))
    dZ = rng.normal(size=(2, 7, 2))
    Y, p = np.eye(3)[[0, 2, 1, 1]], activations.softmax(rng.normal(size=(4, 3)))
    y, q = (rng.uniform(size=(4, 2)) > 0.5).astype(float), rng.uniform(0.05, 0.95, size=(4, 2))
    f32 = np.float32
    return {
        "dense_forward": (
            lambda: dense.dense_forward(A.astype(f32), W, b).A,
            lambda: dense.dense_forward_keras(A.astype(f32), W, b),
            lambda: dense.dense_forward_keras(A, W, b.astype(f32)),
        ),
        "conv1d_forward": (
            lambda: convolution.conv1d_forward(X1, K1.astype(f32), b1).A,
            lambda: convolution.conv1d_forward_keras(X1, K1.astype(f32), b1),
            lambda: convolution.conv1d_forward_keras(X1.astype(f32), K1, b1),
        ),
        "conv2d_forward": (
            lambda: convolution.conv2d_forward(X2.astype(f32), K2, np.zeros(2)).A,
            lambda: convolution.conv2d_forward_keras(X2.astype(f32), K2, np.zeros(2)),
            lambda: convolution.conv2d_forward_keras(X2, K2.astype(f32), np.zeros(2)),
        ),
        "conv1d_backward": (
            lambda: convolution.conv1d_backward(dZ.astype(f32), X1, K1),
            lambda: convolution.conv1d_backward_keras(dZ.astype(f32), X1, K1, b1),
            lambda: convolution.conv1d_backward_keras(dZ, X1.astype(f32), K1, b1.astype(f32)),
        ),
        "categorical_crossentropy": (
            lambda: losses.categorical_crossentropy(Y.astype(f32), p),
            lambda: losses.categorical_crossentropy_keras(Y.astype(f32), p),
            lambda: losses.categorical_crossentropy_keras(Y, p.astype(f32)),
        ),
        "cost (binary cross-entropy)": (
            lambda: losses.cost("binary_crossentropy", y.astype(f32), q),
            lambda: losses.cost_keras("binary_crossentropy", y.astype(f32), q),
            lambda: losses.cost_keras("binary_crossentropy", y, q.astype(f32)),
        ),
        "cost (mean squared error)": (
            lambda: losses.cost("mean_squared_error", q.astype(f32), y, reduce=False),
            lambda: losses.cost_keras("mean_squared_error", q.astype(f32), y, reduce=False),
            lambda: losses.cost_keras("mean_squared_error", q, y.astype(f32), reduce=False),
        ),
        "unit_contributions": (
            lambda: piecewise_linear.unit_contributions(
                piecewise_linear.relu_network_weights([0.0, 1.0], [1.0, -2.0]), A[:, 0].astype(f32)
            ),
            lambda: piecewise_linear.unit_contributions_keras(_pieces(), A[:, 0].astype(f32)),
            lambda: piecewise_linear.unit_contributions_keras(_pieces(), A[:, 0]),
        ),
    }


def _pieces():
    net = network.Network(1, [network.Layer(2, "relu"), network.Layer(1)])
    net.set_weights(piecewise_linear.relu_network_weights([0.0, 1.0], [1.0, -2.0]))
    return net.to_keras()


@pytest.mark.parametrize("name", sorted(_mixed_pairs()))
def test_mixed_float32_and_float64_inputs_agree_with_keras(name):
    """One input float32, the others float64: the by-hand result is float64 and within TOL64
    of the Keras twin given the same inputs; the twin does not depend on which input it is."""
    by_hand, keras_same, keras_other = (f() for f in _mixed_pairs()[name])
    first = by_hand[0] if isinstance(by_hand, tuple) else by_hand
    assert np.asarray(first).dtype == np.float64
    assert max_diff(by_hand, keras_same) <= TOL64
    assert max_diff(keras_same, keras_other) <= 1e-6  # another input rounded to float32


def test_mixed_types_compute_in_float64():
    y32 = np.array([0.1, 0.9], np.float32)
    p64 = np.array([0.3, 0.6])
    assert losses.binary_crossentropy(y32, p64, reduce=False).dtype == np.float64
    assert validation.common_float(y32, p64)[0].dtype == np.float64
    assert multiclass.softmax_regression(p64[None], np.eye(2, dtype=np.float32), [0, 0]).A.dtype \
        == np.float64


# 7. data generators ------------------------------------------------------------------------


def _finite_split(split):
    parts = (split.X_train, split.y_train, split.X_test, split.y_test)
    assert all(len(part) >= 1 and np.all(np.isfinite(part)) for part in parts)
    s = split.standardized()
    assert all(np.all(np.isfinite(part)) for part in (s.X_train, s.X_test))


@pytest.mark.parametrize("m", range(2, 13))
@pytest.mark.parametrize("load", [data.coffee_roasting, data.regression_curve,
                                  data.resale_prices])
def test_small_data_sets_split_and_standardize(load, m):
    for seed in range(4):
        split = load(m=m, seed=seed)
        assert len(split.X_train) + len(split.X_test) == m
        _finite_split(split)


@pytest.mark.parametrize("m,length", [(6, 46), (7, 47), (9, 60), (11, 46), (20, 50)])
def test_small_ekg_sets(m, length):
    for seed in range(5):
        split = data.ekg_signals(m=m, length=length, seed=seed)
        assert split.X_train.shape[1] == length
        _finite_split(split)


@pytest.mark.parametrize(
    "noise,prevalence",
    [(0.0, (0.5, 0.3, 0.4)), (5.0, (0.5, 0.3, 0.4)), (0.3, (0.01, 0.01, 0.01)),
     (0.3, (0.99, 0.99, 0.99)), (np.float32(0.2), np.array([0.02, 0.5, 0.98]))],
)
def test_street_scenes_for_any_valid_option(noise, prevalence):
    split = data.street_scenes(m=100, noise=noise, prevalence=prevalence, seed=3)
    _finite_split(split)
    assert set(np.unique(split.y_train)) <= {0.0, 1.0}


def test_digits_standardize_with_constant_pixels():
    """Some pixels are 0 in every training image: their std is 0, and they are only centred."""
    split = data.digits()
    assert (split.X_train.std(axis=0) == 0).any()
    _finite_split(split)
