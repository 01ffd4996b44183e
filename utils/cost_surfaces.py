"""An elongated cost surface, and how optimizers walk down it, by hand and in Keras.

The surface is the bowl J(w) = 1/2 sum_i c_i w_i^2 with very different curvatures c_i
(the shape an unscaled feature gives the cost). Gradient descent must keep alpha < 2 / max c_i
or it diverges along the steep axis, and then crawls along the flat one; Adam takes one step
size per parameter. An optimizer's walk down the bowl is not a fit on data: there are no
examples, only the point w and the gradient there. :func:`descent_path` returns the points
it visits, ``(steps + 1, n)``, which ``utils.plots.plot_path_on_contours`` draws and
``bowl_gradient`` turns into the gradients seen along the way. Taught in Lab 6 (Adam).
"""

import numpy as np

from .optimizers import Optimizer
from .validation import as_float_array, positive_int

CURVATURES = (1.0, 100.0)  # c_1, c_2: the bowl is 10 times longer along w_1 than along w_2
START = (-4.0, 1.0)  # the starting point w^(0) of the lab's paths


def _curvatures(curvatures):
    c = as_float_array("curvatures", curvatures, ndim=1)
    if np.any(c <= 0):
        raise ValueError("curvatures must all be > 0")
    return c


def _points(name, w, c, ndim=None):
    w = as_float_array(name, w, ndim=ndim, min_ndim=1)
    if w.shape[-1] != len(c):
        raise ValueError(f"{name} must have {len(c)} entries in its last axis, got shape {w.shape}")
    return w


def bowl_cost(w, curvatures=CURVATURES):
    """J(w) = 1/2 sum_i c_i w_i^2. ``w: (..., n)`` (one point or a grid), ``curvatures: (n,)``.

    Returns an array of shape ``w.shape[:-1]`` (a float for one point).
    """
    c = _curvatures(curvatures)
    w = _points("w", w, c)
    return 0.5 * np.sum(c * w * w, axis=-1)


def bowl_gradient(w, curvatures=CURVATURES):
    """dJ/dw = c * w, elementwise. ``w: (..., n)`` -> same shape."""
    c = _curvatures(curvatures)
    return c * _points("w", w, c)


def descent_path(optimizer, steps, w0=START, curvatures=CURVATURES):
    """The points an optimizer visits on the bowl: ``w^(0), w^(1), ..., w^(steps)``.

    ``optimizer``: one of :mod:`utils.optimizers` (``GradientDescent``, ``Adam``,
    ``PaperAdam``), each step taken on the gradient c * w; ``w0: (n,)``.
    Returns the points, ``(steps + 1, n)``.
    """
    c = _curvatures(curvatures)
    w = _points("w0", w0, c, ndim=1).astype(np.float64)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            "optimizer must be a utils.optimizers optimizer (GradientDescent, Adam, PaperAdam), "
            f"got {type(optimizer).__name__}"
        )
    points = [w.copy()]
    for _ in range(positive_int("steps", steps)):
        optimizer.apply([w], [c * w])
        points.append(w.copy())
    return np.array(points)


def descent_path_keras(optimizer, steps, w0=START, curvatures=CURVATURES):
    """Keras twin of :func:`descent_path`: a ``keras.Variable`` moved by a Keras optimizer.

    ``optimizer``: a ``keras.optimizers.Optimizer`` (e.g. ``SGD``, ``Adam``), or one of ours
    with ``to_keras()``. The gradient comes from ``tf.GradientTape`` on the bowl's cost.
    Returns the points, ``(steps + 1, n)``.
    """
    import keras  # keeps TensorFlow out of `import utils`
    import tensorflow as tf

    c = _curvatures(curvatures)
    w0 = _points("w0", w0, c, ndim=1).astype(np.float64)
    steps = positive_int("steps", steps)
    if isinstance(optimizer, Optimizer) and hasattr(optimizer, "to_keras"):
        optimizer = optimizer.to_keras()
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a Keras optimizer, got {type(optimizer).__name__}")
    w = keras.Variable(w0, dtype="float64", name="w")
    c_t = tf.constant(c, dtype=tf.float64)
    points = [w0.copy()]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            J = 0.5 * tf.reduce_sum(c_t * w * w)
        optimizer.apply_gradients([(tape.gradient(J, w), w)])
        points.append(w.numpy().copy())
    return np.array(points)
