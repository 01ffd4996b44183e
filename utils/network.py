"""A sequential network of Dense layers by hand, and the identical Keras model.

The three training steps of Lab 1 live here: define the model (``Network``), specify the
loss and cost (``cost_and_gradients``), minimise the cost (``fit``, with back propagation and
an optimizer from :mod:`utils.optimizers`). ``to_keras`` builds the same model in Keras
with the same weights, and ``set_weights(model.get_weights())`` copies weights back.
"""

from dataclasses import dataclass

import numpy as np

from .activations import DERIVATIVES, check_name
from .dense import dense_backward, dense_forward, glorot_uniform
from .losses import check_loss, loss_keras, output_cost_and_grad
from .validation import as_float_array, positive_int


@dataclass(frozen=True)
class Layer:
    """One Dense layer of the spec: ``units`` neurons with activation ``activation``."""

    units: int
    activation: str = "linear"

    def __post_init__(self):
        positive_int("units", self.units)
        check_name(self.activation)


class WeightList:
    """Keras-style weight access for a by-hand model holding ``self.params`` and ``self.dtype``.

    ``params`` is the list of arrays in the order of Keras's ``get_weights()``
    (``[W1, b1, W2, b2, ...]`` for Dense layers, kernels and biases for convolutions).
    """

    def get_weights(self):
        """Copies of the parameter arrays, in the order of Keras's ``get_weights()``."""
        return [p.copy() for p in self.params]

    def set_weights(self, weights):
        """Set every array (e.g. from ``keras_model.get_weights()``); shapes must match."""
        if len(weights) != len(self.params):
            raise ValueError(f"weights must hold {len(self.params)} arrays, got {len(weights)}")
        new = []
        for i, (old, w) in enumerate(zip(self.params, weights, strict=True)):
            w = as_float_array(f"weights[{i}]", w)
            if w.shape != old.shape:
                raise ValueError(f"weights[{i}] must have shape {old.shape}, got {w.shape}")
            new.append(w.astype(self.dtype))
        self.params = new

    def count_params(self):
        """Number of trainable numbers (for Dense layers: sum of (n_in + 1) * units)."""
        return sum(p.size for p in self.params)


