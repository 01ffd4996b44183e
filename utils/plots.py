"""The course's figure style and its recurring figures: cost curves, decision boundaries, digits.

Figures are static PNGs with a white background, so they read in the book's dark mode too.
Each function returns the matplotlib ``Axes`` it drew on; cells end with ``plt.show()``.
Every figure follows the rule of :mod:`utils.figure_output`: at most ``MAX_WIDTH_IN`` (7.5)
inches wide, no text under ``MIN_FONT_PT`` (8.5) points, no labels that overlap.
"""

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np

from .activations import activate, derivative
from .computation_graph import OPS
from .figure_output import CSS_PX_PER_INCH, MAX_WIDTH_IN, use_inline_png

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": CSS_PX_PER_INCH,
    "figure.figsize": (6, 4),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
}
SMALL_FONT = 9  # captions and annotations (points; the rule's minimum is 8.5)


def use_style():
    """Apply the course style to every later figure; in a notebook, show figures as sharp PNGs
    that record their smallest text (:func:`utils.figure_output.use_inline_png`)."""
    plt.rcParams.update(STYLE)
    use_inline_png()


def _axes(ax):
    return ax if ax is not None else plt.subplots()[1]


class _PlainLogFormatter(mticker.LogFormatter):
    """Log-axis tick labels as plain numbers (0.2, 1, 10) rather than powers of ten: easier to
    read on a cost axis, and no mathtext to typeset (its parser takes about 0.4 s to build)."""

    def _num_to_string(self, x, vmin, vmax):
        return f"{x:g}"


def plot_cost(histories, ax=None, title="Cost during training", logy=False, dashed=()):
    """Cost curves: ``histories`` maps a label to a sequence of costs, one per epoch;
    the curves labelled in ``dashed`` are dashed (one that lies on top of another)."""
    ax = _axes(ax)
    for label, costs in histories.items():
        style = "--" if label in dashed else "-"
        ax.plot(np.arange(1, len(costs) + 1), costs, style, label=label)
    ax.set(xlabel="epoch", ylabel="cost J", title=title)
    if logy:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(_PlainLogFormatter())
        ax.yaxis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False))
    ax.legend()
    return ax


def plot_decision_boundary(
    predict, X, y, ax=None, title="Decision boundary", labels=("x1", "x2"), resolution=200
):
    """Shade predict(points) >= 0.5 over the plane of ``X: (m, 2)``; scatter ``y: (m,)`` on top.

    ``predict`` maps ``(k, 2)`` points to probabilities ``(k, 1)`` or ``(k,)``.
    """
    ax = _axes(ax)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.05 * (hi - lo)
    g1, g2 = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )
    p = np.asarray(predict(np.column_stack([g1.ravel(), g2.ravel()]))).reshape(g1.shape)
    ax.contourf(g1, g2, p, levels=[0, 0.5, 1], colors=["#f4cccc", "#cfe2f3"], alpha=0.8)
    ax.contour(g1, g2, p, levels=[0.5], colors="k", linewidths=1)
    y = np.ravel(y)
    ax.scatter(*X[y == 0].T, marker="x", color="#cc0000", s=18, label="y = 0")
    ax.scatter(
        *X[y == 1].T, marker="o", facecolors="none", edgecolors="#1f4e79", s=18, label="y = 1"
    )
    ax.set(xlabel=labels[0], ylabel=labels[1], title=title)
    ax.legend(loc="upper right")
    return ax


def plot_decision_boundaries(predicts, X, y, labels=("x1", "x2")):
    """Several models' decision boundaries side by side on the same points, one panel each.

    ``predicts`` maps a panel title to a ``predict`` (see :func:`plot_decision_boundary`);
    ``X: (m, 2)``, ``y: (m,)``. The panels share ``MAX_WIDTH_IN``. Returns the figure.
    """
    fig, axes = plt.subplots(
        1, len(predicts), figsize=(MAX_WIDTH_IN, 3.6), squeeze=False, layout="constrained"
    )
    for ax, (title, predict) in zip(axes.flat, predicts.items(), strict=True):
        plot_decision_boundary(predict, X, y, ax=ax, title=title, labels=labels)
    return fig


