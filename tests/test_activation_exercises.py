"""Lab 2's figures (its exercise checkers are tested in test_exercises.py)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from utils import plots  # noqa: E402
from utils.piecewise_linear import relu_network_weights, unit_contributions  # noqa: E402


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
