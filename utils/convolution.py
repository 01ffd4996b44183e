"""Convolutional layers by hand: Conv1D forward and backward, Conv2D forward, and a small
1-D convolutional network, each with its Keras twin. Taught in Lab 7 (additional layer types).

Shapes follow Keras ("channels last", ``padding="valid"``):

- Conv1D: inputs ``X: (m, length, in_channels)``, kernel ``K: (kernel_size, in_channels,
  filters)``, bias ``b: (filters,)``, outputs ``(m, out_length, filters)`` with
  ``out_length = (length - kernel_size) // strides + 1``. Output position j of filter f is
  z[j, f] = sum over window positions i and channels c of X[j*strides + i, c] K[i, c, f] + b[f]:
  the same kernel (shared weights) slides along the signal.
- Conv2D: ``X: (m, height, width, in_channels)``, ``K: (kh, kw, in_channels, filters)``,
  outputs ``(m, out_height, out_width, filters)``.

Keras calls this operation a convolution; mathematically it is a cross-correlation (the
kernel is not flipped). The by-hand code does exactly what Keras does.
"""

from dataclasses import dataclass

import numpy as np

from .activations import ELEMENTWISE, KERNELS
from .dense import DENSE, LayerCache, glorot_uniform
from .network import Layer
from .training import Model
from .validation import (
    as_choice,
    as_float_array,
    as_instances,
    as_seed,
    common_float,
    positive_int,
)


def _strides_2d(strides):
    if isinstance(strides, (tuple, list)):
        if len(strides) != 2:
            raise ValueError(
                f"strides must be a positive integer or a pair of them, got {strides!r}"
            )
        return tuple(positive_int("strides", s) for s in strides)
    s = positive_int("strides", strides)
    return s, s


def _conv_arrays(X, K, b, ndim, bias=True):
    """Validate a batch ``X`` of rank ``ndim + 2``, kernel ``K`` of rank ``ndim + 2`` and (if
    ``bias``) the bias ``b``; cast to their common float type."""
    X = as_float_array("X", X, ndim=ndim + 2)
    K = as_float_array("K", K, ndim=ndim + 2)
    if K.shape[-2] != X.shape[-1]:
        raise ValueError(
            f"K must have {X.shape[-1]} input channels (K.shape[{ndim}]) to match X, "
            f"got K.shape {K.shape}"
        )
    for axis in range(ndim):
        if K.shape[axis] > X.shape[1 + axis]:
            raise ValueError(
                f"K's window ({K.shape[:ndim]}) must fit in X's {X.shape[1 : 1 + ndim]} "
                "(padding 'valid')"
            )
    if not bias:
        return (*common_float(X, K), None)
    b = as_float_array("b", b, ndim=1)
    if b.shape != (K.shape[-1],):
        raise ValueError(f"b must have shape ({K.shape[-1]},), one per filter, got {b.shape}")
    return common_float(X, K, b)


def _output_length(length, kernel_size, strides):
    return (length - kernel_size) // strides + 1


def output_length(length, kernel_size, strides=1):
    """Positions of a window of ``kernel_size`` sliding by ``strides`` over ``length`` samples.

    ``(length - kernel_size) // strides + 1`` (padding "valid": samples left over at the end,
    too few to fill a window, are dropped).
    """
    length, kernel_size = positive_int("length", length), positive_int("kernel_size", kernel_size)
    if kernel_size > length:
        raise ValueError(f"kernel_size must be <= length ({length}), got {kernel_size}")
    return _output_length(length, kernel_size, positive_int("strides", strides))


def _windows(X, size, strides, n_out):
    """The windows of ``X: (m, length, channels)``, every ``strides``-th one,
    as a view (no copy) of shape ``(m, n_out, size, channels)``."""
    # every window of `size` samples, one sample apart: (m, -, channels, size)
    view = np.lib.stride_tricks.sliding_window_view(X, size, axis=1)
    every = view[:, : (n_out - 1) * strides + 1 : strides]
    return every.transpose(0, 1, 3, 2)


