"""The one training loop of the by-hand models, Keras-style weights, and training histories.

:class:`Model` is the base class of every by-hand model (``Network``, ``ConvNetwork``,
``LogisticRegression``). It owns what they share, as Keras does: the input check (once per
call), ``predict``, ``cost``, ``cost_and_gradients``, ``cost_function`` (for gradient checks),
``fit`` (mini-batches, shuffling, the history) and weight access. A model implements only its
kernels, which trust their inputs: the forward pass (a :class:`utils.dense.LayerCache` per
layer) and back propagation.
:func:`cost_and_gradients_keras` is the Keras twin of :meth:`Model.cost_and_gradients`.
Taught in Lab 1 (the three training steps, mini-batches) and used by every later lab.
"""

import numpy as np

from .losses import LOSSES, loss_keras, validate_output_layer
from .optimizers import Optimizer
from .validation import as_array_list, as_bool, as_float_array, as_number, as_seed, positive_int


class Model:
    """Base class of the by-hand models: one training loop, Keras-style weights.

    A subclass sets, in ``__init__``: ``params`` (the list of arrays in the order of Keras's
    ``get_weights()``), ``dtype``, ``input_shape`` (features per example, e.g. ``(n,)``),
    ``output_shape`` (outputs per example, e.g. ``(units,)``) and ``output_activation``; and
    implements the kernels ``_forward(X) -> [LayerCache, ...]`` and
    ``_backward(X, caches, dZ) -> grads`` (``dZ = dJ/dZ`` of the output layer; grads in the
    order of ``params``), and ``to_keras()``.
    """

    params: list
    dtype: np.dtype
    input_shape: tuple
    output_shape: tuple
    output_activation: str

    def _validate_X(self, X):
        """``X: (m, *input_shape)`` as a finite array of the model's float type."""
        X = as_float_array("X", X, ndim=1 + len(self.input_shape))
        if X.shape[1:] != self.input_shape:
            raise ValueError(
                f"X must have shape (m, {', '.join(map(str, self.input_shape))}) "
                f"(one row per example), got {X.shape}"
            )
        return X.astype(self.dtype, copy=False)

    def _validate_data(self, X, y, loss, from_logits):
        """``(X, y, spec)``: X, y and the loss settings checked once against the model's
        output; ``spec``, the loss's kernels (:data:`utils.losses.LOSSES`), is all the kernels
        need (inside a model the cost comes from the output layer's z, whatever
        ``from_logits`` says, once the pairing is right)."""
        spec = validate_output_layer(loss, self.output_activation, from_logits)
        X = self._validate_X(X)
        return X, spec.targets(y, (len(X), *self.output_shape), self.dtype), spec

    def forward(self, X):
        """The forward pass: a :class:`~utils.dense.LayerCache` ``(Z, A)`` per layer, the
        output layer last."""
        return self._forward(self._validate_X(X))

    def predict(self, X):
        """The model's output f(X): ``(m, *output_shape)``."""
        return self._forward(self._validate_X(X))[-1].A

    def cost(self, X, y, loss, from_logits=False):
        """The cost J on ``(X, y)``, computed as Keras computes it inside a model.

        ``loss``: "binary_crossentropy", "sparse_categorical_crossentropy" or
        "mean_squared_error"; ``from_logits`` as in Keras's loss classes.
        """
        return self._cost(*self._validate_data(X, y, loss, from_logits))

    def _cost(self, X, y, spec):
        """J on validated data: the forward pass and the output layer's cost, no gradients."""
        Z = self._forward(X)[-1].Z
        return float(np.mean(spec.output_loss(y, Z, self.output_activation)))

    def cost_and_gradients(self, X, y, loss, from_logits=False):
        """Cost J on ``(X, y)`` and dJ/d(every parameter) by back propagation.

        Returns ``(J, grads)`` with ``grads`` in the order of ``params`` (``[dW1, db1, ...]``).
        """
        return self._cost_and_gradients(*self._validate_data(X, y, loss, from_logits))

    def _cost_and_gradients(self, X, y, spec):
        caches = self._forward(X)
        Z = caches[-1].Z
        J = float(np.mean(spec.output_loss(y, Z, self.output_activation)))
        dZ = spec.grad_z(y, Z, self.output_activation)
        return J, self._backward(X, caches, dZ)

    def cost_function(self, X, y, loss, from_logits=False):
        """J on ``(X, y)`` as a function of the parameters, the data checked once here (what a
        gradient check nudges, :func:`utils.gradient_check.gradient_check`).

        Returns ``f(params, gradients=False)``: for ``params``, a list of arrays shaped as
        ``get_weights()``, the cost J (and with ``gradients=True`` also the list of dJ/d(every
        parameter) by back propagation). The model's own weights are left as they were.
        """
        X, y, spec = self._validate_data(X, y, loss, from_logits)

        def f(params, gradients=False):
            params = self._checked_weights("params", params)
            kept, self.params = self.params, params
            try:
                return self._cost_and_gradients(X, y, spec) if gradients else self._cost(X, y, spec)
            finally:
                self.params = kept

        return f

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
        ``optimizer``: one of :mod:`utils.optimizers` (its state carries over between calls).
        Returns the history dict ``{"loss": [J of epoch 1, ...]}``.
        """
        X, y, spec = self._validate_data(X, y, loss, from_logits)
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                "optimizer must be a utils.optimizers optimizer (GradientDescent, Adam, "
                f"PaperAdam), got {type(optimizer).__name__}"
            )
        epochs = positive_int("epochs", epochs)
        m = len(X)
        batch_size = m if batch_size is None else positive_int("batch_size", batch_size)
        shuffle = as_bool("shuffle", shuffle)
        rng = np.random.default_rng(as_seed("seed", seed))
        history = {"loss": []}
        for _ in range(epochs):
            order = rng.permutation(m) if shuffle else np.arange(m)
            total = 0.0
            for start in range(0, m, batch_size):
                idx = order[start : start + batch_size]
                J, grads = self._cost_and_gradients(X[idx], y[idx], spec)
                optimizer.apply(self.params, grads)
                total += J * len(idx)
            history["loss"].append(total / m)
        return history

    def get_weights(self):
        """Copies of the parameter arrays, in the order of Keras's ``get_weights()``."""
        return [p.copy() for p in self.params]

    def set_weights(self, weights):
        """Set every array (e.g. from ``keras_model.get_weights()``); shapes must match."""
        self.params = self._checked_weights("weights", weights)

    def _checked_weights(self, name, weights):
        """``weights``: one array per parameter, of its shape, cast to the model's type."""
        if not isinstance(weights, (list, tuple)):
            raise TypeError(f"{name} must be a list of arrays, got {type(weights).__name__}")
        if len(weights) != len(self.params):
            raise ValueError(f"{name} must hold {len(self.params)} arrays, got {len(weights)}")
        new = as_array_list(name, weights)
        for i, (old, w) in enumerate(zip(self.params, new, strict=True)):
            if w.shape != old.shape:
                raise ValueError(f"{name}[{i}] must have shape {old.shape}, got {w.shape}")
        return [w.astype(self.dtype) for w in new]

    def count_params(self):
        """Number of trainable numbers (for Dense layers: sum of (n_in + 1) * units)."""
        return sum(p.size for p in self.params)


