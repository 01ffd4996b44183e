"""A network whose hidden layers are all linear is one linear map: collapse it to one W, b.

With g(z) = z in every hidden layer, the output layer's pre-activation is

    z = (((x W1 + b1) W2 + b2) ... ) WL + bL = x (W1 W2 ... WL) + b,
    b = (((b1 W2 + b2) W3 + b3) ... ) WL + bL,

so the whole network equals ``Dense(units, activation=<output activation>)`` holding ``W, b``:
with a linear output it is linear regression, with a sigmoid output logistic regression.
Taught in Lab 2 (why hidden layers need a non-linear activation).
"""

import numpy as np

from .network import Network


def _linear_hidden(activations, what):
    bad = [i + 1 for i, a in enumerate(activations[:-1]) if a != "linear"]
    if bad:
        raise ValueError(
            f"{what} must have linear hidden layers to collapse, layer(s) {bad} are not"
        )


def collapse_linear(net):
    """The single ``(W, b)`` equal to a :class:`~utils.network.Network` with linear hidden layers.

    ``net``: a Network whose layers, except possibly the output layer, are all "linear".
    Returns ``W: (n_inputs, units of the output layer)``, ``b: (units,)``; the network's output
    is ``g(X W + b)`` with ``g`` the output layer's activation.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a utils.network.Network, got {type(net).__name__}")
    _linear_hidden([layer.activation for layer in net.layers], "net")
    params = net.get_weights()
    W, b = params[0], params[1]
    for W_next, b_next in zip(params[2::2], params[3::2], strict=True):
        W, b = W @ W_next, b @ W_next + b_next
    return W, b


def collapse_linear_keras(model):
    """Keras twin of :func:`collapse_linear`: read ``(W, b)`` off a Keras model by probing it.

    ``model``: a ``keras.Sequential`` of ``Dense`` layers with linear hidden layers. Keras runs
    the layers on the zero input (which gives ``b``) and on the n unit vectors (row j gives
    ``W[j] + b``), the output layer without its activation. Returns ``W: (n, units)``,
    ``b: (units,)`` as numpy arrays.
    """
    import keras  # keeps TensorFlow out of `import utils`

    if not isinstance(model, keras.Sequential):
        raise TypeError(f"model must be a keras.Sequential, got {type(model).__name__}")
    layers = model.layers
    if not layers or not all(isinstance(layer, keras.layers.Dense) for layer in layers):
        raise ValueError("model must hold only Dense layers")
    names = [keras.activations.serialize(layer.activation) for layer in layers]
    _linear_hidden(names, "model")
    if not layers[0].built:
        raise ValueError("model must be built (start it with keras.Input)")
    n = layers[0].kernel.shape[0]
    probes = np.vstack([np.zeros(n), np.eye(n)])
    a = keras.ops.convert_to_tensor(probes, dtype=layers[0].kernel.dtype)
    for layer in layers[:-1]:
        a = layer(a)
    z = keras.ops.convert_to_numpy(keras.ops.matmul(a, layers[-1].kernel) + layers[-1].bias)
    return z[1:] - z[0], z[0]
