"""Agreement reports: the largest difference between two results, and a yes/no against the
stated tolerance."""

import numpy as np
import pytest

from utils import agreement


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
