"""Computation graphs of scalars: a forward pass left to right, back propagation right to left.

A graph is a list of steps ``(name, op, args)``: node ``name`` is ``op`` applied to ``args``,
each arg the name of an input or of an earlier node, or a constant number. The last node is
the cost J. :func:`forward` computes every node's value; :func:`backward` then computes
dJ/d(every node and every input) in ONE sweep from J back to the inputs, with the chain rule
(a node used by several later nodes adds up their contributions). :func:`derivatives` does
both; :func:`derivatives_keras` is its TensorFlow twin: the same graph built from TF ops
under ``tf.GradientTape``. Every op is one row of :data:`OPS`.

The lecture's graphs are :data:`ONE_UNIT_GRAPH` (one linear unit a = w x + b with
J = 1/2 (a - y)^2, at x = -2, y = 2, w = 2, b = 8) and :data:`TWO_LAYER_RELU_GRAPH` (a ReLU
unit feeding a linear one); :data:`SQUARE_GRAPH` (J = (2 + 3w)^2) is a smaller test graph.
Taught in Lab 8 (back propagation).
"""

import numbers
from typing import NamedTuple

import numpy as np

from .activations import KERNELS
from .validation import as_number


def _sigmoid_value(p):
    return float(KERNELS["sigmoid"].g(np.float64(p)))


def _sigmoid_slope(p):
    a = _sigmoid_value(p)
    return a * (1 - a)


class Op(NamedTuple):
    """One operation of a graph: its arity, value, local derivatives, TF op and figure text.

    ``value(*args)`` is the node's value; ``derivatives(*args)`` the tuple of local derivatives
    d(node)/d(arg), one per arg; ``tensorflow(tf, *args)`` the same value from TensorFlow ops;
    ``text`` the node's formula for figures, with ``{0}``, ``{1}`` for the args.
    """

    n_args: int
    value: object
    derivatives: object
    tensorflow: object
    text: str


# The one table of ops, read by forward, backward, derivatives_keras and the figure.
OPS = {
    "add": Op(2, lambda p, q: p + q, lambda p, q: (1.0, 1.0), lambda tf, p, q: tf.add(p, q),
              "{0} + {1}"),
    "sub": Op(2, lambda p, q: p - q, lambda p, q: (1.0, -1.0),
              lambda tf, p, q: tf.subtract(p, q), "{0} − {1}"),
    "mul": Op(2, lambda p, q: p * q, lambda p, q: (q, p), lambda tf, p, q: tf.multiply(p, q),
              "{0}·{1}"),
    "square": Op(1, lambda p: p * p, lambda p: (2 * p,), lambda tf, p: tf.square(p), "{0}²"),
    "half_square": Op(1, lambda p: 0.5 * p * p, lambda p: (p,),
                      lambda tf, p: 0.5 * tf.square(p), "½ {0}²"),
    "sigmoid": Op(1, _sigmoid_value, lambda p: (_sigmoid_slope(p),),
                  lambda tf, p: tf.math.sigmoid(p), "g({0})"),
    # relu'(0) = 0, as Keras and TensorFlow take it
    "relu": Op(1, lambda p: max(p, 0.0), lambda p: (1.0 if p > 0 else 0.0,),
               lambda tf, p: tf.nn.relu(p), "relu({0})"),
}

# J = (2 + 3w)^2, a three-node test graph (not the lecture's): c = 3w, a = 2 + c, J = a^2.
SQUARE_GRAPH = (("c", "mul", (3.0, "w")), ("a", "add", (2.0, "c")), ("J", "square", ("a",)))

# The lecture's graph, one linear unit with squared error: c = w x, a = c + b, d = a - y,
# J = 1/2 d^2. At x = -2, y = 2, w = 2, b = 8: J = 2 and dJ/dw = -4.
ONE_UNIT_GRAPH = (
    ("c", "mul", ("w", "x")),
    ("a", "add", ("c", "b")),
    ("d", "sub", ("a", "y")),
    ("J", "half_square", ("d",)),
)

# The same unit with a sigmoid activation: z = c + b, a = g(z) (Lab 8's exercise); c, d and
# J are the linear unit's steps.
SIGMOID_UNIT_GRAPH = (
    ONE_UNIT_GRAPH[0],
    ("z", "add", ("c", "b")),
    ("a", "sigmoid", ("z",)),
    *ONE_UNIT_GRAPH[2:],
)

# The lecture's two-layer network: a1 = relu(w1 x + b1), a2 = w2 a1 + b2, J = 1/2 (a2 - y)^2.
# With x = 1, y = 5, w1 = 2, b1 = 0, w2 = 3, b2 = 1: a1 = 2, a2 = 7, J = 2 and dJ/dw1 = 6.
TWO_LAYER_RELU_GRAPH = (
    ("t1", "mul", ("w1", "x")),
    ("z1", "add", ("t1", "b1")),
    ("a1", "relu", ("z1",)),
    ("t2", "mul", ("w2", "a1")),
    ("a2", "add", ("t2", "b2")),
    ("d", "sub", ("a2", "y")),
    ("J", "half_square", ("d",)),
)


def _is_number(v):
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def _validate_inputs(inputs, name="inputs"):
    if not isinstance(inputs, dict):
        raise TypeError(f"{name} must be a dict of name -> number, got {type(inputs).__name__}")
    for key in inputs:
        if not isinstance(key, str):
            raise TypeError(f"{name} must be keyed by names (strings), got the key {key!r}")
    return {key: as_number(f"{name}[{key!r}]", v) for key, v in inputs.items()}


