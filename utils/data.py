"""Data sets for the labs: generated from a seed, or bundled with scikit-learn. Nothing downloads.

Every loader returns a :class:`Split` with a fixed, stratified (for labels) train/test split,
so each lab reports accuracy on held-out examples.
"""

import math
from dataclasses import dataclass

import numpy as np

from .validation import as_float_array, as_int, as_number

MAX_SEED = 2**32 - 1  # scikit-learn's random_state takes seeds up to this
TEST_FRACTION = 0.2  # every split holds out 20% of the examples (80/20)
COFFEE_ROASTS = 400  # the coffee-roasting data's default size (Labs 1, 2, 3, 4 and 8)
DIGITS_EXAMPLES = 1797  # scikit-learn's bundled digits


def _seed(seed):
    return as_int("seed", seed, at_least=0, at_most=MAX_SEED)


def _size(m, at_least=2):
    """The number of examples: at least 2 (one for training, one held out), or ``at_least``."""
    return as_int("m", m, at_least=at_least)


@dataclass(frozen=True)
class Split:
    """Training and held-out test data: ``X_*: (m, n)`` features, ``y_*`` targets."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def standardized(self):
        """The same split with each feature scaled by the training set's mean and std.

        A feature that is constant in the training set is only centred (scaled by 1, as
        scikit-learn's ``StandardScaler`` does), never divided by 0.
        """
        mu, sigma = self.X_train.mean(axis=0), self.X_train.std(axis=0)
        sigma = np.where(sigma > 0, sigma, 1.0)
        return Split(
            (self.X_train - mu) / sigma, self.y_train, (self.X_test - mu) / sigma, self.y_test
        )


def train_size(m):
    """Examples in the training part of a split of ``m``: m - ceil(0.2 m), as scikit-learn
    rounds (320 of the 400 coffee roasts, 1,437 of the 1,797 digits)."""
    m = _size(m)
    return m - math.ceil(TEST_FRACTION * m)


def _split(X, y, seed, stratify):
    """80/20 train/test split; stratified by the rows of ``stratify`` (labels) when every
    class has at least 2 examples and both parts can hold one of each, else unstratified."""
    # scikit-learn takes seconds to import: only when data is split, not at `import utils.data`
    # (the exercise checkers import this module for train_size)
    from sklearn.model_selection import train_test_split

    if stratify is not None:
        _, counts = np.unique(stratify, axis=0, return_counts=True)
        n_test = len(X) - train_size(len(X))
        if counts.min() < 2 or min(n_test, len(X) - n_test) < len(counts):
            stratify = None
    parts = train_test_split(X, y, test_size=TEST_FRACTION, random_state=seed, stratify=stratify)
    return Split(*parts[::2], *parts[1::2])


def coffee_roasting(m=COFFEE_ROASTS, seed=0):
    """The lecture's coffee-roasting data: is a roast good (1) or not (0)?

    Features: temperature in Celsius (150-285) and duration in minutes (11.5-15.5).
    A roast is good inside the triangle 175 < t < 260, d > 12, d <= 21 - 3 t / 85.
    Returns a Split with ``X: (m, 2)``, ``y: (m, 1)`` of 0.0/1.0, 80/20 stratified; ``m >= 2``.
    """
    m, seed = _size(m), _seed(seed)
    rng = np.random.default_rng(seed)
    t = rng.uniform(150, 285, m)
    d = rng.uniform(11.5, 15.5, m)
    good = (t > 175) & (t < 260) & (d > 12) & (d <= 21 - 3 * t / 85)
    y = good.astype(float)[:, None]
    return _split(np.column_stack([t, d]), y, seed, stratify=y)


def regression_curve(m=200, seed=0):
    """A seeded 1-D regression set: y = x sin(2x) + x/2 + noise(0.2) for x in [0, 3].

    Returns a Split with ``X: (m, 1)``, ``y: (m, 1)``; targets take either sign; ``m >= 2``.
    """
    m, seed = _size(m), _seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3, m)
    y = x * np.sin(2 * x) + x / 2 + rng.normal(0, 0.2, m)
    return _split(x[:, None], y[:, None], seed, stratify=None)


def digits(seed=0):
    """scikit-learn's bundled handwritten digits: 1,797 images of 8x8 pixels, classes 0-9.

    Pixels are scaled from 0..16 to [0, 1]. Returns a Split with ``X: (m, 64)``,
    ``y: (m,)`` integer labels; 80/20 stratified (1,437 train, 360 test for seed 0).
    """
    from sklearn.datasets import load_digits  # as in _split: only when the digits are loaded

    seed = _seed(seed)
    data = load_digits()
    y = data.target.astype(np.int64)
    return _split(data.data / 16.0, y, seed, stratify=y)


BLOB_CENTERS = ((-5.0, 2.0), (-1.0, -2.0), (1.0, 2.0), (5.0, -2.0))


def four_blobs(m=100, seed=0):
    """Four classes of points in the plane: round blobs (std 1) around :data:`BLOB_CENTERS`.

    Example i belongs to class i mod 4 (equal class sizes). Returns a Split with
    ``X: (m, 2)``, ``y: (m,)`` integer labels 0-3, 80/20 stratified; ``m >= 2``
    (taught in Lab 3: what hidden ReLU units do in a multiclass network).
    """
    m, seed = _size(m), _seed(seed)
    rng = np.random.default_rng(seed)
    y = np.arange(m, dtype=np.int64) % 4
    X = np.asarray(BLOB_CENTERS)[y] + rng.normal(0.0, 1.0, (m, 2))
    return _split(X, y, seed, stratify=y)


def resale_prices(m=200, seed=0):
    """A seeded non-negative target: the resale price of a used machine from its age.

    Age in years, uniform on [0, 12]; price in $1000 = max(0, 28 e^{-age/3.5} - 4 + noise(1)),
    so machines older than about 7 years sell for nothing and no price is negative.
    Returns a Split with ``X: (m, 1)``, ``y: (m, 1)`` >= 0, 80/20, ``m >= 2`` (taught in Lab 2).
    """
    m, seed = _size(m), _seed(seed)
    rng = np.random.default_rng(seed)
    age = rng.uniform(0, 12, m)
    price = np.maximum(0.0, 28 * np.exp(-age / 3.5) - 4 + rng.normal(0, 1, m))
    return _split(age[:, None], price[:, None], seed, stratify=None)


STREET_LABELS = ("car", "bus", "pedestrian")


def _street_sprites():
    """The three objects as 0/1 pixel masks: car (3, 6), bus (5, 10), pedestrian (6, 3)."""
    car = np.ones((3, 6))
    car[0, [0, -1]] = 0  # the roof is narrower than the body
    bus = np.ones((5, 10))
    bus[1:4, 1:9] = 0  # a hollow box ...
    bus[2, 2:9:2] = 1  # ... with a row of windows
    pedestrian = np.zeros((6, 3))
    pedestrian[:4, 1] = 1  # head and body
    pedestrian[2, :] = 1  # arms
    pedestrian[4:, [0, 2]] = 1  # legs
    return car, bus, pedestrian


# Where each object's top-left corner may land (rows, columns, inclusive): cars and buses share
# the road at the bottom (and may overlap), pedestrians walk on the pavement at the top.
_STREET_CORNERS = (((11, 13), (2, 8)), ((8, 10), (1, 5)), ((1, 3), (3, 10)))


def street_scenes(m=1000, noise=0.3, prevalence=(0.5, 0.3, 0.4), seed=0):
    """Lab 5's multi-label images: is there a car, a bus, a pedestrian in a 16x16 street scene?

    Each object of :data:`STREET_LABELS` appears independently with probability
    ``prevalence[j]``, drawn as a small sprite (intensity uniform in [0.6, 1]) at a random
    position in its own region (objects may overlap); Gaussian pixel noise of std ``noise`` is
    added and pixels are clipped to [0, 1]. Returns a Split with ``X: (m, 256)`` (rows of the
    image, one after another) and multi-hot ``y: (m, 3)`` of 0.0/1.0 (e.g. ``[1, 0, 1]``: a car
    and a pedestrian, no bus); 80/20, stratified by the label combination (where every
    combination that occurs occurs at least twice). ``m >= 100``.
    """
    m = _size(m, at_least=100)
    noise = as_number("noise", noise, at_least=0)
    prevalence = as_float_array("prevalence", prevalence, ndim=1)
    if prevalence.shape != (3,) or np.any(prevalence <= 0) or np.any(prevalence >= 1):
        raise ValueError(f"prevalence must be 3 probabilities in (0, 1), got {prevalence}")
    seed = _seed(seed)
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=(m, 3)) < prevalence).astype(float)
    images = np.zeros((m, 16, 16))
    for image, present in zip(images, y, strict=True):
        for sprite, ((r0, r1), (c0, c1)), there in zip(
            _street_sprites(), _STREET_CORNERS, present, strict=True
        ):
            if there:
                r, c = rng.integers(r0, r1 + 1), rng.integers(c0, c1 + 1)
                patch = image[r : r + sprite.shape[0], c : c + sprite.shape[1]]
                np.maximum(patch, sprite * rng.uniform(0.6, 1.0), out=patch)
    images = np.clip(images + rng.normal(0, noise, images.shape), 0, 1)
    return _split(images.reshape(m, 256), y, seed, stratify=y)


def label_captions(y, names=STREET_LABELS):
    """Name the labels that are on in each multi-hot row: ``y: (m, k)`` -> m strings.

    ``[1, 0, 1]`` -> ``"car + pedestrian"``; a row of zeros -> ``"nothing"``.
    """
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise TypeError(f"names must be a list of strings, one per label, got {names!r}")
    y = as_float_array("y", y, ndim=2)
    if y.shape[1] != len(names):
        raise ValueError(
            f"y must have one column per label in names ({len(names)}), got shape {y.shape}"
        )
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must hold 0/1 labels")
    return [" + ".join(n for n, on in zip(names, row, strict=True) if on) or "nothing" for row in y]


# Beats come every 22-30 samples and the abnormal one sits 8 samples or more from either end:
# a window of 30 samples always holds a beat, so the length needs 8 + 30 + 8 samples.
MIN_EKG_LENGTH = 46
# Half the traces are abnormal: from 6 traces on, both classes have 2 or more and the 20%
# test part (ceil(0.2 m) traces) can hold one of each, so the split is stratified.
MIN_EKG_EXAMPLES = 6


def ekg_signals(m=1000, length=100, seed=0):
    """Seeded, synthetic EKG-like traces: is there an abnormal heartbeat (1) or not (0)?

    Each trace has ``length`` samples of a heart beating every 22-30 samples (random rate and
    phase): per beat a small P wave, a sharp QRS spike and a T wave, on a slowly wandering
    baseline, plus noise N(0, 0.05^2). In half of the traces (``y = 1``) one beat, at a random
    place, is a premature ventricular beat: no P wave, a wide spike, an inverted T wave.
    Returns a Split with ``X: (m, length)``, ``y: (m, 1)`` of 0.0/1.0, 80/20 stratified;
    ``m >= 6`` (fewer traces cannot be split so), ``length >= 46`` (so that a whole beat
    period fits between the margins).
    Lab 7's one-dimensional convolution example.
    """
    m, seed = _size(m, at_least=MIN_EKG_EXAMPLES), _seed(seed)
    length = as_int("length", length, at_least=MIN_EKG_LENGTH)
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    y = rng.permutation(np.arange(m) % 2).astype(float)

    def bump(center, width, height):
        return height * np.exp(-0.5 * ((t - center) / width) ** 2)

    X = np.empty((m, length))
    for i in range(m):
        period = rng.uniform(22, 30)
        beats = np.arange(rng.uniform(0, period) - period, length + period, period)
        inside = np.flatnonzero((beats >= 8) & (beats <= length - 8))
        odd = inside[rng.integers(len(inside))] if y[i] else -1
        wander = rng.uniform(80, 200), rng.uniform(0, 2 * np.pi)
        x = 0.1 * np.sin(2 * np.pi * t / wander[0] + wander[1])
        for k, c in enumerate(beats):
            if k == odd:
                x += bump(c, 2.5, 1.0) + bump(c + 7, 3.0, -0.4)
            else:
                x += (
                    bump(c - 6, 1.5, 0.15)
                    + bump(c - 1, 0.6, -0.15)
                    + bump(c, 0.7, 1.0)
                    + bump(c + 1.2, 0.6, -0.25)
                    + bump(c + 8, 2.5, 0.3)
                )
        X[i] = x + rng.normal(0, 0.05, length)
    return _split(X, y[:, None], seed, stratify=y[:, None])
