"""Lab 5's multi-label street scenes, caption helper, image grid and cost checker; the design-B
network (k sigmoid outputs, binary cross-entropy over (m, k) targets) against Keras on them."""

import matplotlib

matplotlib.use("Agg")
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.support.numerics import TOL64, max_diff  # noqa: E402
from utils import data, losses, plots  # noqa: E402
from utils.network import Layer, Network  # noqa: E402
from utils.optimizers import Adam  # noqa: E402
from utils.training import full_batch_dataset  # noqa: E402


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


def test_image_grid_draws_captions_in_colour():
    plots.use_style()
    images = np.random.default_rng(0).uniform(size=(5, 256))
    fig = plots.plot_image_grid(images, list("abcde"), colors=["red"] * 5, ncols=3, title="t")
    (ax,) = fig.axes  # one Axes holds every image and caption
    assert [t.get_text() for t in ax.texts] == list("abcde") and len(ax.images) == 5
    assert {t.get_color() for t in ax.texts} == {"red"}
    assert ax.images[0].get_array().shape == (16, 16)
    # the fourth image starts the second row of 3 columns: below the first, same column
    first, fourth = ax.images[0].get_extent(), ax.images[3].get_extent()
    assert first[:2] == fourth[:2] and fourth[3] > first[2]
    fig = plots.plot_image_grid(images.reshape(5, 8, 32), ["x\ny"] * 5)
    assert fig.axes[0].images[0].get_array().shape == (8, 32)
    with pytest.raises(ValueError, match="one caption per image"):
        plots.plot_image_grid(images, ["only one"])
    with pytest.raises(ValueError, match="colors must hold one colour per image"):
        plots.plot_image_grid(images, list("abcde"), colors=["red"])
    plt.close("all")


def test_multilabel_cost_matches_keras_including_outputs_of_0_and_1(rng):
    """By-hand BCE over (m, 3) equals keras.losses.BinaryCrossentropy within 1e-12."""
    Y = (rng.uniform(size=(20, 3)) < 0.5).astype(float)
    for P in (rng.uniform(size=(20, 3)), Y, 1 - Y):
        assert (
            abs(losses.binary_crossentropy(Y, P) - losses.cost_keras("binary_crossentropy", Y, P))
            <= TOL64
        )


def test_three_sigmoid_outputs_train_as_keras_on_street_scenes(scenes):
    """Design B of Lab 5, 20 full-batch Adam steps: costs and weights within 1e-10."""
    X, Y = scenes.X_train, scenes.y_train
    net = Network(256, [Layer(8, "relu"), Layer(3, "sigmoid")], seed=0)
    model = net.to_keras()
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss=keras.losses.BinaryCrossentropy())
    history_k = model.fit(
        full_batch_dataset(X, Y), epochs=20, steps_per_epoch=1, shuffle=False, verbose=0
    )
    history = net.fit(
        X, Y, "binary_crossentropy", Adam(0.005), epochs=20, batch_size=None, shuffle=False
    )
    assert max_diff(history["loss"], history_k.history["loss"]) <= 1e-10
    assert max_diff(net.get_weights(), model.get_weights()) <= 1e-10
    assert history["loss"][-1] < history["loss"][0]


