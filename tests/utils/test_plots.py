"""The course's figures (utils.plots): drawn on white in the course style, with the marks,
labels and captions each lab's figure promises. (How legible they are where the book shows
them is tested in test_figure_output.py.)"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.support.graphs import GRAPHS, UNIT  # noqa: E402
from utils import computation_graph as graph  # noqa: E402
from utils import data, logistic_regression, plots  # noqa: E402
from utils.piecewise_linear import relu_network_weights, unit_contributions  # noqa: E402


def test_figures_are_drawn_on_white():
    plots.use_style()
    s = data.coffee_roasting().standardized()
    ax = plots.plot_decision_boundary(
        lambda P: logistic_regression.predict(P, np.ones(2), 0.0), s.X_train, s.y_train
    )
    assert ax.figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert ax.get_xlabel() == "x1" and len(ax.collections) >= 3
    ax = plots.plot_cost({"a": [3, 2, 1], "b": [3, 1, 0.5]}, logy=True, dashed=("b",))
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--"]
    legend = ax.get_legend().get_lines()
    assert [line.get_linestyle() for line in legend] == ["-", "--"]  # the legend agrees
    ticks = [t.get_text() for t in ax.yaxis.get_ticklabels() if t.get_text()]
    assert ticks and "$" not in "".join(ticks)  # plain numbers, no typeset powers of ten
    fig = plots.plot_digits(
        data.digits().X_test[:12], [1] * 12, predictions=[1] * 11 + [7], ncols=6
    )
    captions = [t.get_text() for t in fig.axes[0].texts]
    assert captions[-1] == "1 → 7" and len(captions) == 12
    plt.close("all")


def test_lab2_figures():
    plots.use_style()
    fig = plots.plot_activations()
    assert [ax.get_title() for ax in fig.axes] == ["linear", "sigmoid", "relu"]
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    x = np.linspace(0, 3, 31)
    weights = relu_network_weights([0.0, 1.0, 2.0], [-2.0, 1.0, 3.0], 2.0)
    fig = plots.plot_relu_units(x, unit_contributions(weights, x), 2.0, [0, 1, 2], target=x)
    assert len(fig.axes) == 4 and fig.axes[1].get_title() == "unit 2: slope +3 from x = 1"
    plt.close("all")


def test_graph_figure_shows_values_and_derivatives():
    plots.use_style()
    values = graph.forward(graph.ONE_UNIT_GRAPH, UNIT)
    ax = plots.plot_computation_graph(
        graph.ONE_UNIT_GRAPH, values, graph.backward(graph.ONE_UNIT_GRAPH, values)
    )
    texts = [t.get_text() for t in ax.texts]
    assert "c = w·x\n= -4" in texts and "∂J/∂w\n= -4" in texts and "w = 2" in texts
    ax = plots.plot_computation_graph(
        graph.TWO_LAYER_RELU_GRAPH, *graph.derivatives(*GRAPHS["two_layer_relu"])
    )
    assert "a1 = relu(z1)\n= 2" in [t.get_text() for t in ax.texts]  # the text of OPS["relu"]
    assert ax.figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    plt.close("all")


def test_epsilon_sweep_and_pass_count_figures():
    plots.use_style()
    eps = np.logspace(-8, -1, 8)
    ax = plots.plot_epsilon_sweep(eps, {"f": eps, "c": np.zeros(8)}, guides={"g": eps})
    assert ax.get_xscale() == "log" and len(ax.get_lines()) == 3
    ax = plots.plot_pass_counts([1, 10], {"a": [2, 20], "b": [2, 2]})
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    plt.close("all")


def test_confusion_matrix_figure():
    plots.use_style()
    matrix = np.array([[5, 1, 0], [0, 4, 0], [2, 0, 6]])
    ax = plots.plot_confusion_matrix(matrix, title="t")
    texts = {(t.get_position(), t.get_text()): t.get_color() for t in ax.texts}
    assert len(texts) == 5 and texts[((1, 0), "1")] == "#cc0000"
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    plt.close("all")


def test_image_grid_draws_captions_in_colour():
    plots.use_style()
    images = np.random.default_rng(0).uniform(size=(5, 256))
    fig = plots.plot_image_grid(images, list("abcde"), colors=["red"] * 5, ncols=3, title="t")
    (ax,) = fig.axes  # one Axes holds every image and caption
    assert [t.get_text() for t in ax.texts] == list("abcde") and len(ax.images) == 5
    assert {t.get_color() for t in ax.texts} == {"red"}
    assert ax.images[0].get_array().shape == (16, 16)
    # the fourth image starts the second row of 3 columns: below the first, same column
    first, fourth = ax.images[0].get_extent(), ax.images[3].get_extent()
    assert first[:2] == fourth[:2] and fourth[3] > first[2]
    fig = plots.plot_image_grid(images.reshape(5, 8, 32), ["x\ny"] * 5)
    assert fig.axes[0].images[0].get_array().shape == (8, 32)
    with pytest.raises(ValueError, match="one caption per image"):
        plots.plot_image_grid(images, ["only one"])
    with pytest.raises(ValueError, match="colors must hold one colour per image"):
        plots.plot_image_grid(images, list("abcde"), colors=["red"])
    plt.close("all")