def _conv1d_forward(X, K, b, strides, activation):
    """The kernel of :func:`conv1d_forward` (validated arrays of one float
    type): ``Z: (m, n_out, filters)`` and the activation of it."""
    size = K.shape[0]
    n_out = _output_length(X.shape[1], size, strides)
    # (m, n_out, kernel_size, in_channels)
    windows = _windows(X, size, strides, n_out)
    # window j . kernel f, for every j and f: (m, n_out, filters)
    Z = np.tensordot(windows, K, axes=([2, 3], [0, 1])) + b
    return LayerCache(Z, KERNELS[activation].g(Z))


def _conv1d_backward(dZ, X, K, strides):
    """The kernel of :func:`conv1d_backward`: ``(dK, db, dX)``."""
    size, n_out = K.shape[0], dZ.shape[1]
    windows = _windows(X, size, strides, n_out)
    dK = np.tensordot(windows, dZ, axes=([0, 1], [0, 1]))  # sum over examples and positions
    d_windows = np.tensordot(dZ, K, axes=([2], [2]))  # (m, out_length, kernel_size, in_channels)
    dX = np.zeros_like(X)
    for j in range(n_out):  # overlapping windows add up where they share samples
        dX[:, j * strides : j * strides + size, :] += d_windows[:, j]
    return dK, dZ.sum(axis=(0, 1)), dX


def conv1d_forward(X, K, b, strides=1, activation="linear"):
    """Conv1D by hand: one dot product of the kernel with each window.

    ``X: (m, length, in_channels)``, ``K: (kernel_size, in_channels, filters)``,
    ``b: (filters,)``. Returns ``LayerCache(Z, A)``: ``Z`` and ``A = g(Z)`` of shape
    ``(m, out_length, filters)``.
    """
    X, K, b = _conv_arrays(X, K, b, 1)
    strides = positive_int("strides", strides)
    activation = as_choice("activation", activation, ELEMENTWISE)
    return _conv1d_forward(X, K, b, strides, activation)


def _conv1d_gradient_arrays(dZ, X, K, b, strides, bias=True):
    X, K, b = _conv_arrays(X, K, b, 1, bias)
    strides = positive_int("strides", strides)
    n_out = _output_length(X.shape[1], K.shape[0], strides)
    dZ = as_float_array("dZ", dZ, ndim=3)
    if dZ.shape != (X.shape[0], n_out, K.shape[2]):
        raise ValueError(f"dZ must have shape {(X.shape[0], n_out, K.shape[2])}, got {dZ.shape}")
    return (*common_float(dZ, X, K), b, strides)


def conv1d_backward(dZ, X, K, strides=1):
    """Gradients through Z = conv1d(X, K) + b, given ``dZ = dJ/dZ: (m, out_length, filters)``.

    Each window position j adds its share: dK += X_window^T dZ[:, j], dX_window += dZ[:, j] K^T;
    db sums dZ over examples and positions (the kernel and bias are shared by every position).
    Returns ``(dK, db, dX)`` with the shapes of ``K``, ``(filters,)`` and ``X``.
    """
    dZ, X, K, _, strides = _conv1d_gradient_arrays(dZ, X, K, None, strides, bias=False)
    return _conv1d_backward(dZ, X, K, strides)


def _keras_conv(X, K, b, strides, activation, ndim):
    import keras  # keeps TensorFlow out of `import utils`

    cls = keras.layers.Conv1D if ndim == 1 else keras.layers.Conv2D
    layer = cls(
        K.shape[-1],
        K.shape[:ndim],
        strides=strides,
        padding="valid",
        activation=activation,
        dtype=X.dtype.name,
    )
    layer.build(X.shape)
    layer.set_weights([K, b])
    return layer


