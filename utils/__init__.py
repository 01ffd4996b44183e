"""Shared code for the neural-network training labs.

Every concept is implemented twice: by hand in numpy, and as its Keras twin (a by-hand
function or method ``f`` has the twin function ``f_keras``; a by-hand class has ``to_keras()``).
Importing this package does not import TensorFlow; a Keras twin loads it on first use (its
``import keras`` sits in the function for that reason alone), so call :func:`utils.lab.setup`
before anything else in a lab.

Public functions check their arguments once, at the edge. The package's internal API is the
few public names its modules share that trust their inputs (checked arrays of one float
type), so that a check is never repeated inside a loop; notebooks do not need them:

- ``activations.KERNELS``: name -> ``Activation(g, derivative)``, the activation kernels;
- ``dense.LayerCache``, ``dense.DENSE``: a layer's ``(Z, A)``; the Dense layer's forward and
  backward kernels, which ``Network``, ``ConvNetwork`` and softmax regression are built of;
- ``losses.LOSSES``: name -> ``Loss``, each loss's kernels (targets, per-entry loss, dJ/dz);
- ``optimizers.Optimizer.apply`` and ``update_step`` (and its subclasses' ``update_step``):
  one step on gradients, one parameter's update, as Keras's; ``step`` checks, then applies.

:data:`INTERNAL_API` names the trusting methods, which take no bad-input cases.
"""

# module.Class.method: methods that trust their inputs (tables and records hold no checks).
INTERNAL_API = ("optimizers.Optimizer.apply", "optimizers.Optimizer.update_step")
