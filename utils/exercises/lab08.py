"""Lab 8 (back propagation): the exercises' checkers, in lab order.

Expected answers come from the Dense layer's backward kernel, ``utils.dense.DENSE.backward``
(what ``Network._backward`` runs for every layer; the lab shows its source), and from back
propagation on :data:`utils.computation_graph.SIGMOID_UNIT_GRAPH`.
"""

import numpy as np

from ..computation_graph import SIGMOID_UNIT_GRAPH, backward, forward
from ..dense import DENSE
from .grading import FunctionChecker


def _dense_inputs(rng):
    """``(dZ, A_in, W)`` cases: ``dZ: (m, units)``, ``A_in: (m, n_in)``, ``W: (n_in, units)``.
    Every case has m > 1 examples, so a mean over them is not their sum."""
    first = (
        np.array([[0.5, -1.0], [1.5, 0.5], [-1.0, 2.0]]),
        np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0]]),
        np.array([[1.0, -1.0], [2.0, 0.5]]),
    )
    return [
        # a square W (n_in = units) that is not symmetric: dZ @ W (the transpose forgotten)
        # and dZ @ A_in.T (examples in columns) return numbers here, so their mistakes are
        # named, where other shapes raise; db averaged (the 1/m twice) is a third of the sum
        (first, "3 examples, 2 inputs, 2 units"),
        # one unit, like an output layer: a db squeezed to a number (np.squeeze, .item())
        # fails here only, b has shape (1,); dZ @ W raises (W is 3 x 1)
        (
            (rng.normal(size=(4, 1)), rng.normal(size=(4, 3)), rng.normal(size=(3, 1))),
            "4 examples, 3 inputs, 1 output unit",
        ),
        # m, n_in and units all different, drawn values (no table of the notebook's inputs
        # passes): dW transposed (dZ.T @ A_in) has the wrong shape, as dA_in transposed
        (
            (rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=(4, 3))),
            "5 examples, 4 inputs, 3 units",
        ),
    ]


def _dense_returns(change):
    """What a wrong Dense backward pass returns: the right ``(dW, db, dA_in)`` and the
    arguments, passed through ``change(dW, db, dA_in, dZ, A_in, W)``."""
    return lambda dZ, A_in, W: change(*DENSE.backward(dZ, A_in, W), dZ, A_in, W)


_SHAPES = "dW is (n_in, units) like W, db (units,) like b, dA_in (m, n_in) like A_in"
_ONE_OVER_M = "the 1/m of the mean is already in dZ = dJ/dZ (J is a mean over the examples)"

# The typical wrong backward passes: (what is wrong and what to do, what that answer returns).
_DENSE_MISTAKES = (
    (
        "dA_in needs W transposed: dA_in = dZ @ W.T, (m, units) times (units, n_in)",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, db, dZ @ W)),
    ),
    (
        f"dW is transposed: A_in.T @ dZ, not dZ.T @ A_in ({_SHAPES})",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW.T, db, dA)),
    ),
    (
        "dZ @ A_in.T is the formula for examples in columns; here each example is a row "
        f"(A_in: (m, n_in)): dW = A_in.T @ dZ ({_SHAPES})",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dZ @ A.T, db, dA)),
    ),
    (
        "dW sums the products of each example's a_i and dz_i, not the product of the sums: "
        "dW = A_in.T @ dZ",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (np.outer(A.sum(0), dZ.sum(0)), db, dA)),
    ),
    (
        "dA_in is transposed: dZ @ W.T, not W @ dZ.T (dA_in has A_in's shape, (m, n_in))",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, db, dA.T)),
    ),
    (
        "db sums over the examples (axis 0), one number per unit, not over the units (axis 1)",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, dZ.sum(axis=1), dA)),
    ),
    (
        "db is one number per unit, like b: sum dZ over the examples, dZ.sum(axis=0)",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, dZ, dA)),
    ),
    (
        "db is one number per unit, like b: sum over the examples only, dZ.sum(axis=0)",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, dZ.sum(), dA)),
    ),
    (
        "db must have b's shape (units,): sum over axis 0 without keepdims=True",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, db[np.newaxis], dA)),
    ),
    (
        "db must have b's shape (units,), also for one unit: do not squeeze it to a number",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, np.squeeze(db), dA)),
    ),
    (
        f"{_ONE_OVER_M}: db is the sum of dZ over the examples, not their mean",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW, db / len(dZ), dA)),
    ),
    (
        f"{_ONE_OVER_M}: do not divide dW and db by m again",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dW / len(dZ), db / len(dZ), dA)),
    ),
    (
        "return (dW, db, dA_in), in that order",
        _dense_returns(lambda dW, db, dA, dZ, A, W: (dA, dW, db)),
    ),
)

#: ``my_dense_backward(dZ, A_in, W)`` -> ``(dW, db, dA_in)``: the Dense layer's backward pass,
#: compared with ``DENSE.backward``. Within 1e-6 (absolute below 1, relative above), as Lab 8's
#: other gradients: a right answer in float32 passes, every catalogued mistake is off by more.
check_my_dense_backward = FunctionChecker(
    "my_dense_backward",
    _dense_inputs,
    DENSE.backward,
    tol=1e-6,
    seed=8,
    mistakes=_DENSE_MISTAKES,
)