def conv1d_forward_keras(X, K, b, strides=1, activation="linear"):
    """Keras twin of :func:`conv1d_forward`: ``keras.layers.Conv1D`` holding K and b -> ``A``."""
    import keras  # keeps TensorFlow out of `import utils`

    X, K, b = _conv_arrays(X, K, b, 1)
    strides = positive_int("strides", strides)
    activation = as_choice("activation", activation, ELEMENTWISE)
    layer = _keras_conv(X, K, b, strides, activation, 1)
    return keras.ops.convert_to_numpy(layer(X))


def conv1d_backward_keras(dZ, X, K, b, strides=1):
    """Keras twin of :func:`conv1d_backward`: ``tf.GradientTape`` through ``Conv1D``.

    The tape differentiates sum(Z * dZ), whose gradient with respect to Z is ``dZ``.
    Returns ``(dK, db, dX)`` as numpy arrays.
    """
    import tensorflow as tf  # keeps TensorFlow out of `import utils`

    dZ, X, K, b, strides = _conv1d_gradient_arrays(dZ, X, K, b, strides)
    layer = _keras_conv(X, K, b.astype(X.dtype), strides, "linear", 1)
    X_var = tf.Variable(X)
    with tf.GradientTape() as tape:
        J = tf.reduce_sum(layer(X_var) * tf.constant(dZ))
    dK, db, dX = tape.gradient(J, [layer.kernel, layer.bias, X_var])
    return dK.numpy(), db.numpy(), dX.numpy()


def conv2d_forward(X, K, b, strides=1, activation="linear"):
    """Conv2D by hand: the kernel slides over rows and columns.

    ``X: (m, height, width, in_channels)``, ``K: (kh, kw, in_channels, filters)``,
    ``b: (filters,)``, ``strides``: an int or ``(row_stride, column_stride)``. Returns
    ``LayerCache(Z, A)``: ``Z`` and ``A = g(Z)`` of shape ``(m, out_height, out_width, filters)``.
    """
    X, K, b = _conv_arrays(X, K, b, 2)
    (sr, sc), (kh, kw) = _strides_2d(strides), K.shape[:2]
    activation = as_choice("activation", activation, ELEMENTWISE)
    n_rows, n_cols = _output_length(X.shape[1], kh, sr), _output_length(X.shape[2], kw, sc)
    Z = np.empty((X.shape[0], n_rows, n_cols, K.shape[3]), dtype=X.dtype)
    for r in range(n_rows):
        for c in range(n_cols):
            patch = X[:, r * sr : r * sr + kh, c * sc : c * sc + kw, :]  # (m, kh, kw, in)
            Z[:, r, c, :] = np.tensordot(patch, K, axes=([1, 2, 3], [0, 1, 2])) + b
    return LayerCache(Z, KERNELS[activation].g(Z))


def conv2d_forward_keras(X, K, b, strides=1, activation="linear"):
    """Keras twin of :func:`conv2d_forward`: ``keras.layers.Conv2D`` holding K and b -> ``A``."""
    import keras  # keeps TensorFlow out of `import utils`

    X, K, b = _conv_arrays(X, K, b, 2)
    strides = _strides_2d(strides)
    activation = as_choice("activation", activation, ELEMENTWISE)
    layer = _keras_conv(X, K, b, strides, activation, 2)
    return keras.ops.convert_to_numpy(layer(X))


@dataclass(frozen=True)
class ConvLayer:
    """One Conv1D layer: ``filters`` kernels of ``kernel_size`` samples, moved by ``strides``."""

    filters: int
    kernel_size: int
    strides: int = 1
    activation: str = "linear"

    def __post_init__(self):
        positive_int("filters", self.filters)
        positive_int("kernel_size", self.kernel_size)
        positive_int("strides", self.strides)
        as_choice("activation", self.activation, ELEMENTWISE)


