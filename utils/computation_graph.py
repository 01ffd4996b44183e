"""Computation graphs of scalars: a forward pass left to right, back propagation right to left.

A graph is a list of steps ``(name, op, args)``: node ``name`` is ``op`` applied to ``args``,
each arg the name of an input or of an earlier node, or a constant number. The last node is
the cost J. :func:`forward` computes every node's value; :func:`backward` then computes
dJ/d(every node and every input) in ONE sweep from J back to the inputs, with the chain rule
(a node used by several later nodes adds up their contributions). :func:`derivatives_keras`
is the TensorFlow twin: the same graph built from TF ops under ``tf.GradientTape``.

The lecture's graphs are :data:`SQUARE_GRAPH` (J = (2 + 3w)^2) and :data:`ONE_UNIT_GRAPH`
(one linear unit a = w x + b with J = 1/2 (a - y)^2). Taught in Lab 8 (back propagation).
"""

import numbers

import numpy as np

from .activations import sigmoid


def _sigmoid_slope(p):
    a = float(sigmoid(p))
    return a * (1 - a)


# op -> (number of args, value of the node, local derivatives d(node)/d(arg) per arg)
OPS = {
    "add": (2, lambda p, q: p + q, lambda p, q: (1.0, 1.0)),
    "sub": (2, lambda p, q: p - q, lambda p, q: (1.0, -1.0)),
    "mul": (2, lambda p, q: p * q, lambda p, q: (q, p)),
    "square": (1, lambda p: p * p, lambda p: (2 * p,)),
    "half_square": (1, lambda p: 0.5 * p * p, lambda p: (p,)),
    "sigmoid": (1, lambda p: float(sigmoid(p)), lambda p: (_sigmoid_slope(p),)),
}

# J = (2 + 3w)^2, the lecture's first graph: c = 3w, a = 2 + c, J = a^2.
SQUARE_GRAPH = (("c", "mul", (3.0, "w")), ("a", "add", (2.0, "c")), ("J", "square", ("a",)))

# One linear unit with squared error: c = w x, a = c + b, d = a - y, J = 1/2 d^2.
ONE_UNIT_GRAPH = (
    ("c", "mul", ("w", "x")),
    ("a", "add", ("c", "b")),
    ("d", "sub", ("a", "y")),
    ("J", "half_square", ("d",)),
)

# The same unit with a sigmoid activation: z = c + b, a = g(z) (Lab 8's exercise).
SIGMOID_UNIT_GRAPH = (
    ("c", "mul", ("w", "x")),
    ("z", "add", ("c", "b")),
    ("a", "sigmoid", ("z",)),
    ("d", "sub", ("a", "y")),
    ("J", "half_square", ("d",)),
)


