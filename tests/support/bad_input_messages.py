"""Bad-input cases: for each public function or class of ``utils``, calls that must raise a
ValueError or TypeError whose message names the argument.

``ALL_CASES`` maps ``"module.name"`` to a list of ``(call, exception type, message fragment)``;
tests/rules/test_bad_input.py runs them and fails when a public function has no case. Add
the cases of a new module as a dict of its own below and list it in ``ALL_CASES``.
"""

import keras
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from utils import (  # noqa: E402
    activations,
    agreement,
    convolution,
    data,
    dense,
    figure_output,
    logistic_regression,
    losses,
    metrics,
    multiclass,
    network,
    optimizers,
    source,
    stability,
    training,
    validation,
)
from utils import computation_graph as graph  # noqa: E402
from utils import cost_surfaces as cs  # noqa: E402
from utils import gradient_check as gc  # noqa: E402
from utils.activations import sigmoid  # noqa: E402
from utils.convolution import ConvLayer, ConvNetwork  # noqa: E402
from utils.linear_collapse import collapse_linear, collapse_linear_keras  # noqa: E402
from utils.logistic_regression import LogisticRegression  # noqa: E402
from utils.network import Layer, Network  # noqa: E402
from utils.optimizers import Adam, GradientDescent, PaperAdam, paper_adam_step  # noqa: E402
from utils.piecewise_linear import (  # noqa: E402
    piecewise_linear,
    relu_network_weights,
    unit_contributions,
    unit_contributions_keras,
)

NAN = np.array([[0.0, np.nan]])
INF = np.array([[np.inf, 0.0]])
EMPTY = np.zeros((0, 3))
GOOD_Z = np.array([[0.5, -1.0]])
X2 = np.ones((3, 2))
NET = network.Network(2, [network.Layer(3, "relu"), network.Layer(1, "sigmoid")])