def plot_digits(images, labels, predictions=None, ncols=10, title=None):
    """A grid of 8x8 digit images ``(k, 64)`` captioned ``label`` or ``label → prediction``.

    Wrong predictions are captioned in red. Returns the figure (:func:`plot_image_grid`).
    """
    images = np.asarray(images).reshape(-1, 8, 8)
    if predictions is None:
        captions, colors = [f"{label}" for label in labels], None
    else:
        pairs = list(zip(labels, predictions, strict=True))
        captions = [f"{label} → {p}" for label, p in pairs]
        colors = ["black" if p == label else "#cc0000" for label, p in pairs]
    return plot_image_grid(images, captions, colors=colors, ncols=ncols, title=title)


def plot_confusion_matrix(matrix, ax=None, title="Confusion matrix", class_names=None):
    """Counts ``matrix: (N, N)`` (rows: true class, columns: predicted class) as a heat map.

    Every non-zero count is written in its cell; mistakes (off the diagonal) in red, so the
    few errors stand out beside the large diagonal. Returns the Axes.
    """
    matrix = np.asarray(matrix)
    n = matrix.shape[0]
    names = [str(i) for i in range(n)] if class_names is None else list(class_names)
    ax = _axes(ax)
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(int(matrix.max()), 1))
    for i in range(n):
        for j in range(n):
            if matrix[i, j]:
                dark = i == j and matrix[i, j] > 0.5 * matrix.max()
                color = "white" if dark else ("black" if i == j else "#cc0000")
                weight = "normal" if i == j else "bold"
                style = {"color": color, "fontsize": 9, "fontweight": weight}
                ax.text(j, i, int(matrix[i, j]), ha="center", va="center", **style)
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.grid(False)
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    return ax


def _wrap(caption, width_in, fontsize=SMALL_FONT):
    """``caption`` with its lines wrapped to fit ``width_in`` inches (0.6 em per character)."""
    chars = max(4, int(width_in * 72 / (0.6 * fontsize)))
    return "\n".join(textwrap.fill(line, chars) for line in str(caption).split("\n"))


def plot_image_grid(images, captions, image_shape=None, colors=None, ncols=8, title=None):
    """A grid of grey-scale images, each with a caption above it.

    ``images``: ``(k, h*w)`` flattened rows or ``(k, h, w)``, pixel values in [0, 1];
    ``image_shape``: ``(h, w)`` for flattened rows (default: square); ``captions``: k strings
    (may hold a line break; long lines are wrapped to the image's width); ``colors``: k caption
    colours (default black). ``ncols`` images per row share ``MAX_WIDTH_IN`` at most, PNG
    padding included (1.2 inches each at most). All images are drawn on one Axes, in
    image-pixel coordinates (an Axes per image takes several times as long to draw).
    Returns the figure.
    """
    images = np.asarray(images, dtype=float)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(len(images), *(image_shape or (side, side)))
    if images.ndim != 3 or len(captions) != len(images):
        raise ValueError("images must be (k, h*w) or (k, h, w) with one caption per image")
    colors = colors if colors is not None else ["black"] * len(images)
    if len(colors) != len(images):
        raise ValueError(
            f"colors must hold one colour per image ({len(images)}), got {len(colors)}"
        )
    # the images fill the figure's width, and the PNG adds its padding on both sides
    cell = min(1.2, (MAX_WIDTH_IN - 2 * plt.rcParams["savefig.pad_inches"]) / ncols)
    captions = [_wrap(c, cell) for c in captions]
    lines = max(c.count("\n") + 1 for c in captions)
    nrows = int(np.ceil(len(images) / ncols))
    h, w = images.shape[1:]
    gap = w / 8  # between neighbouring images, in image pixels
    px_per_in = (w + gap) / cell
    row = h + 0.2 * lines * px_per_in  # an image and its caption band, in image pixels
    fig = plt.figure(figsize=(cell * ncols, row * nrows / px_per_in))
    ax = fig.add_axes((0, 0, 1, 1))
    for i, (image, caption, color) in enumerate(zip(images, captions, colors, strict=True)):
        x, y = (i % ncols) * (w + gap) + gap / 2, (i // ncols + 1) * row
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1, extent=(x, x + w, y, y - h))
        ax.text(x + w / 2, y - h - gap / 4, caption, ha="center", va="bottom",
                fontsize=SMALL_FONT, color=color)
    ax.set(xlim=(0, ncols * (w + gap)), ylim=(nrows * row, 0))
    ax.axis("off")
    if title:
        fig.suptitle(title, y=1, va="bottom")
    return fig


