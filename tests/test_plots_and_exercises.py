"""Figures use the white course style; agreement reports print a yes/no against the stated
tolerance. (The exercise checkers are tested in test_exercises.py.)"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import agreement, data, logistic_regression, plots  # noqa: E402


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


def test_agreement_reports(capsys):
    a = [np.zeros((2, 2)), np.ones(3)]
    b = [np.full((2, 2), 1e-9), np.ones(3)]
    assert agreement.max_abs_difference(a, b) == pytest.approx(1e-9)
    agreement.report_agreement("same weights", a, b, 1e-8)
    agreement.report_agreement("same weights", a, b, 1e-10)
    assert capsys.readouterr().out.splitlines() == [
        "same weights (max |difference| <= 1e-08): True",
        "same weights (max |difference| <= 1e-10): False",
    ]


