"""Shared code for the neural-network training labs.

Every concept is implemented twice: by hand in numpy, and as its Keras twin (a by-hand
function or method ``f`` has the twin function ``f_keras``; a by-hand class has ``to_keras()``).
Importing this package does not import TensorFlow; a Keras twin loads it on first use,
so call :func:`utils.lab.setup` before anything else in a lab.
"""
