"""Checkers for the labs' exercises: they call the student's function on cases with known
answers (from the by-hand implementations in ``utils``) and print what went wrong, or that
every case passed. A checker never raises on a wrong answer; it explains it.
"""

from dataclasses import dataclass

import numpy as np

from . import logistic_regression


@dataclass(frozen=True)
class Case:
    """One check: call with ``args``; the answer should be ``expected``; ``hint`` names the case."""

    args: tuple
    expected: object
    hint: str


def _close(got, expected, tol):
    if isinstance(expected, tuple):
        return (
            isinstance(got, (tuple, list))
            and len(got) == len(expected)
            and all(_close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.all(np.abs(got - expected) <= tol))


def run_checks(fn, cases, tol=1e-8):
    """Run ``fn`` on every :class:`Case`; print the first failure or a success line.

    A case passes when the answer has the expected shape and is within ``tol`` of it.
    """
    name = getattr(fn, "__name__", "your function")
    for i, case in enumerate(cases, start=1):
        try:
            got = fn(*case.args)
        except Exception as err:  # noqa: BLE001 - any error in student code is reported
            print(
                f"✗ check {i}/{len(cases)} ({case.hint}): {name} raised {type(err).__name__}: {err}"
            )
            return
        if not _close(got, case.expected, tol):
            print(
                f"✗ check {i}/{len(cases)} ({case.hint}): expected {_show(case.expected)}, "
                f"got {_show(got)}"
            )
            return
    print(f"✓ {name}: all {len(cases)} checks passed")


def _show(x):
    if isinstance(x, tuple):
        return "(" + ", ".join(_show(v) for v in x) + ")"
    if x is None:
        return "None"
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return repr(x)
    return np.array2string(arr, precision=6) if arr.ndim else f"{float(arr):.6g}"


def _logistic_cases():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1, 1, 0, 1, 0])
    w, b = np.array([0.5, -1.0]), 0.25
    return [
        ((X, y, np.zeros(2), 0.0), "w = 0, b = 0: every f is 0.5"),
        ((X, y, w, b), "six examples, two features"),
        ((X[:1], y[:1], w, b), "a single example"),
        ((X * 3, y, w, -2.0), "larger inputs, negative bias"),
    ]


def check_logistic_cost(fn):
    """Checker for Lab 1's exercise: ``fn(X, y, w, b)`` -> J(w, b), the mean logistic loss."""
    cases = [Case(args, logistic_regression.cost(*args), hint) for args, hint in _logistic_cases()]
    run_checks(fn, cases)


def check_gradient_descent_step(fn):
    """Checker for Lab 1's exercise: ``fn(X, y, w, b, alpha)`` -> new ``(w, b)`` after one step."""
    cases = [
        Case(
            args + (alpha,),
            logistic_regression.gradient_descent_update(*args, alpha),
            f"{hint}, alpha = {alpha}",
        )
        for (args, hint), alpha in zip(_logistic_cases(), (0.1, 0.5, 1.0, 0.01), strict=True)
    ]
    run_checks(fn, cases)


def check_softmax(fn):
    """Checker for Lab 3's exercise: ``fn(z)`` -> softmax of a 1-D vector ``z: (N,)``.

    Expected answers come from :func:`utils.activations.softmax`. The cases include logits so
    large (or so negative) that e^z overflows to inf (or underflows to 0), where the naive
    ``np.exp(z) / np.sum(np.exp(z))`` returns nan.
    """
    from .activations import softmax

    inputs = [
        (np.array([1.0, 2.0, 3.0, 4.0]), "four outputs"),
        (np.array([0.0, 0.0, 0.0]), "equal logits: every output 1/3"),
        (np.array([2.5]), "a single output is always 1"),
        (np.array([-1.0, 0.5, 3.0, 0.5, -2.0]), "negative and repeated logits"),
        (np.array([500.0, 600.0, 700.0, 800.0]), "large logits: e^800 overflows to inf"),
        (np.array([-1000.0, -999.0, -1001.0]), "very negative logits: every e^z underflows to 0"),
    ]
    run_checks(fn, [Case((z,), softmax(z), hint) for z, hint in inputs])