# name -> list of (call, exception type, message fragment that names the argument)
CORE = {
    "activations.linear": [(lambda: activations.linear(NAN), ValueError, "z must be finite")],
    "activations.sigmoid": [
        (lambda: activations.sigmoid(INF), ValueError, "z must be finite"),
        (lambda: activations.sigmoid("a"), TypeError, "z must hold real"),
    ],
    "activations.relu": [(lambda: activations.relu(EMPTY), ValueError, "z must not be empty")],
    "activations.softmax": [
        (lambda: activations.softmax(3.0), ValueError, "z must have at least"),
        (lambda: activations.softmax(NAN), ValueError, "z must be finite"),
    ],
    "activations.linear_derivative": [
        (lambda: activations.linear_derivative(INF), ValueError, "z")
    ],
    "activations.sigmoid_derivative": [
        (lambda: activations.sigmoid_derivative(NAN), ValueError, "z")
    ],
    "activations.relu_derivative": [(lambda: activations.relu_derivative(EMPTY), ValueError, "z")],
    "activations.softmax_jacobian": [
        (lambda: activations.softmax_jacobian([1.0, 2.0]), ValueError, "z must have 2 dimension")
    ],
    "activations.activate": [
        (lambda: activations.activate("elu", GOOD_Z), ValueError, "activation")
    ],
    "activations.derivative": [
        (lambda: activations.derivative("softmax", GOOD_Z), ValueError, "activation must be one")
    ],
    "activations.activate_keras": [
        (lambda: activations.activate_keras("relu", NAN), ValueError, "z must be finite")
    ],
    "activations.derivative_keras": [
        (lambda: activations.derivative_keras("softmax", GOOD_Z), ValueError, "activation")
    ],
    "activations.softmax_jacobian_keras": [
        (lambda: activations.softmax_jacobian_keras(EMPTY), ValueError, "z must not be empty")
    ],
    "losses.binary_crossentropy": [
        (lambda: losses.binary_crossentropy([[1.0]], [[1.5]]), ValueError, "p must lie in [0, 1]"),
        (lambda: losses.binary_crossentropy([[2.0]], [[0.5]]), ValueError, "y must lie in [0, 1]"),
        (lambda: losses.binary_crossentropy([1.0, 0.0], [[0.5, 0.5]]), ValueError, "same shape"),
        (lambda: losses.binary_crossentropy([np.nan], [0.5]), ValueError, "y must be finite"),
    ],
    "losses.binary_crossentropy_from_logits": [
        (
            lambda: losses.binary_crossentropy_from_logits([1.0], [np.inf]),
            ValueError,
            "z must be finite",
        ),
        (lambda: losses.binary_crossentropy_from_logits([], []), ValueError, "y must not be empty"),
    ],
    "losses.binary_crossentropy_grad_z": [
        (lambda: losses.binary_crossentropy_grad_z([1.0, 0.0], [1.0]), ValueError, "same shape")
    ],
    "losses.sparse_categorical_crossentropy": [
        (
            lambda: losses.sparse_categorical_crossentropy([3], [[0.5, 0.5]]),
            ValueError,
            "y must hold labels in 0..1",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0.5], [[0.5, 0.5]]),
            ValueError,
            "whole-number",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5]]),
            ValueError,
            "one label per row",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0], [0.5, 0.5]),
            ValueError,
            "p must have 2",
        ),
    ],
    "losses.sparse_categorical_crossentropy_from_logits": [
        (
            lambda: losses.sparse_categorical_crossentropy_from_logits([-1], GOOD_Z),
            ValueError,
            "y must hold labels",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy_from_logits([[0, 1]], GOOD_Z),
            ValueError,
            "y must have shape",
        ),
    ],
    "losses.sparse_categorical_crossentropy_grad_z": [
        (
            lambda: losses.sparse_categorical_crossentropy_grad_z([0], NAN),
            ValueError,
            "z must be finite",
        )
    ],
    "losses.logsumexp": [(lambda: losses.logsumexp([np.nan]), ValueError, "z must be finite")],
    "losses.logsumexp_keras": [
        (lambda: losses.logsumexp_keras(2.0), ValueError, "z must have at least")
    ],
    "losses.log_softmax": [(lambda: losses.log_softmax([1.0]), ValueError, "z must have 2")],
    "losses.mean_squared_error": [
        (
            lambda: losses.mean_squared_error([1.0], [1.0, 2.0]),
            ValueError,
            "y and y_hat must have the same shape",
        )
    ],
    "losses.mean_squared_error_grad_z": [
        (
            lambda: losses.mean_squared_error_grad_z([1.0], [1.0], "softmax"),
            ValueError,
            "activation",
        )
    ],
    "losses.one_hot": [
        (lambda: losses.one_hot([0, 3], 3), ValueError, "y must hold labels in 0..2")
    ],
    "losses.validate_loss": [
        (lambda: losses.validate_loss("hinge"), ValueError, "loss must be one of"),
        (lambda: losses.validate_loss("binary_crossentropy", 1), TypeError, "from_logits"),
    ],
    "losses.validate_output_layer": [
        (
            lambda: losses.validate_output_layer("mean_squared_error", "softmax"),
            ValueError,
            "activation must be one of",
        )
    ],
    "losses.validate_targets": [
        (
            lambda: losses.validate_targets("binary_crossentropy", np.ones(3), (3, 2)),
            ValueError,
            "y must have shape (3, 2)",
        )
    ],
    "losses.loss": [(lambda: losses.loss("hinge"), ValueError, "loss must be one of")],
    "losses.loss_keras": [
        (lambda: losses.loss_keras("mean_squared_error", True), ValueError, "from_logits"),
        (lambda: losses.loss_keras("mean_squared_error", reduction="avg"), ValueError, "reduction"),
    ],
    "losses.cost": [
        (
            lambda: losses.cost("sparse_categorical_crossentropy", [2], [[0.5, 0.5]]),
            ValueError,
            "y must hold labels in 0..1",
        )
    ],
    "losses.cost_keras": [
        (
            lambda: losses.cost_keras("binary_crossentropy", [1.0], [np.nan]),
            ValueError,
            "out must be finite",
        )
    ],
    "losses.output_cost_and_grad": [
        (
            lambda: losses.output_cost_and_grad("binary_crossentropy", [[1.0]], [[0.0]], "relu"),
            ValueError,
            "activation must be 'sigmoid'",
        )
    ],
    "dense.glorot_uniform": [
        (lambda: dense.glorot_uniform(0, 3, np.random.default_rng()), ValueError, "n_in")
    ],
    "dense.dense_forward": [
        (
            lambda: dense.dense_forward(X2, np.ones((3, 4)), np.zeros(4)),
            ValueError,
            "W must have 2 rows",
        ),
        (
            lambda: dense.dense_forward(X2, np.ones((2, 4)), np.zeros(3)),
            ValueError,
            "b must have shape (4,)",
        ),
        (
            lambda: dense.dense_forward(np.ones(2), np.ones((2, 4)), np.zeros(4)),
            ValueError,
            "A_in must have 2",
        ),
    ],
    "dense.dense_forward_loop": [
        (
            lambda: dense.dense_forward_loop(X2, np.ones((2, 2)), np.zeros(2), "softmax"),
            ValueError,
            "activation",
        )
    ],
    "dense.dense_backward": [
        (
            lambda: dense.dense_backward(np.ones((3, 5)), X2, np.ones((2, 4))),
            ValueError,
            "dZ must have shape",
        )
    ],
    "dense.dense_forward_keras": [
        (
            lambda: dense.dense_forward_keras(X2, np.ones((2, 4)), np.zeros(4), "tanh"),
            ValueError,
            "activation",
        )
    ],
    "network.Layer": [
        (lambda: network.Layer(0, "relu"), ValueError, "units"),
        (lambda: network.Layer(3, "swish"), ValueError, "activation"),
    ],
    "network.Network": [
        (lambda: network.Network(2, []), TypeError, "layers must be a non-empty list"),
        (lambda: network.Network(0, [network.Layer(1)]), ValueError, "n_inputs"),
        (
            lambda: network.Network(2, [network.Layer(3, "softmax"), network.Layer(1)]),
            ValueError,
            "softmax only",
        ),
        (lambda: NET.predict(np.ones((3, 5))), ValueError, "X must have shape (m, 2)"),
        (lambda: NET.set_weights([np.ones((2, 3))]), ValueError, "weights must hold 4 arrays"),
        (
            lambda: NET.set_weights([np.ones((3, 3)), 0, 0, 0]),
            ValueError,
            "weights[0] must have shape (2, 3)",
        ),
        (
            lambda: NET.fit(X2, np.ones((2, 1)), "binary_crossentropy", optimizers.Adam()),
            ValueError,
            "y must have shape (3, 1)",
        ),
        (
            lambda: NET.fit(
                X2, np.ones((3, 1)), "binary_crossentropy", optimizers.Adam(), epochs=0
            ),
            ValueError,
            "epochs",
        ),
        (
            lambda: NET.fit(
                X2, np.ones((3, 1)), "binary_crossentropy", optimizers.Adam(), batch_size=0
            ),
            ValueError,
            "batch_size",
        ),
        (
            lambda: NET.cost(X2, np.ones((3, 1)), "binary_crossentropy", from_logits=True),
            ValueError,
            "activation must be 'linear'",
        ),
        (
            lambda: NET.cost_and_gradients(X2, np.full((3, 1), 2.0), "binary_crossentropy"),
            ValueError,
            "y must lie in [0, 1]",
        ),
    ],
    "training.Model": [
        (lambda: NET.set_weights(NET.get_weights()[:2]), ValueError, "weights must hold 4 arrays"),
        (lambda: NET.fit(X2, X2[:, :1], "binary_crossentropy", "adam"), TypeError, "optimizer"),
    ],
    "training.cost_and_gradients_keras": [
        (
            lambda: training.cost_and_gradients_keras(NET.to_keras(), X2, X2, "hinge"),
            ValueError,
            "loss must be one of",
        ),
        (
            lambda: training.cost_and_gradients_keras(None, X2, X2, "binary_crossentropy"),
            TypeError,
            "model must be a keras.Model",
        ),
    ],
    "training.full_batch_dataset": [
        (
            lambda: training.full_batch_dataset(X2, np.ones(2)),
            ValueError,
            "y must have one target per row",
        ),
        (lambda: training.full_batch_dataset("X", np.ones(3)), TypeError, "X must hold"),
    ],
    "training.epochs_to_reach": [
        (lambda: training.epochs_to_reach([], 1.0), ValueError, "costs must not be empty"),
        (lambda: training.epochs_to_reach([1.0], [1.0, 2.0]), TypeError, "target must be a"),
    ],
    "optimizers.GradientDescent": [
        (lambda: optimizers.GradientDescent(-0.1), ValueError, "learning_rate"),
        (
            lambda: optimizers.GradientDescent().step([np.ones(2)], [np.ones(3)]),
            ValueError,
            "grads[0] must have shape",
        ),
        (
            lambda: optimizers.GradientDescent().step([np.ones(2)], []),
            ValueError,
            "grads must be a list of one array",
        ),
    ],
    "optimizers.Optimizer": [
        (lambda: optimizers.Optimizer().step([[1.0]], [[1.0]]), TypeError, "params[0] must be"),
    ],
    "optimizers.Adam": [
        (lambda: optimizers.Adam(beta_1=1.0), ValueError, "beta_1"),
        (lambda: optimizers.Adam(epsilon=0), ValueError, "epsilon"),
        (lambda: optimizers.Adam(learning_rate="fast"), TypeError, "learning_rate"),
        (
            lambda: optimizers.Adam().step([np.ones(2)], [np.array([np.nan, 0])]),
            ValueError,
            "grads[0] must be finite",
        ),
    ],
    "data.coffee_roasting": [(lambda: data.coffee_roasting(m=0), ValueError, "m must be")],
    "data.regression_curve": [(lambda: data.regression_curve(m=-5), ValueError, "m must be")],
    "data.digits": [(lambda: data.digits(seed=-1), ValueError, "seed must be an integer >= 0")],
    "data.four_blobs": [(lambda: data.four_blobs(m=1), ValueError, "m must be")],
    "validation.as_float_array": [
        (lambda: validation.as_float_array("q", [[1, 2], [3]]), TypeError, "q")
    ],
    "validation.as_labels": [
        (lambda: validation.as_labels("q", [1, 5], 3), ValueError, "q must hold labels")
    ],
    "validation.in_unit_interval": [
        (lambda: validation.in_unit_interval("q", np.array([2.0])), ValueError, "q")
    ],
    "validation.same_shape": [
        (lambda: validation.same_shape("a", np.ones(2), "b", np.ones(3)), ValueError, "a and b")
    ],
    "validation.positive_int": [
        (lambda: validation.positive_int("n", 2.5), TypeError, "n must be an integer"),
        (lambda: validation.positive_int("n", 0), ValueError, "n must be an integer >= 1"),
    ],
    "validation.as_number": [
        (lambda: validation.as_number("x", np.inf), ValueError, "x must be a finite"),
        (lambda: validation.as_number("x", True), TypeError, "x must be a number"),
    ],
    "validation.as_int": [
        (lambda: validation.as_int("n", 3, at_most=2), ValueError, "n must be an integer <= 2")
    ],
    "validation.as_seed": [(lambda: validation.as_seed("seed", -1), ValueError, "seed")],
    "validation.as_generator": [(lambda: validation.as_generator("rng", 0), TypeError, "rng")],
    "validation.as_float_dtype": [
        (lambda: validation.as_float_dtype("dtype", "int32"), ValueError, "dtype must be float")
    ],
    "validation.as_bool": [(lambda: validation.as_bool("flag", 1), TypeError, "flag")],
    "validation.as_choice": [(lambda: validation.as_choice("c", "x", ("a",)), ValueError, "c")],
    "validation.as_callable": [
        (lambda: validation.as_callable("f", 1, "a function"), TypeError, "f must be a function")
    ],
    "validation.as_array_list": [
        (lambda: validation.as_array_list("grads", []), TypeError, "grads must be a non-empty")
    ],
    "validation.common_float": [
        (lambda: validation.common_float(np.ones(1), [1.0]), TypeError, "arrays[1] must be")
    ],
    "validation.matching_arrays": [
        (
            lambda: validation.matching_arrays("y", [1.0], "p", [1.0, 2.0]),
            ValueError,
            "y and p must have the same shape",
        )
    ],
    "validation.labels_for_rows": [
        (
            lambda: validation.labels_for_rows("y", [0, 1], "z", np.ones((3, 2))),
            ValueError,
            "y must hold one label per row of z",
        )
    ],
}


