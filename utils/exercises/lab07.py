"""Lab 7 (convolutional layers): the exercises' checkers, in lab order.

Expected answers come from :func:`utils.convolution.conv1d_forward`; the Keras exercise's
model is described by a :class:`~utils.exercises.keras_model.ModelSpec`.
"""

import numpy as np

from ..convolution import conv1d_forward
from ..data import ekg_signals
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, LayerSpec, ModelSpec, Training


def _conv1d_inputs(rng):
    return [
        # 4 positions: padding "same" gives 6, an answer without the last window 3
        (
            (np.arange(6.0).reshape(1, 6, 1), np.ones((3, 1, 1)), np.zeros(1), 1),
            "x = 0..5, kernel [1, 1, 1]: moving sums",
        ),
        # the stride ignored, windows one sample apart, a flipped kernel, no bias, a ReLU
        (
            (rng.normal(size=(2, 10, 1)), rng.normal(size=(4, 1, 1)), np.array([0.5]), 2),
            "two signals, kernel 4, stride 2, a bias",
        ),
        # stride 4 > kernel 2: windows taken back to back (kernel_size apart) fail
        (
            (rng.normal(size=(1, 11, 1)), rng.normal(size=(2, 1, 1)), np.zeros(1), 4),
            "stride 4 > kernel 2: samples between windows are skipped",
        ),
        # (12 - 5) // 3 = 2 windows without the + 1; one filter's bias added to both
        (
            (rng.normal(size=(3, 12, 1)), rng.normal(size=(5, 1, 2)), np.array([0.1, -0.2]), 3),
            "length 12, kernel 5, stride 3: the last 1 sample is dropped; two filters",
        ),
        # range(0, length - kernel_size, strides) is empty here: no window at all
        (
            (rng.normal(size=(2, 7, 1)), rng.normal(size=(7, 1, 3)), np.zeros(3), 1),
            "kernel as long as the signal: one output per filter",
        ),
        # the first input channel alone
        (
            (rng.normal(size=(2, 9, 3)), rng.normal(size=(5, 3, 2)), np.array([1.0, 0.0]), 2),
            "three input channels: sum over window positions and channels",
        ),
    ]


def _conv1d(X, K, b, strides):
    return conv1d_forward(X, K, b, strides).Z


def _windows(X, K, b, starts):
    """Z of a Conv1D whose windows start at ``starts``: ``Z: (m, len(starts), filters)``."""
    size = K.shape[0]
    Z = np.zeros((X.shape[0], len(starts), K.shape[2]))
    for j, start in enumerate(starts):
        Z[:, j, :] = np.einsum("mki,kif->mf", X[:, start : start + size, :], K) + b
    return Z


def _positions(X, K, strides):
    return (X.shape[1] - K.shape[0]) // strides + 1


def _same_padding(X, K, b, strides):
    """Keras's padding "same": zeros around X so that ceil(length / strides) windows fit."""
    length, size = X.shape[1], K.shape[0]
    total = max((-(-length // strides) - 1) * strides + size - length, 0)
    padded = np.pad(X, ((0, 0), (total // 2, total - total // 2), (0, 0)))
    return _conv1d(padded, K, b, strides)


# The typical wrong convolutions: (what is wrong and what to do, what that answer returns).
_CONV_MISTAKES = (
    (
        "the kernel is flipped: Conv1D slides K as it is (a cross-correlation), "
        "z_j = sum_k x[j*s + k] K[k] + b",
        lambda X, K, b, s: _conv1d(X, K[::-1], b, s),
    ),
    (
        "the stride is ignored: windows start every `strides` samples",
        lambda X, K, b, s: _conv1d(X, K, b, 1),
    ),
    (
        "window j starts at sample j * strides, not at j",
        lambda X, K, b, s: _windows(X, K, b, range(_positions(X, K, s))),
    ),
    (
        "the last window is missing: there are (length - kernel_size) // strides + 1 of them",
        lambda X, K, b, s: _windows(X, K, b, range(0, (_positions(X, K, s) - 1) * s, s)),
    ),
    (
        "the bias is missing: add b[f] to every output of filter f",
        lambda X, K, b, s: _conv1d(X, K, np.zeros_like(b), s),
    ),
    (
        "only the first input channel is used: sum over the window's positions and its channels",
        lambda X, K, b, s: _conv1d(X[:, :, :1], K[:, :1, :], b, s),
    ),
    (
        'that is padding "same" (zeros added, ceil(length / strides) positions): padding '
        '"valid" keeps only the windows that lie inside the signal',
        _same_padding,
    ),
    (
        "a ReLU is applied: Z is the output before the activation, A = g(Z) comes after",
        lambda X, K, b, s: np.maximum(_conv1d(X, K, b, s), 0),
    ),
)

#: ``conv1d(X, K, b, strides)`` -> Z, a Conv1D forward pass without activation, padding
#: "valid": ``X: (m, length, in_channels)``, ``K: (kernel_size, in_channels, filters)``,
#: ``b: (filters,)``, ``Z: (m, (length - kernel_size) // strides + 1, filters)``: the number of
#: positions is the student's to derive (the lab prints it only after the exercise). The cases
#: include a stride larger than the kernel, a length the windows do not fill exactly, a kernel
#: as long as the signal, and several input channels and filters.
check_conv1d = FunctionChecker("conv1d", _conv1d_inputs, _conv1d, seed=7, mistakes=_CONV_MISTAKES)


TRACES = 80  # Lab 7's Keras exercise trains on the first 80 training traces (``X_small``)


def _traces():
    """Lab 7's training set: the first :data:`TRACES` EKG traces (the lab's ``X, y_small``)."""
    ekg = ekg_signals()
    return ekg.X_train[:TRACES, :, None], ekg.y_train[:TRACES]


#: ``conv_model``: the lecture's convolutional network for the EKG task, on traces of shape
#: (100, 1): the lecture's Conv1D(4, 20, strides=10, relu), Conv1D(4, 5, strides=2, relu) and
#: Flatten, then the output the student decides for a yes/no label: Dense(1) with a sigmoid and
#: BinaryCrossentropy(), or linear with BinaryCrossentropy(from_logits=True); Adam(0.01), fit
#: 5 epochs on the 80 traces in one batch each.
check_conv_model = KerasModelChecker(
    "conv_model",
    ModelSpec(
        input_shape=(100, 1),
        layers=(
            LayerSpec("Conv1D", filters=4, kernel_size=20, strides=10, activation="relu"),
            LayerSpec("Conv1D", filters=4, kernel_size=5, strides=2, activation="relu"),
            LayerSpec("Flatten"),
            LayerSpec("Dense", units=1, activation="sigmoid"),
        ),
        task="binary",
        loss="BinaryCrossentropy",
        from_logits=None,
        optimizer="Adam",
        learning_rate=0.01,
        epochs=5,
        batch_size=TRACES,
        examples=TRACES,
    ),
    # cost on the 80 traces over 20 seeds: untrained 0.679-0.702 (median 0.693), fitted as
    # asked 0.626-0.682 in either form (a sigmoid output, or logits): 5 full-batch steps
    # move little, so 7 of 20 untrained pass (the biases' check refuses them)
    Training(_traces, below=0.69),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab7-conv1d": {"conv1d": check_conv1d},
    "lab7-conv-model": {"conv_model": check_conv_model},
}
