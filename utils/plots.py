"""The course's figure style and its recurring figures: cost curves, decision boundaries, digits.

Figures are static PNGs with a white background, so they read in the book's dark mode too.
Each function returns the matplotlib ``Axes`` it drew on; cells end with ``plt.show()``.
"""

import matplotlib.pyplot as plt
import numpy as np

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100,
    "figure.figsize": (6, 4),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
}


def use_style():
    """Apply the course style to every later figure."""
    plt.rcParams.update(STYLE)


def _axes(ax):
    return ax if ax is not None else plt.subplots()[1]


def plot_cost(histories, ax=None, title="Cost during training", logy=False):
    """Cost curves: ``histories`` maps a label to a sequence of costs, one per epoch."""
    ax = _axes(ax)
    for label, costs in histories.items():
        ax.plot(np.arange(1, len(costs) + 1), costs, label=label)
    ax.set(xlabel="epoch", ylabel="cost J", title=title)
    if logy:
        ax.set_yscale("log")
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


def plot_digits(images, labels, predictions=None, ncols=10, title=None):
    """A grid of 8x8 digit images ``(k, 64)`` captioned ``label`` or ``label -> prediction``.

    Wrong predictions are captioned in red. Returns the figure.
    """
    images = np.asarray(images).reshape(-1, 8, 8)
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.3 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        text, color = f"{labels[i]}", "black"
        if predictions is not None:
            text = f"{labels[i]} → {predictions[i]}"
            color = "black" if predictions[i] == labels[i] else "#cc0000"
        ax.set_title(text, fontsize=9, color=color)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
