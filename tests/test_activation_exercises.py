"""Lab 2's figures and exercise checkers: the reference passes, typical mistakes are explained."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from utils import exercises, plots  # noqa: E402
from utils.activations import relu, relu_derivative  # noqa: E402
from utils.piecewise_linear import relu_network_weights, unit_contributions  # noqa: E402


def test_relu_checkers(capsys):
    exercises.check_relu(relu)
    exercises.check_relu_derivative(relu_derivative)
    assert capsys.readouterr().out.count("all 5 checks passed") == 2
    exercises.check_relu(lambda z: max(z, 0))
    assert "raised ValueError" in capsys.readouterr().out
    exercises.check_relu_derivative(lambda z: (z >= 0).astype(float))
    out = capsys.readouterr().out
    assert out.startswith("✗ check 1/5 (negative, zero and positive z)")
    exercises.check_relu_derivative(lambda z: None)
    assert "got None" in capsys.readouterr().out
    exercises.check_relu_derivative(np.ones_like)
    assert "got [1. 1. 1. 1. 1.]" in capsys.readouterr().out


def test_output_activation_checker(capsys):
    right = {
        p: ("sigmoid" if "yes/no" in p or "tumour" in p else None)
        for p in exercises.OUTPUT_PROBLEMS
    }
    right.update(
        {
            "tomorrow's change in a share price, in $": "linear",
            "the price of a house, in $1000": "relu",
            "the temperature at noon tomorrow, in °C": "linear",
            "the number of hours a machine runs before it fails": "relu",
        }
    )
    exercises.check_output_activations(right)
    assert "all 6 checks passed" in capsys.readouterr().out
    exercises.check_output_activations({**right, "the price of a house, in $1000": "linear"})
    assert "never negative; which output activation" in capsys.readouterr().out
    exercises.check_output_activations({**right, "the price of a house, in $1000": "ReLU"})
    assert "got 'ReLU'" in capsys.readouterr().out
    exercises.check_output_activations({})
    assert capsys.readouterr().out.startswith("✗ check 1/6")
    exercises.check_output_activations(["relu"])
    assert "must be a dict" in capsys.readouterr().out


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