def cost_and_gradients_keras(model, X, y, loss, from_logits=False):
    """Keras twin of :meth:`Model.cost_and_gradients`: ``tf.GradientTape`` on a Keras model.

    Returns ``(J, [dW1, db1, ...])`` as numpy arrays, in ``model.trainable_variables`` order.
    """
    import tensorflow as tf  # keeps TensorFlow out of `import utils`

    loss_fn = loss_keras(loss, from_logits)  # checks loss and from_logits
    X = model_inputs(model, X)
    with tf.GradientTape() as tape:
        out = model(X, training=True)
        y = LOSSES[loss].targets(y, tuple(out.shape))
        J = loss_fn(tf.convert_to_tensor(y), out)
    grads = tape.gradient(J, model.trainable_variables)
    return float(J), [g.numpy() for g in grads]


def model_inputs(model, X):
    """``X`` checked against a Keras ``model``'s input shape (if it has one) and cast to its
    float type: ``(m, ...)``, what ``model(X)`` takes."""
    import keras  # keeps TensorFlow out of `import utils`

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    try:
        spec = model.inputs[0]
    except (AttributeError, IndexError, TypeError, ValueError):
        return as_float_array("X", X, min_ndim=1)
    X = as_float_array("X", X, ndim=len(spec.shape))
    if any(s is not None and s != n for s, n in zip(spec.shape[1:], X.shape[1:], strict=True)):
        expected = ", ".join(str(s) for s in spec.shape[1:])
        raise ValueError(f"X must have shape (m, {expected}) to fit the model, got {X.shape}")
    return X.astype(spec.dtype, copy=False)


def full_batch_dataset(X, y):
    """A ``tf.data.Dataset`` that yields the whole ``(X, y)`` as one batch, forever.

    ``model.fit(full_batch_dataset(X, y), epochs=E, steps_per_epoch=1)`` is the same
    full-batch gradient descent as ``model.fit(X, y, epochs=E, batch_size=len(X))`` (one step
    per epoch), but Keras builds its input pipeline once instead of every epoch, which makes
    an epoch about 20 times faster on this small data (``lab.setup()`` silences Keras's
    warning that its default ``shuffle=True`` does not apply to a dataset).
    ``X: (m, n, ...)`` (one row of features per example, as a model takes it), ``y: (m, ...)``.
    """
    import tensorflow as tf  # keeps TensorFlow out of `import utils`

    X = as_float_array("X", X)
    if X.ndim < 2:
        raise ValueError(
            f"X must have shape (m, n, ...), one row of features per example, got {X.shape}"
        )
    y = as_float_array("y", y, min_ndim=1)
    if len(y) != len(X):
        raise ValueError(f"y must have one target per row of X ({len(X)}), got {len(y)}")
    return tf.data.Dataset.from_tensors((X, y)).repeat()


def epochs_to_reach(costs, target):
    """The first epoch (counted from 1) whose cost is <= ``target``, or None if none is.

    ``costs: (epochs,)``, e.g. ``history["loss"]`` (NaN or inf where training diverged).
    """
    costs = as_float_array("costs", costs, ndim=1, finite=False)
    target = as_number("target", target)
    hits = np.flatnonzero(costs <= target)
    return int(hits[0]) + 1 if hits.size else None