def check_multilabel_cost(fn):
    """Checker for Lab 5's exercise: ``fn(Y, P)`` -> J, the multi-label binary cross-entropy.

    ``Y: (m, k)`` multi-hot targets, ``P: (m, k)`` sigmoid outputs. The expected answers come
    from :func:`utils.losses.binary_crossentropy`: Keras's mean over all m*k entries, with P
    clipped to [1e-7, 1 - 1e-7]. The cases include outputs of exactly 0 and 1, where the
    unclipped formula gives nan (0 log 0) or inf (log 0).
    """
    from .losses import binary_crossentropy

    rng = np.random.default_rng(5)
    Y = (rng.uniform(size=(6, 3)) < 0.5).astype(float)
    P = rng.uniform(0.05, 0.95, size=(6, 3))
    inputs = [
        ([[1.0, 0, 1]], [[0.9, 0.2, 0.6]], "one image, y = [1, 0, 1]: the mean is over all m*k"),
        (Y, P, "six images, three labels"),
        (Y, np.full((6, 3), 0.5), "every output 0.5: J = log 2"),
        (Y[:, :1], P[:, :1], "a single label (k = 1) is plain binary cross-entropy"),
        (Y, Y.copy(), "outputs exactly 0 and 1, all right: clip, or 0 log 0 gives nan"),
        (Y, 1 - Y, "outputs exactly 0 and 1, all wrong: clip, or log 0 gives inf"),
    ]
    cases = [
        Case((np.asarray(y), np.asarray(p)), binary_crossentropy(y, p), hint)
        for y, p, hint in inputs
    ]
    run_checks(fn, cases)


def _central_cases():
    from .activations import sigmoid

    return [
        ((lambda w: w**2, 3.0, 1e-3), "J(w) = w^2 at w = 3, eps = 0.001: the lecture's example"),
        ((lambda w: (2 + 3 * w) ** 2, 3.0, 0.1), "J = (2 + 3w)^2, large eps = 0.1: exactly 66"),
        ((lambda w: w**3, -1.0, 0.5), "J = w^3 at w = -1, eps = 0.5: central, not forward"),
        ((lambda z: float(sigmoid(z)), 0.0, 1e-4), "sigmoid at z = 0"),
        ((lambda w: 7.0, 2.0, 1e-3), "a constant function: derivative 0"),
    ]


def check_central_difference(fn):
    """Checker for Lab 8's exercise: ``fn(f, x, eps)`` -> (f(x + eps) - f(x - eps)) / (2 eps)."""
    from .gradient_check import central_difference

    cases = [Case(a, central_difference(*a), hint) for a, hint in _central_cases()]
    run_checks(fn, cases)


def _sigmoid_unit_cases():
    return [
        ((2.0, -2.0, 8.0, 1.0), "the lecture's numbers x = 2, w = -2, b = 8, y = 1"),
        ((1.5, 0.5, -0.25, 0.0), "target y = 0"),
        ((0.0, 3.0, 0.0, 0.5), "x = 0 and a = y = 0.5: both derivatives are 0"),
        ((-2.0, 1.0, 0.5, 1.0), "a negative input"),
        ((1.0, 20.0, 10.0, 0.0), "z = 30: a saturated sigmoid, g'(z) is nearly 0"),
    ]


def check_sigmoid_unit_gradients(fn):
    """Checker for Lab 8's exercise: ``fn(x, w, b, y)`` -> ``(dJ/dw, dJ/db)`` for one sigmoid unit
    with J = 1/2 (g(w x + b) - y)^2 (back propagation on ``SIGMOID_UNIT_GRAPH``).
    """
    from .computation_graph import SIGMOID_UNIT_GRAPH, backward, forward

    cases = []
    for (x, w, b, y), hint in _sigmoid_unit_cases():
        grads = backward(SIGMOID_UNIT_GRAPH, forward(SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y)))
        cases.append(Case((x, w, b, y), (grads["w"], grads["b"]), hint))
    run_checks(fn, cases, tol=1e-10)