class Network(WeightList):
    """``Sequential([Dense(...), ...])`` by hand, with Keras's glorot-uniform/zero initialisation.

    ``n_inputs``: features per example; ``layers``: a list of :class:`Layer`;
    ``seed``: for the initial weights; ``dtype``: float64 (default) or float32.
    """

    def __init__(self, n_inputs, layers, seed=0, dtype=np.float64):
        self.n_inputs = positive_int("n_inputs", n_inputs)
        if not layers or not all(isinstance(layer, Layer) for layer in layers):
            raise ValueError("layers must be a non-empty list of Layer(units, activation)")
        if any(layer.activation == "softmax" for layer in layers[:-1]):
            raise ValueError("layers may use softmax only in the output layer")
        self.layers = list(layers)
        self.dtype = np.dtype(dtype)
        rng = np.random.default_rng(seed)
        sizes = [self.n_inputs] + [layer.units for layer in self.layers]
        self.params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            self.params += [
                glorot_uniform(n_in, n_out, rng, self.dtype),
                np.zeros(n_out, self.dtype),
            ]

    def _check_X(self, X):
        X = as_float_array("X", X, ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have {self.n_inputs} columns (features), got shape {X.shape}")
        return X.astype(self.dtype)

    def forward(self, X):
        """Forward pass, one matmul per layer. ``X: (m, n)`` -> list of ``(Z, A)`` per layer."""
        A = self._check_X(X)
        cache = []
        for layer, W, b in zip(self.layers, self.params[::2], self.params[1::2], strict=True):
            Z, A = dense_forward(A, W, b, layer.activation)
            cache.append((Z, A))
        return cache

    def predict(self, X):
        """The network's output f(X). ``X: (m, n)`` -> ``(m, units of the last layer)``."""
        return self.forward(X)[-1][1]

    def cost_and_gradients(self, X, y, loss, from_logits=False):
        """Cost J on ``(X, y)`` and dJ/d(every parameter) by back propagation.

        ``loss``: "binary_crossentropy", "sparse_categorical_crossentropy" or
        "mean_squared_error". Returns ``(J, [dW1, db1, dW2, db2, ...])``.
        """
        X = self._check_X(X)
        cache = self.forward(X)
        J, dZ = output_cost_and_grad(loss, y, cache[-1][0], self.layers[-1].activation, from_logits)
        grads = []
        for k in range(len(self.layers) - 1, -1, -1):
            A_in = X if k == 0 else cache[k - 1][1]
            dW, db, dA = dense_backward(dZ, A_in, self.params[2 * k])
            grads[:0] = [dW, db]
            if k > 0:
                dZ = dA * DERIVATIVES[self.layers[k - 1].activation](cache[k - 1][0])
        return J, grads

    def cost(self, X, y, loss, from_logits=False):
        """The cost J on ``(X, y)``, computed as Keras computes it inside a model."""
        cache = self.forward(X)
        return output_cost_and_grad(loss, y, cache[-1][0], self.layers[-1].activation, from_logits)[
            0
        ]

    def fit(
        self,
        X,
        y,
        loss,
        optimizer,
        epochs=1,
        batch_size=32,
        shuffle=True,
        from_logits=False,
        seed=0,
    ):
        """Minimise J with ``optimizer`` over ``epochs`` passes through ``(X, y)``.

        Like Keras's ``fit``: mini-batches of ``batch_size`` (``None`` = the whole set),
        shuffled each epoch when ``shuffle`` (from ``seed``), and ``history["loss"][k]`` is
        the batch-size-weighted mean of the costs computed before each update of epoch k.
        Returns the history dict.
        """
        X = self._check_X(X)
        m = len(X)
        y = np.asarray(y)
        if len(y) != m:
            raise ValueError(f"y must have one target per row of X ({m}), got {len(y)}")
        batch_size = m if batch_size is None else positive_int("batch_size", batch_size)
        rng = np.random.default_rng(seed)
        history = {"loss": []}
        for _ in range(positive_int("epochs", epochs)):
            order = rng.permutation(m) if shuffle else np.arange(m)
            total = 0.0
            for start in range(0, m, batch_size):
                idx = order[start : start + batch_size]
                J, grads = self.cost_and_gradients(X[idx], y[idx], loss, from_logits)
                optimizer.step(self.params, grads)
                total += J * len(idx)
            history["loss"].append(total / m)
        return history

    def to_keras(self):
        """The identical ``keras.Sequential`` (Input, then a ``Dense`` per layer), same weights."""
        import keras

        dtype = self.dtype.name
        model = keras.Sequential(
            [keras.Input((self.n_inputs,), dtype=dtype)]
            + [
                keras.layers.Dense(lay.units, activation=lay.activation, dtype=dtype)
                for lay in self.layers
            ]
        )
        model.set_weights(self.params)
        return model


def keras_cost_and_gradients(model, X, y, loss, from_logits=False):
    """Keras twin of :meth:`Network.cost_and_gradients`: ``tf.GradientTape`` on the model.

    Returns ``(J, [dW1, db1, ...])`` as numpy arrays, in ``model.trainable_variables`` order.
    """
    import tensorflow as tf

    loss_fn = loss_keras(check_loss(loss, from_logits), from_logits)
    with tf.GradientTape() as tape:
        J = loss_fn(tf.convert_to_tensor(y), model(X, training=True))
    grads = tape.gradient(J, model.trainable_variables)
    return float(J), [g.numpy() for g in grads]


def keras_full_batch(X, y):
    """A ``tf.data.Dataset`` that yields the whole ``(X, y)`` as one batch, forever.

    ``model.fit(keras_full_batch(X, y), epochs=E, steps_per_epoch=1, shuffle=False)`` is the same
    full-batch gradient descent as ``model.fit(X, y, epochs=E, batch_size=len(X), shuffle=False)``
    (one step per epoch), but Keras builds its input pipeline once instead of every epoch,
    which makes an epoch about 20 times faster on this small data.
    """
    import tensorflow as tf

    X = as_float_array("X", X, ndim=2)
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"y must have one target per row of X ({len(X)}), got {len(y)}")
    return tf.data.Dataset.from_tensors((X, y)).repeat()
