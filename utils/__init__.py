"""Shared code for the neural-network training labs.

Every concept is implemented twice: by hand in numpy, and as its Keras twin
(functions and methods whose names end in ``_keras`` or start with ``keras_``).
Importing this package does not import TensorFlow; a Keras twin loads it on first use,
so call :func:`utils.lab.setup` before anything else in a lab.
"""
