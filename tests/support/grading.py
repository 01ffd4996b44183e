"""What the grader's tests share: small synthetic notebooks of Lab 3's exercises (no
TensorFlow), and the mark of a test that needs the grader's sandbox."""

import pytest

from tools import sandbox

try:
    sandbox.require_sandbox()
    NO_SANDBOX = None
except sandbox.SandboxUnavailable as err:
    NO_SANDBOX = str(err)
needs_sandbox = pytest.mark.skipif(NO_SANDBOX is not None, reason=f"no sandbox: {NO_SANDBOX}")

IMPORTS = (
    "import numpy as np\nfrom utils.exercises.lab03 import check_digits_model, check_my_softmax"
)
EXERCISE = "```{exercise} Write softmax\n:label: lab3-softmax\n\nWrite `my_softmax(z)`.\n```"
RIGHT = "def my_softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"
STUB = "def my_softmax(z):\n    return None\n\n\ncheck_my_softmax(my_softmax)"
KERAS = (  # Lab 3's second exercise, left as its stub
    ("md", "```{exercise} The lecture's model\n:label: lab3-keras-model\n\nWrite it.\n```"),
    ("code", "digits_model = None\ncheck_digits_model(digits_model)"),
)


def notebook(*cells):
    """A notebook of ("md" or "code", source) cells."""
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": s}
            if kind == "md"
            else {
                "cell_type": "code",
                "metadata": {},
                "source": s,
                "outputs": [],
                "execution_count": None,
            }
            for kind, s in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def lab3(answer, *extra):
    return notebook(("code", IMPORTS), ("md", EXERCISE), ("code", answer), *extra, *KERAS)


def small_class():
    """A small class of Lab 3 submissions (name -> notebook): right, a stub, a wrong answer,
    one that raises after its answer, one without the exercise."""
    wrong = "def my_softmax(z):\n    return np.exp(z)\n\n\ncheck_my_softmax(my_softmax)"
    return {
        "ada/lab3.ipynb": lab3(RIGHT + "\ncheck_my_softmax(my_softmax)"),
        "ben/lab3.ipynb": lab3(STUB),
        "cy/lab3.ipynb": lab3(wrong),
        "dee/lab3.ipynb": lab3(RIGHT, ("code", "1 / 0")),
        "eve/lab3.ipynb": notebook(("code", IMPORTS), ("code", "x = 1")),
    }