# ---- computation_graph

COMPUTATION_GRAPH = {
    "computation_graph.validate_graph": [
        (lambda: graph.validate_graph([], {"w": 1.0}), ValueError, "steps must be a non-empty"),
        (lambda: graph.validate_graph(graph.SQUARE_GRAPH, [3.0]), TypeError, "inputs must be a"),
        (
            lambda: graph.validate_graph(graph.SQUARE_GRAPH, {"w": np.nan}),
            ValueError,
            "inputs['w'] must be a finite number",
        ),
        (
            lambda: graph.validate_graph((("c", "pow", ("w", 2.0)),), {"w": 1.0}),
            ValueError,
            "steps[0] op must be one of",
        ),
        (
            lambda: graph.validate_graph((("c", "square", ("w", "w")),), {"w": 1.0}),
            ValueError,
            "takes 1 args",
        ),
        (
            lambda: graph.validate_graph((("w", "square", ("w",)),), {"w": 1.0}),
            ValueError,
            "steps[0] must name a new node",
        ),
        (lambda: graph.validate_graph(("abc",), {"w": 1.0}), ValueError, "steps[0] must be a"),
    ],
    "computation_graph.forward": [
        (
            lambda: graph.forward(graph.ONE_UNIT_GRAPH, {"w": 1.0}),
            ValueError,
            "neither an input nor an earlier node",
        ),
        (lambda: graph.forward(graph.SQUARE_GRAPH, {"w": True}), TypeError, "inputs['w']"),
    ],
    "computation_graph.backward": [
        (
            lambda: graph.backward(graph.SQUARE_GRAPH, {"w": 3.0}),
            ValueError,
            "values must hold every node's value",
        ),
        (lambda: graph.backward(graph.SQUARE_GRAPH, [3.0]), TypeError, "values must be the dict"),
    ],
    "computation_graph.derivatives": [
        (lambda: graph.derivatives(graph.SQUARE_GRAPH, {"w": np.inf}), ValueError, "inputs['w']"),
    ],
    "computation_graph.derivatives_keras": [
        (lambda: graph.derivatives_keras("J", {"w": 1.0}), ValueError, "steps must be"),
        (
            lambda: graph.derivatives_keras(graph.SQUARE_GRAPH, {"w": "3"}),
            TypeError,
            "inputs['w'] must be a number",
        ),
    ],
}