def _node_names(steps):
    """The names the steps define (for telling a graph's inputs from its nodes)."""
    if not isinstance(steps, (list, tuple)):
        return set()
    return {s[0] for s in steps if isinstance(s, (tuple, list)) and s and isinstance(s[0], str)}


def _validate_steps(steps, known):
    """The steps as a tuple of (name, op, args) triples, each arg known before it is used."""
    if isinstance(steps, (str, bytes)) or not isinstance(steps, (list, tuple)) or not steps:
        raise ValueError("steps must be a non-empty sequence of (name, op, args)")
    known = set(known)
    clean = []
    for i, step in enumerate(steps):
        if not isinstance(step, (tuple, list)) or len(step) != 3:
            raise ValueError(f"steps[{i}] must be a (name, op, args) triple, got {step!r}")
        name, op, args = step
        if not isinstance(name, str) or name in known:
            raise ValueError(f"steps[{i}] must name a new node, got {name!r}")
        if not isinstance(op, str) or op not in OPS:
            raise ValueError(f"steps[{i}] op must be one of {tuple(OPS)}, got {op!r}")
        if not isinstance(args, (tuple, list)) or len(args) != OPS[op].n_args:
            raise ValueError(f"steps[{i}] op {op!r} takes {OPS[op].n_args} args, got {args!r}")
        for arg in args:
            if _is_number(arg):
                as_number(f"steps[{i}] args", arg)
            elif not isinstance(arg, str) or arg not in known:
                raise ValueError(
                    f"steps[{i}] uses {arg!r}, which is neither an input nor an earlier node"
                )
        known.add(name)
        clean.append((name, op, tuple(args)))
    return tuple(clean)


def validate_graph(steps, inputs):
    """Validate a graph and its inputs; return ``(steps, inputs)`` as a tuple and a float dict.

    ``steps``: non-empty sequence of ``(name, op, args)`` with ``op`` in :data:`OPS`;
    ``inputs``: dict mapping every input name the graph uses to a finite number.
    """
    inputs = _validate_inputs(inputs)
    return _validate_steps(steps, inputs), inputs


def _arg_value(arg, values):
    return float(arg) if _is_number(arg) else values[arg]


def _forward(steps, values):
    for name, op, args in steps:
        values[name] = float(OPS[op].value(*(_arg_value(a, values) for a in args)))
    return values


def _backward(steps, values):
    grads = {steps[-1][0]: 1.0}  # dJ/dJ = 1
    for name, op, args in reversed(steps):
        local = OPS[op].derivatives(*(_arg_value(a, values) for a in args))
        for arg, d_local in zip(args, local, strict=True):
            if not _is_number(arg):
                grads[arg] = grads.get(arg, 0.0) + grads.get(name, 0.0) * float(d_local)
    inputs = [k for k in values if k not in grads]
    grads.update({k: 0.0 for k in inputs})  # inputs J does not depend on
    return grads


def forward(steps, inputs):
    """The forward pass: every input's and node's value, in graph order.

    Returns a dict ``name -> float`` (inputs first, the cost J, the last node, last).
    """
    steps, values = validate_graph(steps, inputs)
    return _forward(steps, values)


def backward(steps, values):
    """Back propagation: dJ/d(name) for every node and input, in one sweep from J backwards.

    ``values``: the dict returned by :func:`forward` on the same graph. Each node's derivative
    is known once every later node that uses it has been visited; it is then passed on to
    the node's args times the local derivative (chain rule). Returns a dict ``name -> float``
    ordered from J back to the inputs.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be the dict returned by forward, got {type(values).__name__}")
    values = _validate_inputs(values, "values")
    nodes = _node_names(steps)
    steps = _validate_steps(steps, {k for k in values if k not in nodes})
    missing = [name for name, _, _ in steps if name not in values]
    if missing:
        raise ValueError(
            f"values must hold every node's value (run forward first), missing {missing}"
        )
    return _backward(steps, values)


def derivatives(steps, inputs):
    """:func:`forward` then :func:`backward`: ``(values, grads)``, two dicts ``name -> float``."""
    steps, values = validate_graph(steps, inputs)
    values = _forward(steps, values)
    return values, _backward(steps, values)


def derivatives_keras(steps, inputs):
    """TensorFlow twin of :func:`derivatives`: TF ops under ``tf.GradientTape``.

    Every input becomes a float64 ``tf.Variable`` and every node is watched (so a node built
    only from constants gets its derivative too); ``tape.gradient(J, ...)`` is asked for the
    derivative with respect to every node and input. Returns ``(values, grads)``, two dicts
    ``name -> float`` with the same keys as :func:`derivatives`.
    """
    import tensorflow as tf  # keeps TensorFlow out of `import utils`

    steps, inputs = validate_graph(steps, inputs)
    tensors = {k: tf.Variable(v, dtype=tf.float64) for k, v in inputs.items()}
    with tf.GradientTape(persistent=True) as tape:
        for name, op, args in steps:
            operands = [
                tf.constant(float(a), tf.float64) if _is_number(a) else tensors[a] for a in args
            ]
            tensors[name] = OPS[op].tensorflow(tf, *operands)
            tape.watch(tensors[name])
    J = tensors[steps[-1][0]]
    names = [name for name, _, _ in reversed(steps)] + list(inputs)
    grads = tape.gradient(J, [tensors[k] for k in names], unconnected_gradients="zero")
    del tape
    values = {k: float(tensors[k].numpy()) for k in list(inputs) + [s[0] for s in steps]}
    return values, {k: float(g.numpy()) for k, g in zip(names, grads, strict=True)}