def _bce_from_logits_cases():
    rng = np.random.default_rng(4)
    z = rng.normal(size=6) * 3
    y = np.array([0.0, 1, 1, 0, 1, 0])
    return [
        ((y, z), "six examples, moderate logits"),
        ((np.array([1.0, 0.0]), np.zeros(2)), "z = 0: each loss is log 2"),
        ((np.zeros(3), np.array([40.0, 1e3, 1e4])), "huge positive z with y = 0 (naive: inf)"),
        ((np.ones(3), np.array([-40.0, -1e3, -1e4])), "huge negative z with y = 1 (naive: inf)"),
        ((np.array([1.0, 0.0]), np.array([1e4, -1e4])), "huge z of the right sign (naive: nan)"),
        ((y[:, None], z[:, None]), "a column of shape (m, 1)"),
    ]


def check_bce_from_logits(fn):
    """Checker for Lab 4's exercise: ``fn(y, z)`` -> the mean binary cross-entropy of the
    logits ``z`` (p = sigmoid(z)), finite and exact for |z| up to 1e4."""
    from .losses import binary_crossentropy_from_logits

    cases = [
        Case(args, binary_crossentropy_from_logits(*args), hint)
        for args, hint in _bce_from_logits_cases()
    ]
    run_checks(fn, cases)


def check_adam_step(fn):
    """Checker for Lab 6's exercise: ``fn(w, g, m, v, t, alpha, beta_1, beta_2, epsilon)`` ->
    new ``(w, m, v)`` after one step of Adam as the paper writes it (epsilon on sqrt(v_hat)).

    Expected answers come from :func:`utils.optimizers.paper_adam_step`. The cases include a
    zero gradient (epsilon avoids 0/0), a gradient so small that where epsilon goes decides the
    step, and betas other than the defaults.
    """
    from .optimizers import paper_adam_step

    rng = np.random.default_rng(6)
    g3 = np.array([0.5, -2.0, 0.25])
    m3, v3 = np.array([0.1, -0.3, 0.0]), np.array([0.02, 0.5, 0.01])
    W, G = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    M, V = 0.1 * rng.normal(size=(2, 3)), rng.uniform(0.1, 1.0, size=(2, 3))
    zeros = np.zeros(3)
    default = (0.9, 0.999, 1e-8)  # beta_1, beta_2, epsilon
    inputs = [
        ((np.ones(3), g3, zeros, zeros, 1, 0.001) + default, "first step t = 1: steps ~alpha"),
        ((np.ones(3), g3, m3, v3, 10, 0.01) + default, "step t = 10 with running averages m, v"),
        ((np.ones(3), zeros, zeros, zeros, 1, 0.001) + default, "g = 0, m = v = 0: nothing moves"),
        (
            (np.ones(3), np.full(3, 1e-9), zeros, zeros, 1, 0.001) + default,
            "g = 1e-9: epsilon is added to sqrt(v_hat), after the bias correction",
        ),
        ((W, G, M, V, 1000, 0.1, 0.5, 0.9, 1e-8), "a (2, 3) matrix, t = 1000, betas 0.5 and 0.9"),
    ]
    cases = [Case(args, paper_adam_step(*args), hint) for args, hint in inputs]
    run_checks(fn, cases)


def _relu_inputs():
    return [
        (np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), "negative, zero and positive z"),
        (np.array([[1.0, -2.0], [-3.0, 4.0]]), "a 2-D array: keep its shape"),
        (np.array(-2.5), "a single number (0-D array)"),
        (np.array([0.0, -0.0]), "z = 0 exactly (Keras takes g'(0) = 0)"),
        (np.array([-1e300, 1e300]), "huge |z|: no overflow, no nan"),
    ]


def check_relu(fn):
    """Checker for Lab 2's exercise: ``fn(z)`` -> max(0, z) elementwise, the shape of ``z``.

    Expected answers come from :func:`utils.activations.relu`.
    """
    from .activations import relu

    run_checks(fn, [Case((z.copy(),), relu(z), hint) for z, hint in _relu_inputs()])


def check_relu_derivative(fn):
    """Checker for Lab 2's exercise: ``fn(z)`` -> g'(z) of ReLU, 1 where z > 0 else 0.

    Expected answers come from :func:`utils.activations.relu_derivative`, which follows Keras
    (and TensorFlow's gradient): g'(0) = 0, the case a ``z >= 0`` answer gets wrong.
    """
    from .activations import relu_derivative

    cases = [
        Case((z.copy(),), relu_derivative(z), hint) for z, hint in _relu_inputs()
    ]
    run_checks(fn, cases)


