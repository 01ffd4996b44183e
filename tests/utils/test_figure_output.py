"""Every figure of utils.plots follows the book's figure rule (utils.figure_output): rendered as
the notebook renders it, it has at least 2 image px per CSS px where the book shows it, its
smallest text is at least 11 CSS px there, and no two of its texts overlap. In a real kernel,
the course style makes every figure output such a PNG, tagged with its smallest text size."""

import base64
import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager  # noqa: E402
from PIL import Image  # noqa: E402

from utils import computation_graph, cost_surfaces, data, figure_output, plots  # noqa: E402
from utils.figure_output import (  # noqa: E402
    COLUMN_PX,
    MIN_TEXT_PX,
    RENDER_DPI,
    SMALLEST_TEXT_KEY,
)
from utils.optimizers import GradientDescent  # noqa: E402
from utils.piecewise_linear import relu_network_weights, unit_contributions  # noqa: E402


def _graph(steps, inputs, title):
    values = computation_graph.forward(steps, inputs)
    grads = computation_graph.backward(steps, values)
    return plots.plot_computation_graph(steps, values, grads, title=title)


def _relu_units():
    x = np.linspace(-0.5, 3, 351)
    weights = relu_network_weights([0.0, 1.0, 2.0], [0.5, 1.5, -2.5], 0.2)
    return plots.plot_relu_units(x, unit_contributions(weights, x), 0.2, [0, 1, 2], target=x)


def _digits(n, ncols):
    d = data.digits()
    wrong = (d.y_test[:n] + 1) % 10
    return plots.plot_digits(d.X_test[:n], d.y_test[:n], wrong, ncols=ncols,
                             title=f"{n} test digits: true → predicted")


def _scenes(n, ncols, two_lines):
    s = data.street_scenes(m=200)
    captions = data.label_captions(s.y_train[:n])
    if two_lines:
        captions = [f"{c}\n-> {g}" for c, g in zip(captions, captions[::-1], strict=True)]
    return plots.plot_image_grid(s.X_train[:n], captions, ncols=ncols,
                                 title="Training scenes and their labels (16 x 16 pixels)")


def _decision_boundary():
    s = data.coffee_roasting().standardized()
    return plots.plot_decision_boundary(lambda P: 1 / (1 + np.exp(-P.sum(axis=1))),
                                        s.X_train, s.y_train)


def _decision_boundaries():
    s = data.coffee_roasting().standardized()
    predicts = {"logistic regression": lambda P: 1 / (1 + np.exp(-P.sum(axis=1))),
                "a curved boundary": lambda P: (np.sum(P**2, axis=1) < 1).astype(float)}
    return plots.plot_decision_boundaries(predicts, s.X_test, s.y_test,
                                          labels=("temperature", "duration"))


def _fit_1d():
    split = data.regression_curve()
    grid = np.linspace(split.X_train.min(), split.X_train.max(), 50)[:, None]
    return plots.plot_fit_1d(split, {"by hand": (grid, grid ** 2), "Keras": (grid, grid ** 2)})