# ---- convolution (and the EKG data)

CONV_LAYERS = [ConvLayer(1, 20, 10, "relu"), ConvLayer(1, 5, 2, "relu")]
GOOD_X, GOOD_K, GOOD_B = np.ones((2, 10, 1)), np.ones((3, 1, 2)), np.zeros(2)
CONV_NET = ConvNetwork(100, CONV_LAYERS, Layer(1, "sigmoid"))

CONVOLUTION = {
    "data.ekg_signals": [
        (lambda: data.ekg_signals(m=0), ValueError, "m must be"),
        (lambda: data.ekg_signals(length=45), ValueError, "length must be an integer >= 46"),
    ],
    "convolution.output_length": [
        (lambda: convolution.output_length(5, 6), ValueError, "kernel_size must be <= length"),
        (lambda: convolution.output_length(5, 2, 0), ValueError, "strides"),
        (lambda: convolution.output_length(0, 1), ValueError, "length"),
    ],
    "convolution.conv1d_forward": [
        (
            lambda: convolution.conv1d_forward(np.ones((10, 1)), GOOD_K, GOOD_B),
            ValueError,
            "X must have 3",
        ),
        (
            lambda: convolution.conv1d_forward(GOOD_X, np.ones((3, 2, 2)), GOOD_B),
            ValueError,
            "K must have 1 input channels",
        ),
        (
            lambda: convolution.conv1d_forward(GOOD_X, GOOD_K, np.zeros(3)),
            ValueError,
            "b must have shape (2,)",
        ),
        (
            lambda: convolution.conv1d_forward(GOOD_X, np.ones((11, 1, 2)), GOOD_B),
            ValueError,
            "must fit in X",
        ),
        (
            lambda: convolution.conv1d_forward(GOOD_X, GOOD_K, GOOD_B, strides=1.5),
            TypeError,
            "strides",
        ),
        (
            lambda: convolution.conv1d_forward(GOOD_X, GOOD_K, GOOD_B, activation="softmax"),
            ValueError,
            "activation",
        ),
    ],
    "convolution.conv1d_backward": [
        (
            lambda: convolution.conv1d_backward(np.ones((2, 7, 2)), GOOD_X, GOOD_K),
            ValueError,
            "dZ must have shape (2, 8, 2)",
        ),
        (
            lambda: convolution.conv1d_backward(np.ones((2, 8, 2)), GOOD_X * np.nan, GOOD_K),
            ValueError,
            "X must be finite",
        ),
    ],
    "convolution.conv1d_forward_keras": [
        (
            lambda: convolution.conv1d_forward_keras(GOOD_X, GOOD_K, GOOD_B, strides=0),
            ValueError,
            "strides",
        ),
    ],
    "convolution.conv1d_backward_keras": [
        (
            lambda: convolution.conv1d_backward_keras(np.ones((2, 8)), GOOD_X, GOOD_K, GOOD_B),
            ValueError,
            "dZ must have 3",
        ),
    ],
    "convolution.conv2d_forward": [
        (
            lambda: convolution.conv2d_forward(np.ones((2, 8, 8)), np.ones((3, 3, 1, 2)), GOOD_B),
            ValueError,
            "X must have 4",
        ),
        (
            lambda: convolution.conv2d_forward(
                np.ones((2, 8, 8, 1)), np.ones((3, 3, 1, 2)), GOOD_B, strides=(1, 2, 3)
            ),
            ValueError,
            "strides must be a positive integer or a pair",
        ),
    ],
    "convolution.conv2d_forward_keras": [
        (
            lambda: convolution.conv2d_forward_keras(
                np.ones((2, 8, 8, 1)), np.ones((9, 3, 1, 2)), GOOD_B
            ),
            ValueError,
            "must fit in X",
        ),
    ],
    "convolution.ConvLayer": [
        (lambda: ConvLayer(0, 3), ValueError, "filters"),
        (lambda: ConvLayer(2, 3, 0), ValueError, "strides"),
        (lambda: ConvLayer(2, 3, 1, "softmax"), ValueError, "activation"),
    ],
    "convolution.ConvNetwork": [
        (lambda: ConvNetwork(100, [], Layer(1)), TypeError, "conv_layers must be"),
        (lambda: ConvNetwork(100, CONV_LAYERS, 1), TypeError, "output must be a Layer"),
        (
            lambda: ConvNetwork(10, [ConvLayer(1, 20)], Layer(1)),
            ValueError,
            "conv_layers[0].kernel_size must be <= 10",
        ),
        (lambda: CONV_NET.predict(np.ones((2, 99))), ValueError, "X must have shape (m, 100)"),
        (lambda: CONV_NET.set_weights([np.ones(2)]), ValueError, "weights must hold 6 arrays"),
        (
            lambda: CONV_NET.fit(np.ones((3, 100)), np.ones((2, 1)), "binary_crossentropy", Adam()),
            ValueError,
            "y must have shape (3, 1)",
        ),
        (
            lambda: CONV_NET.fit(np.ones((3, 100)), np.ones((3, 1)), "hinge", Adam()),
            ValueError,
            "loss must be one of",
        ),
    ],
}