def plot_epsilon_sweep(
    epsilons, errors, ax=None, title="Error of a numerical derivative", guides=None
):
    """|numerical - exact| derivative against the step epsilon, both axes logarithmic (Lab 8).

    ``epsilons: (k,)``; ``errors``: label -> ``(k,)`` absolute errors (an error of exactly 0 is
    drawn at 1e-17, the bottom of the plot); ``guides``: optional label -> ``(k,)`` curves drawn
    dotted, e.g. the truncation and round-off estimates.
    """
    ax = _axes(ax)
    eps = np.asarray(epsilons, dtype=float)
    for label, err in errors.items():
        ax.loglog(eps, np.maximum(np.asarray(err, dtype=float), 1e-17), "o-", ms=3, label=label)
    for k, (label, curve) in enumerate((guides or {}).items()):
        ax.loglog(eps, curve, (":", "--", "-.")[k % 3], color="0.4", lw=1.2, label=label)
    ax.set(xlabel="step epsilon", ylabel="|numerical - exact derivative|", title=title)
    ax.set_ylim(1e-17, None)
    ax.legend(fontsize=SMALL_FONT)
    return ax


def plot_computation_graph(steps, values, grads, ax=None, title="Computation graph"):
    """Draw a graph of :mod:`utils.computation_graph` (Lab 8): forward values in the boxes,
    back-propagated derivatives dJ/d(node) in red beneath them.

    ``steps``: the graph's ``(name, op, args)`` list; ``values`` / ``grads``: the dicts from
    ``forward`` and ``backward`` (or ``derivatives_keras``). Each node's formula is its op's
    ``text`` in :data:`utils.computation_graph.OPS`.
    """
    if ax is None:  # at most 7.5 inches wide (the figure rule)
        ax = plt.subplots(figsize=(min(1.4 * len(steps) + 1.5, 7.5), 3.4))[1]
    nodes = [s[0] for s in steps]
    pos = {}  # the nodes in a row at y = 0; the inputs above, left of their first use
    for i, (name, _, args) in enumerate(steps):
        pos[name] = (2.2 * (i + 1), 0.0)
        new = [a for a in args if isinstance(a, str) and a not in nodes and a not in pos]
        for k, a in enumerate(new):
            if i == 0 and len(new) == 1:
                pos[a] = (0.0, 0.0)
            else:
                pos[a] = (2.2 * (i + 1) - 1.1 * (len(new) - k), 1.2)
    box = {"boxstyle": "round,pad=0.35", "fc": "#eef3fb", "ec": "#1f4e79"}
    for name, op, args in steps:
        for a in args:
            if isinstance(a, str):
                ax.annotate(
                    "",
                    xy=pos[name],
                    xytext=pos[a],
                    arrowprops={"arrowstyle": "->", "color": "0.3", "shrinkA": 18, "shrinkB": 22},
                )
        shown = [a if isinstance(a, str) else f"{a:g}" for a in args]
        text = f"{name} = {OPS[op].text.format(*shown)}\n= {values[name]:.4g}"
        ax.text(*pos[name], text, ha="center", va="center", bbox=box, fontsize=9)
    for name in pos:
        if name not in nodes:
            ax.text(
                *pos[name],
                f"{name} = {values[name]:.4g}",
                ha="center",
                va="center",
                bbox={**box, "fc": "#f4f4f4", "ec": "0.4"},
                fontsize=9,
            )
    for name, (x, y) in pos.items():
        above = y > 0  # inputs above the row: derivative above the box, away from the arrows
        ax.text(
            x,
            y + 0.3 if above else y - 0.3,
            f"∂J/∂{name}\n= {grads[name]:.4g}",
            ha="center",
            va="bottom" if above else "top",
            color="#cc0000",
            fontsize=8.5,
        )
    xs, ys = zip(*pos.values(), strict=True)
    ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 1.0)
    ax.axis("off")
    ax.set_title(title)
    return ax