class ConvNetwork(Model):
    """A 1-D convolutional network by hand: Conv1D layers, then Flatten and one Dense layer.

    Its Keras twin is ``Sequential([Input((length,)), Reshape((length, 1)), Conv1D(...), ...,
    Flatten(), Dense(...)])``. It trains with the loop of :class:`utils.training.Model`
    (mini-batches of ``batch_size``, as Keras's ``fit``).

    ``length``: samples per signal (one channel); ``conv_layers``: a list of :class:`ConvLayer`;
    ``output``: the final Dense :class:`utils.network.Layer` on the flattened last feature map;
    ``seed``: for the initial weights (glorot uniform kernels, zero biases, as Keras).
    Parameters are ``[K1, b1, K2, b2, ..., W, b]`` in the order of Keras's ``get_weights()``.
    """

    def __init__(self, length, conv_layers, output, seed=0):
        self.length = positive_int("length", length)
        self.conv_layers = as_instances("conv_layers", conv_layers, ConvLayer, "ConvLayer(...)")
        if not isinstance(output, Layer):
            raise TypeError(
                f"output must be a Layer(units, activation), got {type(output).__name__}"
            )
        self.output = output
        self.dtype = np.dtype(np.float64)
        self.input_shape, self.output_shape = (self.length,), (output.units,)
        self.output_activation = output.activation
        rng = np.random.default_rng(as_seed("seed", seed))
        self.params = []
        positions, channels = self.length, 1
        for i, conv in enumerate(self.conv_layers):
            if conv.kernel_size > positions:
                raise ValueError(
                    f"conv_layers[{i}].kernel_size must be <= {positions} (its input's length), "
                    f"got {conv.kernel_size}"
                )
            self.params += [
                glorot_uniform(channels, conv.filters, rng, kernel_size=conv.kernel_size),
                np.zeros(conv.filters),
            ]
            positions = _output_length(positions, conv.kernel_size, conv.strides)
            channels = conv.filters
        self.n_flat = positions * channels
        self.params += [glorot_uniform(self.n_flat, output.units, rng), np.zeros(output.units)]

    def _forward(self, X):
        """A :class:`~utils.dense.LayerCache` per Conv1D layer, then one for the Dense layer."""
        A = X[:, :, None]
        caches = []
        for conv, K, b in zip(
            self.conv_layers, self.params[:-2:2], self.params[1:-2:2], strict=True
        ):
            caches.append(_conv1d_forward(A, K, b, conv.strides, conv.activation))
            A = caches[-1].A
        caches.append(DENSE.forward(A.reshape(len(A), -1), *self.params[-2:],
                                     self.output.activation))
        return caches

    def _backward(self, X, caches, dZ):
        """Back propagation through the Dense and Conv1D layers: ``[dK1, db1, ..., dW, db]``."""
        A_last = caches[-2].A
        dW, db, dA = DENSE.backward(dZ, A_last.reshape(len(X), -1), self.params[-2])
        grads = [dW, db]
        dA = dA.reshape(A_last.shape)
        for k in range(len(self.conv_layers) - 1, -1, -1):
            conv = self.conv_layers[k]
            dZ = dA * KERNELS[conv.activation].derivative(caches[k].Z)
            A_in = X[:, :, None] if k == 0 else caches[k - 1].A
            dK, db, dA = _conv1d_backward(dZ, A_in, self.params[2 * k], conv.strides)
            grads[:0] = [dK, db]
        return grads

    def to_keras(self):
        """The identical Keras model (Input, Reshape, Conv1D per layer, Flatten, Dense)."""
        import keras  # keeps TensorFlow out of `import utils`

        model = keras.Sequential(
            [keras.Input((self.length,), dtype="float64"), keras.layers.Reshape((self.length, 1))]
            + [
                keras.layers.Conv1D(
                    c.filters,
                    c.kernel_size,
                    strides=c.strides,
                    activation=c.activation,
                    dtype="float64",
                )
                for c in self.conv_layers
            ]
            + [
                keras.layers.Flatten(),
                keras.layers.Dense(self.output.units, self.output.activation, dtype="float64"),
            ]
        )
        model.set_weights(self.params)
        return model