# One figure per plotting function, with inputs as the labs pass them (the widest grids).
BLOBS = np.random.default_rng(0).normal(size=(40, 2)) * 3
FIGURES = {
    "plot_cost": [lambda: plots.plot_cost({"by hand (numpy)": [3, 2, 1.5, 1.2],
                                           "Keras": [3, 2.1, 1.4, 1.1]}, logy=True)],
    "plot_decision_boundary": [_decision_boundary],
    "plot_decision_boundaries": [_decision_boundaries],
    "plot_digits": [lambda: _digits(20, 10), lambda: _digits(13, 6)],
    "plot_confusion_matrix": [
        lambda: plots.plot_confusion_matrix(np.diag(np.full(10, 30)) + np.eye(10, k=1, dtype=int))
    ],
    "plot_image_grid": [lambda: _scenes(24, 8, False), lambda: _scenes(12, 6, True)],
    "plot_epsilon_sweep": [
        lambda: plots.plot_epsilon_sweep(np.logspace(-12, -1, 12),
                                         {"forward difference": np.logspace(-4, -12, 12),
                                          "central difference": np.logspace(-6, -14, 12)},
                                         guides={"truncation": np.logspace(-2, -13, 12)})
    ],
    "plot_computation_graph": [
        lambda: _graph(computation_graph.SQUARE_GRAPH, {"w": 3.0}, "J = (2 + 3w)²"),
        lambda: _graph(computation_graph.ONE_UNIT_GRAPH, {"x": -2.0, "w": 2.0, "b": 8.0, "y": 2.0},
                       "One linear unit, J = ½(wx + b − y)²"),
    ],
    "plot_pass_counts": [
        lambda: plots.plot_pass_counts([10, 100, 1000], {"central differences": [21, 201, 2001],
                                                         "back propagation": [2, 2, 2]},
                                    counted={10: 20, 100: 200})
    ],
    "plot_activations": [plots.plot_activations],
    "plot_fit_1d": [_fit_1d],
    "plot_relu_units": [_relu_units],
    "plot_hidden_units": [
        lambda: plots.plot_hidden_units(
            BLOBS, np.arange(40) % 4, lambda P: np.maximum(0, P @ [[1.0, 0.5], [0.3, -1]]),
            lambda P: np.column_stack([P[:, 0] + 2 * P[:, 1] * k for k in range(4)]))
    ],
    "plot_softmax_outputs": [
        lambda: plots.plot_softmax_outputs([0.2361, 0.0869, 0.0353, 0.6418], (3, 2))
    ],
    "plot_threshold_curves": [
        lambda: plots.plot_threshold_curves(
            np.linspace(0.05, 0.95, 19),
            np.linspace(0.6, 1.0, 57).reshape(19, 3),
            np.linspace(1.0, 0.6, 57).reshape(19, 3),
            ("car", "bus", "pedestrian"),
            chosen=(0.5, 0.5, 0.2),
            title="Validation images: precision and recall against the threshold",
        )
    ],
    "plot_paths_on_contours": [
        lambda: plots.plot_paths_on_contours(
            cost_surfaces.bowl_cost,
            {
                f"GD, alpha = {a}": cost_surfaces.descent_path(GradientDescent(a), 100)
                for a in (0.005, 0.0195, 0.0205, 0.01)
            },
            title="J = (w1^2 + 100 w2^2) / 2, 100 steps",
        )
    ],
    "plot_adam_ratios": [
        lambda: plots.plot_adam_ratios(
            np.stack([-np.linspace(1, 0.3, 100), np.cos(np.arange(100))], axis=1),
            ["w1", "w2"],
            title="gradients of Adam's path",
        )
    ],
    "plot_naive_loss": [
        lambda: plots.plot_naive_loss(
            np.linspace(1, 45, 50),
            np.linspace(1, 45, 50),
            {"naive, float64": np.r_[np.linspace(1, 36, 40) * 1.001, [np.inf] * 10]},
            clipped=np.minimum(np.linspace(1, 45, 50), 16.1),
            guides={"estimate": np.logspace(-16, -1, 50)},
        )
    ],
    "plot_traces_with_windows": [
        lambda: plots.plot_traces_with_windows(data.ekg_signals(m=20).X_train[:4], [0, 1, 0, 1],
                                               20, 10, title="Four traces and nine windows")
    ],
    "plot_accuracy_by_size": [
        lambda: plots.plot_accuracy_by_size([40, 80, 160, 800],
                                            {"convolutional": [0.7, 0.9, 0.95, 1.0],
                                             "dense": [0.6, 0.7, 0.85, 1.0]}, 800)
    ],
    "plot_kernels_beside_trace": [
        lambda: plots.plot_kernels_beside_trace(data.ekg_signals(m=20).X_train[0],
                                                np.random.default_rng(0).normal(size=(20, 4)),
                                                np.random.default_rng(1).random((9, 4)), 10)
    ],
    "plot_path_on_contours": [
        lambda: plots.plot_path_on_contours(
            cost_surfaces.bowl_cost,
            cost_surfaces.descent_path(GradientDescent(0.0195), 30),
            title="alpha = 0.0195: just below 2/c2",
        )
    ],
}
CASES = [(name, k) for name, makers in FIGURES.items() for k in range(len(makers))]


def _figure(drawn):
    return drawn if isinstance(drawn, matplotlib.figure.Figure) else drawn.figure


def test_every_plotting_function_has_a_figure_here():
    public = {n for n in vars(plots) if n.startswith("plot_") and callable(getattr(plots, n))}
    assert public == set(FIGURES)