def plot_pass_counts(
    n_params, counts, ax=None, title="Passes needed for every dJ/dw", counted=None
):
    """Passes through the network against its number of parameters, log-log (Lab 8).

    ``n_params: (k,)``; ``counts``: label -> ``(k,)`` numbers of passes (e.g. from
    ``utils.gradient_check.pass_counts``); ``counted``: optional dict number of parameters ->
    passes counted while computing gradients, drawn as black crosses.
    """
    ax = _axes(ax)
    for label, c in counts.items():
        ax.loglog(n_params, c, "o-", ms=4, label=label)
    if counted:
        ax.plot(list(counted), list(counted.values()), "kx", ms=8, label="counted")
    ax.set(xlabel="number of parameters", ylabel="forward + backward passes", title=title)
    ax.legend(fontsize=SMALL_FONT)
    return ax


def plot_activations(z=None, names=("linear", "sigmoid", "relu")):
    """One panel per activation: g(z) (solid) and its derivative g'(z) (dashed), side by side.

    ``z``: the points to draw (default 401 points on [-6, 6]); ``names``: activations with an
    elementwise derivative in :mod:`utils.activations`. Returns the figure (taught in Lab 2).
    """
    z = np.linspace(-6, 6, 401) if z is None else np.asarray(z, dtype=float)
    width = min(3.8 * len(names), MAX_WIDTH_IN)
    fig, axes = plt.subplots(1, len(names), figsize=(width, 2.9), sharex=True)
    for ax, name in zip(np.atleast_1d(axes), names, strict=True):
        ax.plot(z, activate(name, z), color="#1f4e79", lw=2, label="g(z)")
        ax.plot(z, derivative(name, z), "--", color="#cc0000", lw=2, label="g'(z)")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set(xlabel="z", title=name)
        ax.legend(loc="upper left")
    np.atleast_1d(axes)[0].set_ylabel("g(z) and g'(z)")
    fig.tight_layout()
    return fig


def plot_fit_1d(split, curves, ax=None, title="Fit", labels=("x", "y")):
    """Training (grey dots) and test (red crosses) examples of a 1-feature ``split``, with curves.

    ``curves`` maps a label to ``(x_grid, f(x_grid))``; a label containing "Keras" is dashed.
    Returns the Axes (taught in Lab 2).
    """
    ax = _axes(ax)
    ax.scatter(split.X_train[:, 0], np.ravel(split.y_train), s=10, color="0.6",
               label="training examples")
    ax.scatter(split.X_test[:, 0], np.ravel(split.y_test), s=18, color="#cc0000", marker="x",
               label="test examples")
    for label, (x, f) in curves.items():
        ax.plot(np.ravel(x), np.ravel(f), "--" if "Keras" in label else "-", lw=2, label=label)
    ax.set(xlabel=labels[0], ylabel=labels[1], title=title)
    ax.legend()
    return ax