# ---- cost_surfaces

COST_SURFACES = {
    "cost_surfaces.bowl_cost": [
        (lambda: cs.bowl_cost([1.0, 2.0, 3.0]), ValueError, "w must have 2 entries"),
        (lambda: cs.bowl_cost([1.0, 2.0], [1.0, -1.0]), ValueError, "curvatures must all be > 0"),
        (lambda: cs.bowl_cost(np.nan * np.ones(2)), ValueError, "w must be finite"),
    ],
    "cost_surfaces.bowl_gradient": [
        (lambda: cs.bowl_gradient(3.0), ValueError, "w must have at least 1"),
        (lambda: cs.bowl_gradient([1.0, 2.0], [[1.0, 2.0]]), ValueError, "curvatures must have 1"),
    ],
    "cost_surfaces.descent_path": [
        (lambda: cs.descent_path(GradientDescent(), 0), ValueError, "steps must be an integer"),
        (lambda: cs.descent_path("sgd", 5), TypeError, "optimizer must be a utils.optimizers"),
        (lambda: cs.descent_path(Adam(), 5, w0=[[1.0, 2.0]]), ValueError, "w0 must have 1"),
    ],
    "cost_surfaces.descent_path_keras": [
        (lambda: cs.descent_path_keras("adam", 5), TypeError, "optimizer must be a Keras"),
        (lambda: cs.descent_path_keras(Adam(), 5, w0=[1.0]), ValueError, "w0 must have 2 entries"),
    ],
}


# ---- figure_output

FIGURE_OUTPUT = {
    "figure_output.drawn_texts": [
        (lambda: figure_output.drawn_texts("fig"), TypeError, "fig must be a matplotlib Figure")
    ],
    "figure_output.smallest_text_px": [
        (lambda: figure_output.smallest_text_px(None), TypeError, "fig must be")
    ],
    "figure_output.overlapping_texts": [
        (lambda: figure_output.overlapping_texts(plt.gca()), TypeError, "fig must be")
    ],
    "figure_output.png_size": [
        (lambda: figure_output.png_size(b"GIF89a" + bytes(20)), ValueError, "png must be")
    ],
    "figure_output.render_png": [
        (lambda: figure_output.render_png([]), TypeError, "fig must be")
    ],
    "figure_output.display_size": [
        (lambda: figure_output.display_size("x.png"), ValueError, "png must be")
    ],
    "figure_output.inline_png": [(lambda: figure_output.inline_png(1), TypeError, "fig must be")],
    "figure_output.use_inline_png": [
        (lambda: figure_output.use_inline_png("kernel"), TypeError, "shell must be an IPython")
    ],
}


# ---- gradient_check

GC_NET = Network(2, [Layer(2, "sigmoid"), Layer(1, "sigmoid")])
Y2 = np.ones((3, 1))

GRADIENT_CHECK = {
    "gradient_check.forward_difference": [
        (lambda: gc.forward_difference(sigmoid, 1.0, 0.0), ValueError, "eps must be"),
        (lambda: gc.forward_difference("sin", 1.0, 1e-3), TypeError, "f must be a function"),
    ],
    "gradient_check.central_difference": [
        (lambda: gc.central_difference(sigmoid, [1.0, 2.0], 1e-3), TypeError, "x must be a number"),
        (lambda: gc.central_difference(sigmoid, np.nan, 1e-3), ValueError, "x must be a finite"),
    ],
    "gradient_check.epsilon_sweep": [
        (lambda: gc.epsilon_sweep(sigmoid, 0.2, 1.0, [1e-3, -1e-3]), ValueError, "epsilons"),
        (lambda: gc.epsilon_sweep(sigmoid, np.inf, 1.0, [1e-3]), ValueError, "dfdx"),
    ],
    "gradient_check.numerical_gradients": [
        (lambda: gc.numerical_gradients(lambda p: 0.0, []), TypeError, "params must be"),
        (
            lambda: gc.numerical_gradients(lambda p: [1.0, 2.0], [np.ones(2)]),
            TypeError,
            "cost must return one finite number",
        ),
        (lambda: gc.numerical_gradients(None, [np.ones(2)]), TypeError, "cost must be"),
        (
            lambda: gc.numerical_gradients(lambda p: 0.0, [np.ones(2)], eps=-1),
            ValueError,
            "eps",
        ),
    ],
    "gradient_check.relative_error": [
        (lambda: gc.relative_error([np.ones(2)], [np.ones(3)]), ValueError, "same shape"),
        (lambda: gc.relative_error(np.ones(2), np.ones(2)), TypeError, "list of arrays"),
    ],
    "gradient_check.gradient_check": [
        (
            lambda: gc.gradient_check("net", X2, Y2, "binary_crossentropy"),
            TypeError,
            "model must be a by-hand model",
        ),
        (
            lambda: gc.gradient_check(GC_NET, np.ones((3, 5)), Y2, "binary_crossentropy"),
            ValueError,
            "X must have shape (m, 2)",
        ),
    ],
    "gradient_check.gradient_check_keras": [
        (
            lambda: gc.gradient_check_keras(GC_NET, X2, Y2, "binary_crossentropy"),
            TypeError,
            "model must be a keras.Model",
        ),
        (
            lambda: gc.gradient_check_keras(
                keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), X2, Y2, "hinge"
            ),
            ValueError,
            "loss must be one of",
        ),
    ],
    "gradient_check.pass_counts": [
        (lambda: gc.pass_counts(0), ValueError, "n_params"),
        (lambda: gc.pass_counts(2.0), TypeError, "n_params"),
    ],
}