@pytest.mark.parametrize("name,k", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_figure_is_sharp_legible_and_uncluttered_where_the_book_shows_it(name, k):
    plots.use_style()
    fig = _figure(FIGURES[name][k]())
    png = figure_output.render_png(fig)
    natural_width, _ = figure_output.png_size(png)
    shown_width = min(figure_output.display_size(png)[0], COLUMN_PX)
    density = natural_width / shown_width
    smallest = float(Image.open(io.BytesIO(png)).text[SMALLEST_TEXT_KEY])
    text_css_px = smallest * shown_width / natural_width
    overlaps = figure_output.overlapping_texts(fig)
    plt.close("all")
    assert density >= 2, f"{name}: {density:.2f} image px per CSS px"
    assert text_css_px >= MIN_TEXT_PX, f"{name}: smallest text {text_css_px:.1f} CSS px"
    assert not overlaps, f"{name}: texts overlap: {overlaps}"


def test_smallest_text_is_the_smallest_drawn_font():
    plots.use_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [5, 6])
    ax.set_title("title", fontsize=14)
    ax.text(0.5, 0.5, "note", fontsize=9)
    ax.text(0.1, 0.6, "two\nlines", fontsize=8.6)  # drawn line by line, one text
    ax.text(0.5, 0.2, "", fontsize=4)  # empty: not drawn
    ax.text(0.5, 0.3, "hidden", fontsize=5, visible=False)
    assert figure_output.smallest_text_px(fig) == pytest.approx(8.6 * RENDER_DPI / 72)
    assert "two\nlines" in [t.text for t in figure_output.drawn_texts(fig)]
    png = figure_output.render_png(fig)
    assert Image.open(io.BytesIO(png)).text[SMALLEST_TEXT_KEY] == f"{8.6 * RENDER_DPI / 72:.2f}"
    # tick labels outside the view limits are not drawn, so they do not count
    ax.tick_params(labelsize=6)
    ax.set_xlim(0.2, 0.3)
    texts = {t.text for t in figure_output.drawn_texts(fig)}
    assert "1.0" not in texts and "0.22" in texts  # x ticks were 0.0 ... 1.0
    plt.close("all")


def test_overlapping_texts_are_found():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "first label", fontsize=12)
    ax.text(0.52, 0.51, "second label", fontsize=12)
    ax.text(0.1, 0.1, "far away", fontsize=12)
    ax.text(0.1, 0.8, "two\nlines", fontsize=12)
    ax.text(0.12, 0.7, "rotated", fontsize=12, rotation=90)  # reaches up into "lines"
    assert figure_output.overlapping_texts(fig) == [
        ("first label", "second label"), ("two\nlines", "rotated")
    ]
    # extents are the texts' boxes, as matplotlib measures them (ink, without padding)
    renderer = fig.canvas.get_renderer()
    drawn_by_text = {t.text: t for t in figure_output.drawn_texts(fig)}
    for text in ax.texts:
        drawn = drawn_by_text[text.get_text()]
        box = text.get_window_extent(renderer).transformed(
            matplotlib.transforms.Affine2D().scale(RENDER_DPI / fig.dpi))
        assert box.x0 - 1 <= drawn.extent[0] and drawn.extent[2] <= box.x1 + 1
        assert box.y0 - 1 <= drawn.extent[1] and drawn.extent[3] <= box.y1 + 1
    plt.close("all")


def test_inline_png_is_shown_at_half_its_pixel_size():
    plots.use_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1], [1, 0])
    data_b64, metadata = figure_output.inline_png(fig)
    png = base64.b64decode(data_b64)
    width, height = figure_output.png_size(png)
    assert metadata == {"width": width // 2, "height": height // 2}
    assert 2 * 4 * 100 < width <= 5 * RENDER_DPI  # cropped to what is drawn, at 200 dpi
    assert figure_output.inline_png(plt.figure()) is None  # nothing drawn: no output
    plt.close("all")


def test_outside_a_notebook_nothing_is_registered():
    assert figure_output.use_inline_png() is False


def test_a_notebook_kernel_shows_figures_through_inline_png(tmp_path):
    """The inline backend registers its own PNG formatter when it loads; use_style must win."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from utils import plots\nplots.use_style()"),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
            "ax.plot([0, 1])\nax.set_title('t', fontsize=12)\nplt.show()"
        ),
    ]
    _execute(nb, tmp_path)
    (output,) = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    png = base64.b64decode(output["data"]["image/png"])
    width, height = figure_output.png_size(png)
    assert output["metadata"]["image/png"] == {"width": width // 2, "height": height // 2}
    smallest = float(Image.open(io.BytesIO(png)).text[SMALLEST_TEXT_KEY])
    assert smallest == pytest.approx(10 * RENDER_DPI / 72, abs=0.01)  # tick labels, 10 pt
    assert output["data"]["text/plain"] == "<Figure size 600x400 with 1 Axes>"
    json.dumps(output)  # the output is plain JSON, as the notebook stores it


def _execute(nb, path):
    """Run ``nb`` in a kernel of this Python (the venv's, as nbval's --nbval-current-env)."""
    km = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME,
                       kernel_spec_manager=NbvalKernelspecManager())
    NotebookClient(nb, km=km, timeout=120, resources={"metadata": {"path": str(path)}}).execute()