def plot_relu_units(x, contributions, bias, knots, target=None):
    """How ReLU units build a piecewise-linear f(x): one panel per unit, then their sum.

    ``x: (m,)`` sorted inputs; ``contributions: (m, k)``, column j what unit j adds to the output
    (:func:`utils.piecewise_linear.unit_contributions`); ``bias``: the output unit's bias;
    ``knots: (k,)`` where each unit switches on (shaded from there); ``target``: optional
    ``(m,)`` values drawn under the sum. Returns the figure (taught in Lab 2).
    """
    x = np.ravel(x)
    contributions = np.asarray(contributions, dtype=float)
    k = contributions.shape[1]
    nrows = (k + 2) // 2  # two panels per row: the units, then their sum
    fig, axes = plt.subplots(nrows, 2, figsize=(MAX_WIDTH_IN, 2.9 * nrows), sharex=True,
                             squeeze=False)
    axes = axes.flat
    for j, ax in enumerate(axes[:k]):
        c = contributions[:, j]
        slope = (c[-1] - c[-2]) / (x[-1] - x[-2])
        ax.axvspan(knots[j], x[-1], color="#cfe2f3", alpha=0.7, label="unit on")
        ax.plot(x, c, color="#1f4e79", lw=2)
        ax.set_title(f"unit {j + 1}: slope {slope:+.3g} from x = {knots[j]:g}")
        ax.legend(loc="best")
        if j % 2 == 0:
            ax.set_ylabel("what the unit adds")
    ax = axes[k]
    if target is not None:
        ax.plot(x, np.ravel(target), color="0.6", lw=6, alpha=0.6, label="target")
    ax.plot(x, contributions.sum(axis=1) + float(bias), color="#cc0000", lw=2,
            label="sum + b = f(x)")
    ax.set_title("output: the sum plus b")
    ax.legend(loc="upper left")
    for i, ax in enumerate(axes):
        if i > k:
            ax.axis("off")
        elif i + 2 > k:  # no panel below: label the x axis here
            ax.set_xlabel("x")
            ax.xaxis.set_tick_params(labelbottom=True)
    fig.tight_layout()
    return fig


def plot_path_on_contours(
    cost, points, ax=None, title="Path on the cost surface", xlim=(-4.5, 1.5), ylim=(-1.5, 1.5)
):
    """Contours of ``cost`` over a 2-D window, and the path ``points: (steps + 1, 2)`` on top.

    ``cost`` maps a grid ``(..., 2)`` to costs ``(...)`` (e.g. ``utils.cost_surfaces.bowl_cost``).
    The start is a square, the minimum at (0, 0) a star; a path that leaves the window is cut.
    """
    ax = _axes(ax)
    g1, g2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 200))
    J = cost(np.stack([g1, g2], axis=-1))
    ax.contour(g1, g2, J, levels=np.geomspace(0.02, J.max(), 12), colors="0.75", linewidths=0.8)
    points = np.asarray(points)
    ax.plot(points[:, 0], points[:, 1], ".-", color="#1f4e79", lw=1, ms=3)
    ax.plot(*points[0], "s", color="#cc0000", ms=6, label="start")
    ax.plot(0, 0, "*", color="orange", ms=12, label="minimum")
    ax.set(xlim=xlim, ylim=ylim, xlabel="w₁", ylabel="w₂", title=title)
    ax.legend(loc="lower right")
    return ax


CLASS_COLORS = ("#1f4e79", "#cc0000", "#38761d", "#b45f06", "#741b47", "#666666")


