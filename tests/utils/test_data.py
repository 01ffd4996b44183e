"""Data sets: shapes, ranges, stratified held-out splits, and reproducibility from the seed."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

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


# ---- Lab 2's resale prices

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


# ---- Lab 5's street scenes and their captions

def test_shapes_ranges_and_reproducible_split(scenes):
    again = data.street_scenes(m=1000)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(scenes, name), getattr(again, name))
    assert scenes.X_train.shape == (800, 256) and scenes.y_train.shape == (800, 3)
    assert scenes.X_test.shape == (200, 256) and scenes.y_test.shape == (200, 3)
    X = np.vstack([scenes.X_train, scenes.X_test])
    assert X.min() == 0 and X.max() == 1
    assert set(np.unique(scenes.y_train)) == {0.0, 1.0}
    train_rows = {row.tobytes() for row in scenes.X_train}
    assert not any(row.tobytes() in train_rows for row in scenes.X_test)
    assert not np.array_equal(data.street_scenes(m=1000, seed=1).X_train, scenes.X_train)


def test_labels_are_independent_with_the_given_prevalence_and_stratified():
    s = data.street_scenes(m=2000)
    Y = np.vstack([s.y_train, s.y_test])
    assert np.allclose(Y.mean(axis=0), [0.5, 0.3, 0.4], atol=0.03)
    corr = np.corrcoef(Y.T)
    assert np.abs(corr[np.triu_indices(3, 1)]).max() < 0.06  # independent objects
    assert np.allclose(s.y_train.mean(axis=0), s.y_test.mean(axis=0), atol=0.01)
    combination = (s.y_test @ [4, 2, 1]).astype(int)  # 0..7
    assert np.bincount(combination, minlength=8).min() >= 5  # every combination is held out


def test_without_noise_each_object_is_its_sprite_in_its_region():
    s = data.street_scenes(m=400, noise=0.0)
    X = np.vstack([s.X_train, s.X_test]).reshape(-1, 16, 16)
    Y = np.vstack([s.y_train, s.y_test])
    assert not X[~Y.any(axis=1)].any()  # an empty street is black
    # (label, pixels in the sprite, rows it may cover)
    for j, pixels, rows in ((0, 16, range(11, 16)), (1, 30, range(8, 15)), (2, 10, range(1, 9))):
        only = np.all(Y == np.eye(3)[j], axis=1)
        assert only.sum() > 10
        for image in X[only]:
            lit = image > 0
            assert lit.sum() == pixels
            assert set(np.nonzero(lit)[0]) <= set(rows)
            assert 0.6 <= image[lit].min() and image.max() <= 1


def test_label_captions():
    assert data.label_captions([[1, 0, 1], [0, 0, 0], [1, 1, 1]]) == [
        "car + pedestrian",
        "nothing",
        "car + bus + pedestrian",
    ]
    assert data.label_captions([[0, 1]], names=("a", "b")) == ["b"]


# ---- Lab 7's EKG signals

def test_ekg_signals_are_seeded_balanced_and_split():
    a, b = data.ekg_signals(), data.ekg_signals()
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert a.X_train.shape == (800, 100) and a.X_test.shape == (200, 100)
    assert a.y_train.shape == (800, 1) and set(np.unique(a.y_train)) == {0.0, 1.0}
    assert a.y_train.mean() == 0.5 and a.y_test.mean() == 0.5  # stratified halves
    assert not np.array_equal(data.ekg_signals(seed=1).X_train, a.X_train)
    assert data.ekg_signals(m=10, length=46).X_train.shape == (8, 46)


# -- data.ekg_signals keeps its promise: an 80/20 stratified split, or a refusal naming m


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
