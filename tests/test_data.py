"""Data sets: shapes, ranges, stratified held-out splits, and reproducibility from the seed."""

import numpy as np
import pytest

from utils import data


@pytest.mark.parametrize(
    "load", [data.coffee_roasting, data.regression_curve, data.digits, data.four_blobs]
)
def test_same_seed_same_data_and_disjoint_split(load):
    a, b = load(seed=0), load(seed=0)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    train_rows = {row.tobytes() for row in a.X_train}
    assert not any(row.tobytes() in train_rows for row in a.X_test)
    assert len(a.X_test) / (len(a.X_train) + len(a.X_test)) == pytest.approx(0.2, abs=0.01)


def test_coffee_roasting():
    s = data.coffee_roasting()
    X = np.vstack([s.X_train, s.X_test])
    assert X.shape == (400, 2) and s.y_train.shape == (320, 1)
    assert X[:, 0].min() >= 150 and X[:, 0].max() <= 285
    assert X[:, 1].min() >= 11.5 and X[:, 1].max() <= 15.5
    assert set(np.unique(s.y_train)) == {0.0, 1.0}
    assert abs(s.y_train.mean() - s.y_test.mean()) < 0.02  # stratified
    good = s.y_train[:, 0] == 1
    t, d = s.X_train[good].T
    assert np.all((t > 175) & (t < 260) & (d > 12) & (d <= 21 - 3 * t / 85))


def test_standardized_uses_training_statistics():
    s = data.coffee_roasting().standardized()
    assert np.allclose(s.X_train.mean(axis=0), 0) and np.allclose(s.X_train.std(axis=0), 1)
    assert not np.allclose(s.X_test.mean(axis=0), 0, atol=1e-6)


def test_regression_curve():
    s = data.regression_curve()
    assert s.X_train.shape == (160, 1) and s.y_train.shape == (160, 1)
    assert s.y_train.min() < 0 < s.y_train.max()


def test_digits():
    s = data.digits()
    assert s.X_train.shape == (1437, 64) and s.X_test.shape == (360, 64)
    assert s.X_train.min() == 0 and s.X_train.max() == 1
    assert s.y_train.dtype == np.int64
    assert np.array_equal(np.bincount(s.y_test), np.bincount(s.y_test, minlength=10))
    assert np.bincount(s.y_test).min() >= 35  # every class is held out in proportion


def test_four_blobs():
    s = data.four_blobs()
    assert s.X_train.shape == (80, 2) and s.X_test.shape == (20, 2)
    assert s.y_train.dtype == np.int64
    assert np.array_equal(np.bincount(s.y_train), [20, 20, 20, 20])  # stratified
    for k, center in enumerate(data.BLOB_CENTERS):
        assert np.allclose(s.X_train[s.y_train == k].mean(axis=0), center, atol=0.6)