def plot_hidden_units(X, y, hidden, predict, resolution=120):
    """What each hidden ReLU unit of a two-feature classifier switches on, and the classes.

    ``X: (m, 2)`` examples, ``y: (m,)`` integer classes (at most 6); ``hidden`` maps ``(k, 2)``
    points to the hidden layer's outputs ``(k, u)``; ``predict`` maps them to class
    probabilities ``(k, N)``. One panel per hidden unit (its output, shaded where the unit is
    on, with the line where it switches on), then the predicted class of every point of the
    plane (argmax). Up to three panels per row. Returns the figure (taught in Lab 3).
    """
    X, y = np.asarray(X, dtype=float), np.ravel(y).astype(int)
    lo, hi = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    H = np.asarray(hidden(grid), dtype=float).reshape(len(grid), -1)
    classes = np.argmax(np.asarray(predict(grid)), axis=1).reshape(g1.shape)
    u = H.shape[1]
    ncols = min(3, u + 1)
    nrows = int(np.ceil((u + 1) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(MAX_WIDTH_IN, 2.7 * nrows + 0.4), squeeze=False,
        sharex=True, sharey=True, layout="constrained",
    )
    axes = axes.flat
    n_classes = int(max(y.max(), classes.max())) + 1
    colors = CLASS_COLORS[:n_classes]
    for j in range(u):
        a = H[:, j].reshape(g1.shape)
        axes[j].contourf(g1, g2, np.where(a > 0, a, np.nan), levels=8, cmap="Blues")
        axes[j].contour(g1, g2, a, levels=[1e-9], colors="k", linewidths=1)
        axes[j].set_title(f"unit {j + 1}: on (shaded)")
    axes[u].contourf(
        g1, g2, classes, levels=np.arange(n_classes + 1) - 0.5, colors=colors, alpha=0.25
    )
    axes[u].set_title("predicted class")
    for ax in axes[: u + 1]:
        for k in range(n_classes):
            ax.scatter(*X[y == k].T, s=10, color=colors[k], label=f"class {k}")
        ax.set_xlabel("x1")
    for ax in axes[u + 1 :]:
        ax.axis("off")
    for ax in axes[::ncols]:
        ax.set_ylabel("x2")
    handles, labels = axes[u].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=n_classes)
    return fig


def plot_softmax_outputs(a, true_classes=()):
    """One example's softmax outputs as bars, beside the cross-entropy loss -log a_y.

    ``a: (N,)`` probabilities summing to 1; ``true_classes``: classes y whose loss
    -log a_y is marked on the loss curve. Returns the figure (taught in Lab 3).
    """
    a = np.ravel(np.asarray(a, dtype=float))
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(MAX_WIDTH_IN, 3.2), layout="constrained"
    )
    best = int(np.argmax(a))
    left.bar(range(len(a)), a, color=["#1f4e79" if j == best else "#9fc5e8" for j in
                                      range(len(a))])
    for j, p in enumerate(a):
        left.text(j, p + 0.02, f"{p:.3f}", ha="center", fontsize=SMALL_FONT)
    left.set(xticks=range(len(a)), xlabel="class j", ylabel="a_j = P(y = j | x)",
             title=f"Softmax outputs (sum {a.sum():.0f})", ylim=(0, min(1.15, a.max() + 0.15)))
    p_grid = np.linspace(0.005, 1, 400)
    right.plot(p_grid, -np.log(p_grid), color="0.3")
    for k, y in enumerate(true_classes):
        right.plot(a[y], -np.log(a[y]), "o", ms=7, color=CLASS_COLORS[k],
                   label=f"y = {y}: loss {-np.log(a[y]):.2f}")
    right.set(xlabel="a_y, probability of the true class", ylabel="loss -log a_y",
              title="Cross-entropy loss")
    if len(true_classes):
        right.legend(fontsize=SMALL_FONT)
    return fig
def plot_threshold_curves(thresholds, precision, recall, names, chosen=None, title=None):
    """Precision and recall against the decision threshold, one panel per label (Lab 5).

    ``thresholds: (t,)``; ``precision``, ``recall: (t, k)``, one column per label of
    ``names`` (k strings); ``chosen``: k thresholds to mark with a dotted line (optional).
    The k panels share ``MAX_WIDTH_IN``. Returns the figure.
    """
    precision, recall = np.asarray(precision), np.asarray(recall)
    fig, axes = plt.subplots(
        1, len(names), figsize=(MAX_WIDTH_IN, 2.9), sharey=True, squeeze=False,
        layout="constrained",
    )
    for j, (ax, name) in enumerate(zip(axes[0], names, strict=True)):
        ax.plot(thresholds, precision[:, j], marker="o", ms=3, label="precision")
        ax.plot(thresholds, recall[:, j], marker="s", ms=3, label="recall")
        if chosen is not None:
            ax.axvline(chosen[j], color="0.4", ls=":", lw=1)
        ax.set(xlabel="threshold", title=f"'{name}'")
    axes[0, 0].set_ylabel("precision, recall")
    axes[0, 0].legend(loc="lower left", fontsize=SMALL_FONT)
    if title:
        fig.suptitle(title)
    return fig


