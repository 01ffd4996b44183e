"""The labs' exercise checkers: one module per lab (``lab01`` ... ``lab08``), each with its
checkers in lab order and its registry ``EXERCISES`` (label -> answer name -> checker);
:mod:`utils.exercises.grading` holds what they share and :mod:`utils.exercises.keras_model`
checks the Keras code students write.

A lab imports its checkers from its own module (``from utils.exercises.lab03 import
check_my_softmax``); a checker is named ``check_<answer>`` after the name the student defines.
"""

import importlib
import pkgutil
import re

# The checker modules, one per lab, found by their names (labNN), in course order.
LABS = tuple(
    importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
    if re.fullmatch(r"lab\d\d", info.name)
)

# Every lab's exercises, in course order: label -> answer name -> checker.
EXERCISES = {label: answers for lab in LABS for label, answers in lab.EXERCISES.items()}