# ---- linear_collapse

LINEAR_COLLAPSE = {
    "linear_collapse.collapse_linear": [
        (lambda: collapse_linear([np.ones((2, 2))]), TypeError, "net must be"),
        (
            lambda: collapse_linear(Network(2, [Layer(3, "relu"), Layer(1, "linear")])),
            ValueError,
            "net must have linear hidden layers",
        ),
    ],
    "linear_collapse.collapse_linear_keras": [
        (lambda: collapse_linear_keras(np.ones(2)), TypeError, "model must be"),
        (
            lambda: collapse_linear_keras(
                Network(2, [Layer(3, "sigmoid"), Layer(1, "linear")]).to_keras()
            ),
            ValueError,
            "model must have linear hidden layers",
        ),
        (
            lambda: collapse_linear_keras(
                keras.Sequential([keras.Input((2,)), keras.layers.Dropout(0.5)])
            ),
            ValueError,
            "model must hold only Dense",
        ),
    ],
}


# ---- logistic_regression

LOGISTIC_REGRESSION = {
    "logistic_regression.predict": [
        (
            lambda: logistic_regression.predict(np.ones((3, 2)), np.ones(3), 0.0),
            ValueError,
            "w must have shape (2,)",
        )
    ],
    "logistic_regression.cost": [
        (
            lambda: logistic_regression.cost(np.ones((3, 2)), np.ones(2), np.ones(2), 0.0),
            ValueError,
            "y must hold one target",
        ),
        (
            lambda: logistic_regression.cost(np.ones((3, 2)), np.ones(3), np.ones(2), np.nan),
            ValueError,
            "b must be a finite number",
        ),
    ],
    "logistic_regression.gradients": [
        (
            lambda: logistic_regression.gradients(np.zeros((0, 3)), [], np.ones(3), 0.0),
            ValueError,
            "X must not be empty",
        ),
        (
            lambda: logistic_regression.gradients(np.ones((2, 2)), [0.0, 2.0], np.ones(2), 0.0),
            ValueError,
            "y must lie in [0, 1]",
        ),
    ],
    "logistic_regression.gradient_descent_update": [
        (
            lambda: logistic_regression.gradient_descent_update(
                np.ones((3, 2)), np.ones(3), np.ones(2), 0.0, 0
            ),
            ValueError,
            "alpha",
        )
    ],
    "logistic_regression.LogisticRegression": [
        (lambda: LogisticRegression(np.ones((2, 1))), ValueError, "w must have 1"),
        (lambda: LogisticRegression(np.ones(2), "0"), TypeError, "b must be a number"),
        (
            lambda: LogisticRegression(np.ones(2)).fit(
                np.ones((3, 2)), np.ones(3), "binary_crossentropy", GradientDescent(), epochs=0
            ),
            ValueError,
            "epochs",
        ),
        (
            lambda: LogisticRegression(np.ones(2)).fit(
                np.ones((3, 2)), np.ones(3), "sparse_categorical_crossentropy", GradientDescent()
            ),
            ValueError,
            "activation must be 'softmax'",
        ),
    ],
}


# ---- metrics

METRICS = {
    "metrics.binary_accuracy": [
        (lambda: metrics.binary_accuracy([0.5], [0.5]), ValueError, "y must hold 0/1"),
        (lambda: metrics.binary_accuracy([1.0], [0.5], threshold=1.5), ValueError, "threshold"),
    ],
    "metrics.precision_recall": [
        (lambda: metrics.precision_recall([[1.0, 0.0]], [[0.5]]), ValueError, "same shape")
    ],
    "metrics.predicted_classes": [
        (lambda: metrics.predicted_classes([0.1, 0.9]), ValueError, "scores must have 2")
    ],
    "metrics.accuracy": [
        (lambda: metrics.accuracy([4], [[0.1, 0.9]]), ValueError, "y must hold labels in 0..1"),
        (lambda: metrics.accuracy([0, 1], [[0.1, 0.9]]), ValueError, "one label per row"),
    ],
    "metrics.confusion_matrix": [
        (lambda: metrics.confusion_matrix([0, 1], [0, 2], 2), ValueError, "predicted must hold"),
        (lambda: metrics.confusion_matrix([0], [0], 0), ValueError, "n_classes"),
    ],
    "metrics.binary_accuracy_keras": [
        (lambda: metrics.binary_accuracy_keras([2.0], [0.5]), ValueError, "y must hold 0/1")
    ],
    "metrics.precision_recall_keras": [
        (lambda: metrics.precision_recall_keras([1.0], [np.nan]), ValueError, "p must be finite")
    ],
    "metrics.accuracy_keras": [
        (lambda: metrics.accuracy_keras([0], [[np.inf, 0.0]]), ValueError, "scores must be finite")
    ],
}


# ---- multiclass (and categorical cross-entropy)

