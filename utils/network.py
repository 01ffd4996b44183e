"""A sequential network of Dense layers by hand, and the identical Keras model.

The three training steps of Lab 1 live here: define the model (``Network``), specify the
loss and cost (``cost_and_gradients``), minimise the cost (``fit``, with back propagation and
an optimizer from :mod:`utils.optimizers`); the loop itself is :class:`utils.training.Model`'s.
``to_keras`` builds the same model in Keras with the same weights, and
``set_weights(model.get_weights())`` copies weights back.
"""

from dataclasses import dataclass

import numpy as np

from .activations import KERNELS, NAMES
from .dense import DENSE, glorot_uniform
from .training import Model
from .validation import as_choice, as_float_dtype, as_instances, as_seed, positive_int


@dataclass(frozen=True)
class Layer:
    """One Dense layer of the spec: ``units`` neurons with activation ``activation``."""

    units: int
    activation: str = "linear"

    def __post_init__(self):
        positive_int("units", self.units)
        as_choice("activation", self.activation, NAMES)


class Network(Model):
    """``Sequential([Dense(...), ...])`` by hand, with Keras's glorot-uniform/zero initialisation.

    ``n_inputs``: features per example; ``layers``: a list of :class:`Layer`;
    ``seed``: for the initial weights; ``dtype``: float64 (default) or float32.
    """

    def __init__(self, n_inputs, layers, seed=0, dtype=np.float64):
        self.n_inputs = positive_int("n_inputs", n_inputs)
        self.layers = as_instances("layers", layers, Layer, "Layer(units, activation)")
        if any(layer.activation == "softmax" for layer in self.layers[:-1]):
            raise ValueError("layers may use softmax only in the output layer")
        self.dtype = as_float_dtype("dtype", dtype)
        self.input_shape = (self.n_inputs,)
        self.output_shape = (self.layers[-1].units,)
        self.output_activation = self.layers[-1].activation
        rng = np.random.default_rng(as_seed("seed", seed))
        sizes = [self.n_inputs] + [layer.units for layer in self.layers]
        self.params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            self.params += [
                glorot_uniform(n_in, n_out, rng, self.dtype),
                np.zeros(n_out, self.dtype),
            ]

    def _forward(self, X):
        """One matmul per layer: a :class:`~utils.dense.LayerCache` per layer."""
        caches, A = [], X
        for layer, W, b in zip(self.layers, self.params[::2], self.params[1::2], strict=True):
            caches.append(DENSE.forward(A, W, b, layer.activation))
            A = caches[-1].A
        return caches

    def _backward(self, X, caches, dZ):
        """Back propagation from the output layer's ``dZ`` to ``[dW1, db1, dW2, db2, ...]``."""
        grads = []
        for k in range(len(self.layers) - 1, -1, -1):
            A_in = X if k == 0 else caches[k - 1].A
            dW, db, dA = DENSE.backward(dZ, A_in, self.params[2 * k])
            grads[:0] = [dW, db]
            if k > 0:
                dZ = dA * KERNELS[self.layers[k - 1].activation].derivative(caches[k - 1].Z)
        return grads

    def to_keras(self):
        """The identical ``keras.Sequential`` (Input, then a ``Dense`` per layer), same weights."""
        import keras  # keeps TensorFlow out of `import utils`

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