def _sigmoid_unit_inputs(rng):
    x, w, b, y = -rng.uniform(0.5, 3.0), rng.normal(), rng.normal(), rng.uniform()
    return [
        # every catalogued mistake but the overflowing sigmoid fails here: the sign flipped
        # (y - a), g'(z) forgotten or written z (1 - z), the 1/2 of J forgotten, ...
        ((-2.0, 2.0, 8.0, 2.0), "lecture's x, w, b, y"),
        # x and w both positive, and not 1: dJ/dw = dJ/dz * w (w taken for x) fails here
        ((1.5, 0.5, -0.25, 0.0), "target y = 0"),
        # d = a - y = 0, so both derivatives are 0 whatever multiplies d: an answer that
        # forgets the factor dJ/da = a - y (dJ/dz = a (1 - a) = 0.25) fails here
        ((0.0, 3.0, 0.0, 0.5), "x = 0 and a = y = 0.5: both derivatives are 0"),
        # drawn values (no table of the notebook's answers passes); the swapped pair
        # (dJ/db, dJ/dw) fails here
        ((x, w, b, y), "a negative input"),
        # a sigmoid written e^z / (1 + e^z) passes every case above and gives nan here
        # (e^800 overflows: inf / inf); 1 / (1 + e^-z) gives a = 1 and both derivatives 0
        ((2.0, 300.0, 200.0, 0.0), "z = 800: a saturated sigmoid, e^z overflows"),
    ]


def _graph_gradients(x, w, b, y):
    grads = backward(SIGMOID_UNIT_GRAPH, forward(SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y)))
    return grads["w"], grads["b"]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _sigmoid_unit(dz_of, g=_sigmoid):
    """The gradients ``(dz * x, dz)`` of a sigmoid unit, ``a = g(z)``, ``dz = dz_of(a, y, z)``."""

    def wrong(x, w, b, y):
        z = w * x + b
        a = g(z)
        dz = dz_of(a, y, z)
        return dz * x, dz

    return wrong


def _gradients_then(change):
    """The right gradients ``(dJ/dw, dJ/db)``, passed through ``change``."""
    return lambda x, w, b, y: change(*_graph_gradients(x, w, b, y), x)


# The typical wrong gradients: (what is wrong and what to do, what that answer returns).
_UNIT_MISTAKES = (
    (
        "the sigmoid's derivative g'(z) = a (1 - a) is missing: dJ/dz = (a - y) a (1 - a)",
        _sigmoid_unit(lambda a, y, z: a - y),
    ),
    (
        "dJ/da = a - y is missing: dJ/dz = dJ/da * g'(z) = (a - y) a (1 - a)",
        _sigmoid_unit(lambda a, y, z: a * (1 - a)),
    ),
    (
        "g'(z) = a (1 - a), with a = g(z), not z (1 - z): dJ/dz = (a - y) a (1 - a)",
        _sigmoid_unit(lambda a, y, z: (a - y) * z * (1 - z)),
    ),
    (
        "the sign is flipped: dJ/da = a - y (J = 1/2 (a - y)^2), not y - a",
        _gradients_then(lambda dw, db, x: (-dw, -db)),
    ),
    (
        "J has a 1/2: dJ/da = a - y, not 2 (a - y)",
        _gradients_then(lambda dw, db, x: (2 * dw, 2 * db)),
    ),
    (
        "dJ/dw is missing its x: z = w x + b, so dJ/dw = dJ/dz * x",
        _gradients_then(lambda dw, db, x: (db, db)),
    ),
    (
        "dJ/db has an x: z = w x + b, so dz/db = 1 and dJ/db = dJ/dz",
        _gradients_then(lambda dw, db, x: (dw, dw)),
    ),
    (
        "the two are swapped: return (dJ/dw, dJ/db), in that order",
        _gradients_then(lambda dw, db, x: (db, dw)),
    ),
    (
        "e^z / (1 + e^z) overflows for a large z (inf / inf = nan): write the sigmoid as "
        "1 / (1 + e^-z), which is 1 there",
        _sigmoid_unit(lambda a, y, z: (a - y) * a * (1 - a), lambda z: np.exp(z) / (1 + np.exp(z))),
    ),
)

#: ``sigmoid_unit_gradients(x, w, b, y)`` -> ``(dJ/dw, dJ/db)`` for one sigmoid unit with
#: J = 1/2 (g(w x + b) - y)^2, compared with back propagation on ``SIGMOID_UNIT_GRAPH``.
#: Within 1e-6 (absolute below 1, relative above): a right answer computed in float32
#: passes (about 7 significant digits); every catalogued mistake is off by far more.
check_sigmoid_unit_gradients = FunctionChecker(
    "sigmoid_unit_gradients",
    _sigmoid_unit_inputs,
    _graph_gradients,
    tol=1e-6,
    seed=8,
    mistakes=_UNIT_MISTAKES,
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab8-dense-backward": {"my_dense_backward": check_my_dense_backward},
    "lab8-sigmoid-unit": {"sigmoid_unit_gradients": check_sigmoid_unit_gradients},
}