MULTICLASS = {
    "multiclass.softmax_regression": [
        (
            lambda: multiclass.softmax_regression(np.ones((2, 3)), np.ones((2, 4)), np.zeros(4)),
            ValueError,
            "W must have 3 rows",
        ),
        (
            lambda: multiclass.softmax_regression(np.ones((2, 3)), np.ones((3, 4)), np.zeros(3)),
            ValueError,
            "b must have shape (4,)",
        ),
        (
            lambda: multiclass.softmax_regression(np.ones(3), np.ones((3, 4)), np.zeros(4)),
            ValueError,
            "X must have 2",
        ),
    ],
    "multiclass.softmax_regression_keras": [
        (
            lambda: multiclass.softmax_regression_keras(np.ones((3, 4)), [np.nan] * 4),
            ValueError,
            "b must be finite",
        )
    ],
    "losses.categorical_crossentropy": [
        (
            lambda: losses.categorical_crossentropy([[1.0, 0.0]], [[0.5, 0.3, 0.2]]),
            ValueError,
            "Y and p must have the same shape",
        ),
        (
            lambda: losses.categorical_crossentropy([[1.0, 0.0]], [[1.5, -0.5]]),
            ValueError,
            "p must lie in [0, 1]",
        ),
        (
            lambda: losses.categorical_crossentropy([[1.0, 0.0]], [[0.0, 0.0]]),
            ValueError,
            "p must have a positive sum",
        ),
        (
            lambda: losses.categorical_crossentropy([1.0, 0.0], [0.5, 0.5]),
            ValueError,
            "Y must have at least 2",
        ),
    ],
    "losses.categorical_crossentropy_keras": [
        (
            lambda: losses.categorical_crossentropy_keras([[2.0, 0.0]], [[0.5, 0.5]]),
            ValueError,
            "Y must lie in [0, 1]",
        )
    ],
    "multiclass.mlp_classifier": [
        (
            lambda: multiclass.mlp_classifier(np.ones((3, 2)), [0, 1]),
            ValueError,
            "y must hold one label per row",
        ),
        (
            lambda: multiclass.mlp_classifier(np.ones((2, 2)), [0, 1.5]),
            ValueError,
            "y must hold whole-number",
        ),
        (
            lambda: multiclass.mlp_classifier(np.ones((2, 2)), [0, 1], hidden=25),
            TypeError,
            "hidden must be a non-empty sequence",
        ),
        (
            lambda: multiclass.mlp_classifier(np.ones((2, 2)), [0, 1], batch_size=0),
            ValueError,
            "batch_size",
        ),
        (
            lambda: multiclass.mlp_classifier(
                data.digits().X_train[:200], data.digits().y_train[:200], max_iter=2
            ),
            RuntimeError,
            "did not converge in max_iter=2",
        ),
    ],
}


# ---- data: Lab 5's street scenes

STREET_SCENES = {
    "data.street_scenes": [
        (lambda: data.street_scenes(m=0), ValueError, "m must be an integer >= 100"),
        (lambda: data.street_scenes(m=50.0), TypeError, "m must be an integer"),
        (lambda: data.street_scenes(noise=-0.1), ValueError, "noise must be"),
        (lambda: data.street_scenes(noise=np.nan), ValueError, "noise must be"),
        (lambda: data.street_scenes(prevalence=(0.5, 1.0, 0.2)), ValueError, "prevalence"),
        (lambda: data.street_scenes(prevalence=(0.5, 0.5)), ValueError, "prevalence"),
    ],
    "data.label_captions": [
        (lambda: data.label_captions([[1, 0]]), ValueError, "y must have one column per label"),
        (lambda: data.label_captions([1, 0, 1]), ValueError, "y must have 2"),
        (lambda: data.label_captions([[1, 0, 0.5]]), ValueError, "y must hold 0/1"),
    ],
}


# ---- optimizers: the paper's Adam

PAPER_ADAM = {
    "optimizers.paper_adam_step": [
        (
            lambda: paper_adam_step(np.ones(2), np.ones(3), np.ones(2), np.ones(2), 1),
            ValueError,
            "g must",
        ),
        (
            lambda: paper_adam_step(np.ones(2), np.ones(2), np.ones(2), -np.ones(2), 1),
            ValueError,
            "v must",
        ),
        (
            lambda: paper_adam_step(np.ones(2), np.ones(2), np.ones(2), np.ones(2), 0),
            ValueError,
            "t must",
        ),
        (
            lambda: paper_adam_step(np.ones(2), np.ones(2), np.ones(2), np.ones(2), 1, beta_2=1.0),
            ValueError,
            "beta_2",
        ),
        (lambda: paper_adam_step([np.nan], [1.0], [0.0], [0.0], 1), ValueError, "w must be finite"),
    ],
    "optimizers.PaperAdam": [
        (lambda: PaperAdam(learning_rate=0), ValueError, "learning_rate"),
        (lambda: PaperAdam(beta_1=-0.1), ValueError, "beta_1"),
        (lambda: PaperAdam().step([np.ones(2)], [np.ones(3)]), ValueError, "grads[0] must have"),
    ],
}


PAPER_ADAM["optimizers.adam_directions"] = [
    (lambda: __import__("utils").optimizers.adam_directions([1.0, 2.0]), ValueError, "grads"),
    (
        lambda: __import__("utils").optimizers.adam_directions([[1.0]], beta_1=1),
        ValueError,
        "beta_1",
    ),
]


# ---- piecewise_linear

