"""The labs' exercise checkers: one module per lab (``lab01`` ... ``lab08``), each with its
checkers in lab order and its registry ``EXERCISES`` (label -> answer name -> checker);
:mod:`utils.exercises.grading` holds what they share and :mod:`utils.exercises.keras_model`
checks the Keras code students write.

A lab imports its checkers from its own module (``from utils.exercises.lab03 import
check_my_softmax``); a checker is named ``check_<answer>`` after the name the student defines.
"""

from . import lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08

# Every lab's exercises, in course order: label -> answer name -> checker.
EXERCISES = {
    label: answers
    for lab in (lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08)
    for label, answers in lab.EXERCISES.items()
}
