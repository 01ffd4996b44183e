"""data.ekg_signals keeps its promise: an 80/20 stratified split, or a refusal naming m."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from utils import data


@pytest.mark.parametrize("m", [data.MIN_EKG_EXAMPLES, 7, 9, 10, 23])
def test_ekg_split_is_stratified_80_20(m):
    """Both parts hold both classes in the whole set's proportion (to one trace)."""
    split = data.ekg_signals(m=m, length=50, seed=3)
    n_test = int(np.ceil(0.2 * m))
    assert len(split.y_test) == n_test and len(split.y_train) == m - n_test
    abnormal = m // 2  # y = 1 for half the traces (rounded down)
    assert set(split.y_test.ravel()) == {0.0, 1.0}
    assert abs(split.y_test.sum() - n_test * abnormal / m) <= 1


@pytest.mark.parametrize("m", [2, 3, 5])
def test_ekg_refuses_too_few_traces_to_stratify(m):
    with pytest.raises(ValueError, match=f"m must be an integer >= {data.MIN_EKG_EXAMPLES}"):
        data.ekg_signals(m=m)


def test_train_size_is_what_the_loaders_split_off():
    """The training-set sizes the exercise checkers ask for come from the data's own rule."""
    assert len(data.coffee_roasting().y_train) == data.train_size(data.COFFEE_ROASTS) == 320
    assert len(data.digits().y_train) == data.train_size(data.DIGITS_EXAMPLES) == 1437
    assert len(load_digits().target) == data.DIGITS_EXAMPLES
    assert [data.train_size(m) for m in (2, 5, 6, 1000)] == [1, 4, 4, 800]


BAD_INPUT = {
    "data.train_size": [(lambda: data.train_size(1), ValueError, "m must be an integer >= 2")],
}