# Lab 2: problems described in words, the output activation their target needs, and why.
_OUTPUT_PROBLEMS = {
    "will a customer buy the product (yes/no)": ("sigmoid", "the target is 0 or 1"),
    "tomorrow's change in a share price, in $": ("linear", "the target may be negative"),
    "the price of a house, in $1000": ("relu", "the target is never negative"),
    "is this tumour malignant": ("sigmoid", "the target is 0 or 1"),
    "the temperature at noon tomorrow, in °C": ("linear", "below 0 °C is possible"),
    "the number of hours a machine runs before it fails": (
        "relu",
        "the target is never negative",
    ),
}
OUTPUT_PROBLEMS = tuple(_OUTPUT_PROBLEMS)


def check_output_activations(answers):
    """Checker for Lab 2's exercise: ``answers`` maps each of :data:`OUTPUT_PROBLEMS` to the
    output layer's activation, one of "sigmoid", "linear", "relu".

    Prints the first missing or wrong answer with the reason, or a success line.
    """
    if not isinstance(answers, dict):
        print(f"✗ answers must be a dict {{problem: activation}}, got {type(answers).__name__}")
        return
    total = len(_OUTPUT_PROBLEMS)
    for i, (problem, (right, why)) in enumerate(_OUTPUT_PROBLEMS.items(), start=1):
        got = answers.get(problem)
        if got not in ("sigmoid", "linear", "relu"):
            print(
                f"✗ check {i}/{total} ({problem!r}): answer 'sigmoid', 'linear' or 'relu', "
                f"got {got!r}"
            )
            return
        if got != right:
            print(
                f"✗ check {i}/{total} ({problem!r}): {why}; which output activation has "
                f"exactly that range? (not {got!r})"
            )
            return
    print(f"✓ output activations: all {total} checks passed")


def check_conv1d(fn):
    """Checker for Lab 7's exercise: ``fn(X, K, b, strides)`` -> Z, a Conv1D forward pass.

    ``X: (m, length, in_channels)``, ``K: (kernel_size, in_channels, filters)``,
    ``b: (filters,)``; ``Z: (m, (length - kernel_size) // strides + 1, filters)``, no
    activation, padding "valid". Expected answers come from
    :func:`utils.convolution.conv1d_forward`. The cases include a stride larger than the kernel
    (samples skipped), a length the windows do not fill exactly (the rest is dropped), a kernel
    as long as the signal (one output), and several input channels and filters.
    """
    from .convolution import conv1d_forward

    rng = np.random.default_rng(7)
    inputs = [
        (
            (np.arange(6.0).reshape(1, 6, 1), np.ones((3, 1, 1)), np.zeros(1), 1),
            "x = 0..5, kernel [1, 1, 1], stride 1: moving sums [3, 6, 9, 12]",
        ),
        (
            (rng.normal(size=(2, 10, 1)), rng.normal(size=(4, 1, 1)), np.array([0.5]), 2),
            "two signals, kernel 4, stride 2, a bias",
        ),
        (
            (rng.normal(size=(1, 11, 1)), rng.normal(size=(2, 1, 1)), np.zeros(1), 4),
            "stride 4 > kernel 2: samples between windows are skipped",
        ),
        (
            (rng.normal(size=(3, 12, 1)), rng.normal(size=(5, 1, 2)), np.array([0.1, -0.2]), 3),
            "length 12, kernel 5, stride 3: the last 1 sample is dropped; two filters",
        ),
        (
            (rng.normal(size=(2, 7, 1)), rng.normal(size=(7, 1, 3)), np.zeros(3), 1),
            "kernel as long as the signal: one output per filter",
        ),
        (
            (rng.normal(size=(2, 9, 3)), rng.normal(size=(5, 3, 2)), np.array([1.0, 0.0]), 2),
            "three input channels: sum over window positions and channels",
        ),
    ]
    run_checks(fn, [Case(args, conv1d_forward(*args).Z, hint) for args, hint in inputs])
