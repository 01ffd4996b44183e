"""Lab 2's non-negative regression target: seeded resale prices of used machines."""

import numpy as np

from utils import data


def test_resale_prices_are_seeded_non_negative_and_split():
    a, b = data.resale_prices(), data.resale_prices()
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert a.X_train.shape == (160, 1) and a.y_test.shape == (40, 1)
    y = np.vstack([a.y_train, a.y_test])
    x = np.vstack([a.X_train, a.X_test])
    assert y.min() == 0 and y.max() > 15
    assert 0.3 < np.mean(y == 0) < 0.6  # old machines sell for nothing
    assert np.all(y[x < 3] > 0)
    assert x.min() >= 0 and x.max() <= 12
    assert not np.array_equal(data.resale_prices(seed=1).y_train, a.y_train)


