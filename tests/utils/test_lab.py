"""`lab.setup()`, the first call of every lab, in a fresh interpreter each (its state is the
process's: TensorFlow's thread counts and the garbage collector's frozen objects)."""

import subprocess
import sys
import textwrap

from tests.support import ROOT


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_setup_fixes_keras_and_freezes_the_imports_once():
    out = run_python("""
        import gc
        from utils import lab
        lab.setup()
        import keras
        frozen = gc.get_freeze_count()
        kept = [[i] for i in range(50_000)]  # the student's objects, made after set-up
        before = gc.get_freeze_count()
        lab.setup(seed=1)  # again: re-seeds, freezes nothing more (frozen objects may die)
        print(keras.config.floatx(), frozen > 100_000, gc.get_freeze_count() <= before)
    """)
    assert out.split() == ["float64", "True", "True"]


def test_setup_after_importing_tensorflow_is_refused():
    out = run_python("""
        import tensorflow
        from utils import lab
        try:
            lab.setup()
        except RuntimeError as err:
            print(err)
    """)
    assert "call utils.lab.setup() before importing tensorflow or keras" in out