PIECEWISE_LINEAR = {
    "piecewise_linear.piecewise_linear": [
        (lambda: piecewise_linear([0.0], [1.0, 0.0], [1.0, 2.0]), ValueError, "knots must be"),
        (lambda: piecewise_linear([0.0], [0.0, 1.0], [1.0]), ValueError, "slopes must hold"),
        (lambda: piecewise_linear([np.nan], [0.0], [1.0]), ValueError, "x must be finite"),
    ],
    "piecewise_linear.relu_network_weights": [
        (lambda: relu_network_weights([0.0], [1.0], [1.0, 2.0]), TypeError, "start must be a"),
        (lambda: relu_network_weights([[0.0]], [1.0]), ValueError, "knots must have 1"),
    ],
    "piecewise_linear.unit_contributions": [
        (lambda: unit_contributions([np.ones((1, 2))], [0.0]), ValueError, "weights must be"),
        (
            lambda: unit_contributions(
                [np.ones((1, 2)), np.ones(2), np.ones((3, 1)), [0.0]], [0.0]
            ),
            ValueError,
            "W1 must have shape (1, 2) and W2 shape (2, 1)",
        ),
        (lambda: unit_contributions([], np.ones((2, 2))), ValueError, "x must have shape"),
    ],
    "piecewise_linear.unit_contributions_keras": [
        (lambda: unit_contributions_keras(None, [0.0]), TypeError, "model must be"),
    ],
}


# ---- agreement

AGREEMENT = {
    "agreement.max_abs_difference": [
        (lambda: agreement.max_abs_difference(np.ones(2), np.ones(3)), ValueError, "same shape"),
        (
            lambda: agreement.max_abs_difference([np.ones(2), np.ones(1)], np.ones(2)),
            ValueError,
            "lists of arrays of the same length",
        ),
        (lambda: agreement.max_abs_difference(["a"], [1.0]), TypeError, "a[0] must hold"),
    ],
    "agreement.report_agreement": [
        (lambda: agreement.report_agreement("x", 1.0, 1.0, -1), ValueError, "tol"),
    ],
}


# ---- data: Lab 2's resale prices

RESALE_PRICES = {
    "data.resale_prices": [(lambda: data.resale_prices(m=0), ValueError, "m must be")],
}


# ---- stability

STABILITY = {
    "stability.roundoff_two_ways": [
        (lambda: stability.roundoff_two_ways(0), ValueError, "n must be"),
        (lambda: stability.roundoff_two_ways(dtype="float16"), ValueError, "dtype"),
    ],
    "stability.naive_sigmoid": [(lambda: stability.naive_sigmoid("a"), TypeError, "z must hold")],
    "stability.naive_bce": [
        (lambda: stability.naive_bce([0.0], [1.5]), ValueError, "p must lie in [0, 1]"),
        (lambda: stability.naive_bce([0.0, 1.0], [0.5]), ValueError, "same shape"),
    ],
    "stability.naive_sigmoid_bce": [
        (lambda: stability.naive_sigmoid_bce([2.0], [1.0]), ValueError, "y must lie in [0, 1]")
    ],
    "stability.naive_bce_loss": [
        (lambda: stability.naive_bce_loss(np.zeros((2, 1)), np.zeros(2)), ValueError, "same shape")
    ],
    "stability.naive_softmax": [
        (lambda: stability.naive_softmax(1.0), ValueError, "z must have at least")
    ],
    "stability.naive_logsumexp": [
        (lambda: stability.naive_logsumexp(np.zeros((2, 0))), ValueError, "z must not be empty")
    ],
    "stability.naive_softmax_crossentropy": [
        (lambda: stability.naive_softmax_crossentropy([2], [[0.0, 1.0]]), ValueError, "y must hold")
    ],
    "stability.bce_along_path": [
        (lambda: stability.bce_along_path([0.0], [1.0], "clip"), ValueError, "path must be"),
        (lambda: stability.bce_along_path([0.0], [1.0, 2.0], "from_logits"), ValueError, "same"),
    ],
}


SECTIONS = [
    CORE,
    COMPUTATION_GRAPH,
    CONVOLUTION,
    COST_SURFACES,
    FIGURE_OUTPUT,
    GRADIENT_CHECK,
    LINEAR_COLLAPSE,
    LOGISTIC_REGRESSION,
    METRICS,
    MULTICLASS,
    STREET_SCENES,
    PAPER_ADAM,
    PIECEWISE_LINEAR,
    AGREEMENT,
    RESALE_PRICES,
    STABILITY,
]

# The seams made public (training.model_inputs, data.train_size, validation.as_instances)
SEAM_NET = Network(3, [Layer(4, "relu"), Layer(1, "sigmoid")], seed=2)
SEAMS = {
    "training.model_inputs": [
        (lambda: training.model_inputs(None, np.ones((12, 3))), TypeError,
         "model must be a keras.Model"),
        (
            lambda: training.model_inputs(SEAM_NET.to_keras(), np.ones((2, 5))),
            ValueError,
            "X must have shape (m, 3)",
        ),
    ],
    "data.train_size": [(lambda: data.train_size(1), ValueError, "m must be an integer >= 2")],
    "validation.as_instances": [
        (
            lambda: validation.as_instances("q", [np.ones(2)], Layer, "Layer"),
            TypeError,
            "q must be a non-empty list of Layer, q[0] is ndarray",
        )
    ],
}
SECTIONS.append(SEAMS)

# ---- source

SOURCE = {
    "source.show_source": [
        (lambda: source.show_source(3), TypeError, "obj must be a function, method or class"),
        (lambda: source.show_source(len), TypeError, "obj must be a function"),
        (lambda: source.show_source(np.ones(2)), TypeError, "obj must be"),
    ],
}
SECTIONS.append(SOURCE)


def _all_cases():
    cases = {}
    for section in SECTIONS:
        assert not set(section) & set(cases), f"cases repeated: {sorted(set(section) & set(cases))}"
        cases.update(section)
    return cases


ALL_CASES = _all_cases()
