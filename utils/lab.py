"""The one set-up call every lab runs first: ``from utils import lab; lab.setup()``.

It fixes everything that would make two runs print different numbers: TensorFlow's
logging, oneDNN, thread counts, seeds, op determinism and Keras's float type.
"""

import gc
import os
import random
import sys
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from .plots import use_style
from .validation import as_choice, as_int, positive_int

_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # no C++ info/warning lines on stderr
    "TF_ENABLE_ONEDNN_OPTS": "0",  # no oneDNN banner; plain Eigen kernels
    "TF_DETERMINISTIC_OPS": "1",
}
_state = {}


def setup(seed=0, floatx="float64", threads=1):
    """Quiet, seeded, deterministic TensorFlow/Keras and the course's figure style.

    ``seed`` seeds Python, numpy and TensorFlow; ``floatx`` is Keras's default float
    ("float64" so by-hand numpy and Keras agree to round-off; Keras's own default is
    "float32"); ``threads`` fixes TensorFlow's and numpy's BLAS thread counts, so a laptop
    with many cores prints what CI prints. Must run before TensorFlow is imported;
    calling it again later only re-seeds (the thread count cannot change once TF runs).
    The first call also freezes the objects the imports made (``gc.freeze``), so later
    garbage collections skip them.
    """
    seed = as_int("seed", seed, at_least=0, at_most=2**32 - 1)
    floatx = as_choice("floatx", floatx, ("float32", "float64"))
    threads = positive_int("threads", threads)
    if "tensorflow" in sys.modules and "threads" not in _state:
        raise RuntimeError("call utils.lab.setup() before importing tensorflow or keras")
    os.environ.update(_ENV)
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    _state.setdefault("blas_limits", threadpool_limits(limits=threads))
    import keras  # only now: TensorFlow reads the environment above when it is imported
    import tensorflow as tf

    if "threads" not in _state:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        tf.config.experimental.enable_op_determinism()
        _state["threads"] = threads
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - seeds the legacy global RNG students may call
    keras.utils.set_random_seed(seed)
    keras.config.set_floatx(floatx)
    # fit(training.full_batch_dataset(X, y), ...) without shuffle=False: a dataset is never
    # shuffled by fit, and this one is a single full batch, so Keras's warning says nothing
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed", category=UserWarning)
    np.set_printoptions(precision=4, suppress=True)
    use_style()
    if "frozen" not in _state:
        # The ~370,000 objects of the imports above live as long as the kernel: keep them out
        # of every later garbage collection (a full one then takes microseconds, not 0.2 s).
        gc.freeze()
        _state["frozen"] = True