def plot_paths_on_contours(cost, paths, ncols=2, title=None):
    """Several optimizer paths on the same cost surface, one panel each (Lab 6).

    ``paths`` maps a panel title to the points ``(steps + 1, 2)`` an optimizer visited; each
    panel is :func:`plot_path_on_contours`. The panels share ``MAX_WIDTH_IN``. Returns the figure.
    """
    nrows = int(np.ceil(len(paths) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(MAX_WIDTH_IN, 2.6 * nrows), squeeze=False, layout="constrained"
    )
    for ax, (name, points) in zip(axes.flat, paths.items(), strict=False):
        plot_path_on_contours(cost, points, ax=ax, title=name)
        ax.legend().remove()
    for ax in axes.flat[len(paths) :]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    return fig


def plot_adam_ratios(ratios, names, ax=None, title="Adam's step direction per parameter"):
    """Adam's m_hat / sqrt(v_hat) per parameter over the steps (Lab 6): near +-1 while a
    parameter's gradient keeps its sign, near 0 while it flips back and forth.

    ``ratios: (steps, n)``, one column per parameter named in ``names`` (n strings).
    """
    ax = _axes(ax)
    ratios = np.asarray(ratios)
    steps = np.arange(1, len(ratios) + 1)
    for j, name in enumerate(names):
        ax.plot(steps, ratios[:, j], label=name)
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set(xlabel="step t", ylabel="m_hat / sqrt(v_hat)", ylim=(-1.1, 1.1), title=title)
    ax.legend()
    return ax


def plot_naive_loss(z, exact, naive, clipped=None, guides=None):
    """Where the naive logistic loss of a y = 0 example breaks, and its relative error (Lab 4).

    ``z: (k,)`` logits; ``exact: (k,)`` the loss from z; ``naive``: label -> ``(k,)`` losses
    computed from a = g(z) (inf where 1 - a rounded to 0: the curve stops there);
    ``clipped``: optional ``(k,)`` losses from clipped probabilities; ``guides``: optional
    label -> ``(k,)`` relative-error estimates, drawn dotted. Returns the figure.
    """
    z, exact = np.ravel(np.asarray(z, dtype=float)), np.ravel(np.asarray(exact, dtype=float))
    fig, (left, right) = plt.subplots(1, 2, figsize=(MAX_WIDTH_IN, 3.4), layout="constrained")
    left.plot(z, exact, color="black", lw=4, alpha=0.3, label="from z (exact)")
    for (label, values), style in zip(naive.items(), ("-", "--", "-."), strict=False):
        values = np.ravel(np.asarray(values, dtype=float))
        finite = np.where(np.isfinite(values), values, np.nan)
        left.plot(z, finite, style, label=label)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = np.abs(finite - exact) / exact
        right.semilogy(z, np.where(rel > 0, rel, np.nan), style, label=label)
    if clipped is not None:
        left.plot(z, np.ravel(clipped), ":", lw=2, label="clipped probabilities")
    for label, curve in (guides or {}).items():
        right.semilogy(z, np.ravel(curve), ":", color="0.3", lw=1.5, label=label)
    left.set(xlabel="logit z", ylabel="loss L for y = 0", title="Loss of a wrong prediction")
    right.set(xlabel="logit z", ylabel="relative error", title="Digits lost before inf")
    left.legend(fontsize=SMALL_FONT)
    right.legend(fontsize=SMALL_FONT)
    return fig


def plot_traces_with_windows(X, y, kernel_size, strides, title=None):
    """Signals in a grid of two columns, each with the windows of a ``Conv1D`` as bars below
    it (Lab 7): ``X: (k, length)`` traces, ``y: (k,)`` labels 0/1 (1: abnormal beat);
    ``kernel_size``/``strides``: the windows' length and step, in samples."""
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    rows = (len(X) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(7.5, 1.9 * rows + 0.6), sharex=True, sharey=True,
                             squeeze=False)
    length = X.shape[1]
    starts = range(0, length - kernel_size + 1, strides)
    low = X.min() - 0.1
    for ax, trace, label in zip(axes.flat, X, y, strict=False):
        for j, s in enumerate(starts):  # window j covers samples s + 1 .. s + kernel_size
            ax.hlines(low - 0.07 * j, s + 1, s + kernel_size, color="#1f4e79", lw=3)
        ax.plot(np.arange(1, length + 1), trace, color="black", lw=1)
        ax.set_title("abnormal beat (y = 1)" if label else "normal (y = 0)")
    for ax in axes[-1]:
        ax.set_xlabel("sample")
    for ax in axes[:, 0]:
        ax.set_ylabel("signal")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_accuracy_by_size(sizes, accuracy, total, title="Accuracy against training set size"):
    """Held-out accuracy against the number of training examples, one line per model (Lab 7).

    ``sizes: (k,)`` training set sizes (drawn evenly spaced); ``accuracy``: label -> ``(k,)``
    accuracies; ``total``: the size of the whole training set (for the shares on the axis).
    """
    fig, ax = plt.subplots(figsize=(6.5, 4))
    positions = np.arange(len(sizes))
    for (name, values), marker in zip(accuracy.items(), "os^v", strict=False):
        ax.plot(positions, values, marker=marker, label=name)
    ax.axhline(0.5, color="0.5", ls=":", label="guessing")
    ax.set_xticks(positions, [f"{n}\n({100 * n / total:g}%)" for n in sizes])
    ax.set(xlabel=f"training examples (share of the {total})", ylabel="held-out accuracy",
           title=title, ylim=(0.45, 1.02))
    ax.legend(loc="lower right", fontsize=SMALL_FONT)
    return ax


def plot_kernels_beside_trace(trace, kernels, feature_maps, strides,
                              title="What the first layer's filters look for"):
    """A trace, the feature maps a ``Conv1D`` layer makes of it, and its kernels (Lab 7).

    ``trace: (length,)``; ``kernels: (kernel_size, filters)`` (one input channel);
    ``feature_maps: (positions, filters)``, the layer's activations for this trace, drawn at
    the centres of their windows (window j starts at sample ``j * strides + 1``).
    """
    trace, kernels = np.asarray(trace, dtype=float), np.asarray(kernels, dtype=float)
    feature_maps = np.asarray(feature_maps, dtype=float)
    size = kernels.shape[0]
    fig = plt.figure(figsize=(7.5, 4.6))
    grid = fig.add_gridspec(2, 2, width_ratios=(2.1, 1))
    ax_trace = fig.add_subplot(grid[0, 0])
    ax_maps = fig.add_subplot(grid[1, 0], sharex=ax_trace)
    ax_kernels = fig.add_subplot(grid[:, 1])
    ax_trace.plot(np.arange(1, len(trace) + 1), trace, color="black", lw=1)
    ax_trace.set(ylabel="signal", title="the trace")
    centres = np.arange(feature_maps.shape[0]) * strides + (size + 1) / 2
    for f in range(kernels.shape[1]):
        ax_maps.plot(centres, feature_maps[:, f], "o-", ms=4, label=f"filter {f + 1}")
        ax_kernels.plot(np.arange(1, size + 1), kernels[:, f], "o-", ms=3)
    ax_maps.set(xlabel="sample (window centre)", ylabel="activation", title="feature maps")
    ax_maps.legend(fontsize=SMALL_FONT, ncols=2)
    ax_kernels.axhline(0, color="0.5", lw=0.8)
    ax_kernels.set(xlabel="position in the window", ylabel="weight", title="kernels")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