def _is_number(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def check_graph(steps, inputs):
    """Validate a graph and its inputs; return ``(steps, inputs)`` as a tuple and a float dict.

    ``steps``: non-empty sequence of ``(name, op, args)`` with ``op`` in :data:`OPS`;
    ``inputs``: dict mapping every input name the graph uses to a finite number.
    """
    if not isinstance(inputs, dict):
        raise TypeError(f"inputs must be a dict of name -> number, got {type(inputs).__name__}")
    clean = {}
    for key, v in inputs.items():
        if not _is_number(v) or not np.isfinite(v):
            raise ValueError(f"inputs[{key!r}] must be a finite number, got {v!r}")
        clean[key] = float(v)
    if isinstance(steps, (str, bytes)) or not hasattr(steps, "__len__") or len(steps) == 0:
        raise ValueError("steps must be a non-empty sequence of (name, op, args)")
    known = set(clean)
    for i, step in enumerate(steps):
        if not isinstance(step, (tuple, list)) or len(step) != 3:
            raise ValueError(f"steps[{i}] must be a (name, op, args) triple, got {step!r}")
        name, op, args = step
        if not isinstance(name, str) or name in known:
            raise ValueError(f"steps[{i}] must name a new node, got {name!r}")
        if op not in OPS:
            raise ValueError(f"steps[{i}] op must be one of {tuple(OPS)}, got {op!r}")
        if not isinstance(args, (tuple, list)) or len(args) != OPS[op][0]:
            raise ValueError(f"steps[{i}] op {op!r} takes {OPS[op][0]} args, got {args!r}")
        for arg in args:
            if not _is_number(arg) and arg not in known:
                raise ValueError(
                    f"steps[{i}] uses {arg!r}, which is neither an input nor an earlier node"
                )
        known.add(name)
    return tuple(tuple(s) for s in steps), clean


def _arg_value(arg, values):
    return float(arg) if _is_number(arg) else values[arg]


def forward(steps, inputs):
    """The forward pass: every input's and node's value, in graph order.

    Returns a dict ``name -> float`` (inputs first, the cost J, the last node, last).
    """
    steps, values = check_graph(steps, inputs)
    for name, op, args in steps:
        values[name] = float(OPS[op][1](*(_arg_value(a, values) for a in args)))
    return values


def backward(steps, values):
    """Back propagation: dJ/d(name) for every node and input, in one sweep from J backwards.

    ``values``: the dict returned by :func:`forward` on the same graph. Each node's derivative
    is known once every later node that uses it has been visited; it is then passed on to
    the node's args times the local derivative (chain rule). Returns a dict ``name -> float``
    ordered from J back to the inputs.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be the dict returned by forward, got {type(values).__name__}")
    steps, _ = check_graph(steps, {k: v for k, v in values.items() if k not in _nodes(steps)})
    missing = [name for name, _, _ in steps if name not in values]
    if missing:
        raise ValueError(
            f"values must hold every node's value (run forward first), missing {missing}"
        )
    grads = {steps[-1][0]: 1.0}  # dJ/dJ = 1
    for name, op, args in reversed(steps):
        local = OPS[op][2](*(_arg_value(a, values) for a in args))
        for arg, d_local in zip(args, local, strict=True):
            if not _is_number(arg):
                grads[arg] = grads.get(arg, 0.0) + grads.get(name, 0.0) * float(d_local)
    inputs = [k for k in values if k not in grads]
    grads.update({k: 0.0 for k in inputs})  # inputs J does not depend on
    return grads


def _nodes(steps):
    try:
        return {step[0] for step in steps}
    except (TypeError, IndexError, KeyError):
        return set()


def derivatives_keras(steps, inputs):
    """TensorFlow twin of :func:`forward` + :func:`backward`: TF ops under ``tf.GradientTape``.

    Every input becomes a float64 ``tf.Variable``; ``tape.gradient(J, ...)`` is asked for
    the derivative with respect to every node tensor and input. Returns ``(values, grads)``,
    two dicts ``name -> float`` with the same keys as :func:`forward` and :func:`backward`.
    """
    import tensorflow as tf

    steps, inputs = check_graph(steps, inputs)
    tf_ops = {
        "add": tf.add,
        "sub": tf.subtract,
        "mul": tf.multiply,
        "square": tf.square,
        "half_square": lambda p: 0.5 * tf.square(p),
        "sigmoid": tf.math.sigmoid,
    }
    tensors = {k: tf.Variable(v, dtype=tf.float64) for k, v in inputs.items()}
    with tf.GradientTape(persistent=True) as tape:
        for name, op, args in steps:
            operands = [
                tf.constant(float(a), tf.float64) if _is_number(a) else tensors[a] for a in args
            ]
            tensors[name] = tf_ops[op](*operands)
    J = tensors[steps[-1][0]]
    names = [name for name, _, _ in reversed(steps)] + list(inputs)
    grads = tape.gradient(J, [tensors[k] for k in names], unconnected_gradients="zero")
    del tape
    values = {k: float(tensors[k].numpy()) for k in list(inputs) + [s[0] for s in steps]}
    return values, {k: float(g.numpy()) for k, g in zip(names, grads, strict=True)}
