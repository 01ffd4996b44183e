"""Data sets for the labs: generated from a seed, or bundled with scikit-learn. Nothing downloads.

Every loader returns a :class:`Split` with a fixed, stratified (for labels) train/test split,
so each lab reports accuracy on held-out examples.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from .validation import positive_int


@dataclass(frozen=True)
class Split:
    """Training and held-out test data: ``X_*: (m, n)`` features, ``y_*`` targets."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def standardized(self):
        """The same split with each feature scaled by the training set's mean and std."""
        mu, sigma = self.X_train.mean(axis=0), self.X_train.std(axis=0)
        return Split(
            (self.X_train - mu) / sigma, self.y_train, (self.X_test - mu) / sigma, self.y_test
        )


def _split(X, y, seed, stratify):
    parts = train_test_split(
        X, y, test_size=0.2, random_state=seed, stratify=y if stratify else None
    )
    return Split(*parts[::2], *parts[1::2])


def coffee_roasting(m=400, seed=0):
    """The lecture's coffee-roasting data: is a roast good (1) or not (0)?

    Features: temperature in Celsius (150-285) and duration in minutes (11.5-15.5).
    A roast is good inside the triangle 175 < t < 260, d > 12, d <= 21 - 3 t / 85.
    Returns a Split with ``X: (m, 2)``, ``y: (m, 1)`` of 0.0/1.0, 80/20 stratified.
    """
    rng = np.random.default_rng(seed)
    t = rng.uniform(150, 285, positive_int("m", m))
    d = rng.uniform(11.5, 15.5, m)
    good = (t > 175) & (t < 260) & (d > 12) & (d <= 21 - 3 * t / 85)
    return _split(np.column_stack([t, d]), good.astype(float)[:, None], seed, stratify=True)


def regression_curve(m=200, seed=0):
    """A seeded 1-D regression set: y = x sin(2x) + x/2 + noise(0.2) for x in [0, 3].

    Returns a Split with ``X: (m, 1)``, ``y: (m, 1)``; targets take either sign.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3, positive_int("m", m))
    y = x * np.sin(2 * x) + x / 2 + rng.normal(0, 0.2, m)
    return _split(x[:, None], y[:, None], seed, stratify=False)


def digits(seed=0):
    """scikit-learn's bundled handwritten digits: 1,797 images of 8x8 pixels, classes 0-9.

    Pixels are scaled from 0..16 to [0, 1]. Returns a Split with ``X: (m, 64)``,
    ``y: (m,)`` integer labels; 80/20 stratified (1,437 train, 360 test for seed 0).
    """
    data = load_digits()
    return _split(data.data / 16.0, data.target.astype(np.int64), seed, stratify=True)
