"""The judge: what a student's answer is and does, made inside a judge sandbox.

    python judge.py < request        (in the sandbox; the answer is /work/answer.pkl or .keras)

The sandbox (``tools/verdict.py`` starts it) holds no course code, no solution, no expected
answer, no other submission: only numpy and cloudpickle (numpy exercises) or every installed
package (Keras exercises), this file and :mod:`probe` (``utils/exercises/probe.py``, bound
beside it). The request (a pickle the grader made: the kind of answer, the inputs it drew) is
loaded first; then the answer, whose own code runs from then on, so nothing this process
prints is trusted: the grader checks every number of the report itself.

The report, one JSON object on the original stdout (the answer's prints go to stderr):
``{"reaches": module}`` when loading the answer needs a module the sandbox does not have;
``{"error": ...}``; else :func:`probe.call_answer` (functions), ``{"value": ...}`` (plain
values), ``{"model": probe.model_facts(...)}`` / ``{"none": true}`` /
``{"not_a_model": type}`` / ``{"not_builtin": why}`` (Keras models).
"""

import json
import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import probe  # noqa: E402 - bound beside this file, not installed

ANSWER = "answer"  # /work/answer.pkl or /work/answer.keras


def load_pickle(path):
    """The answer pickled at ``path``, or the report of why it cannot be loaded."""
    import cloudpickle  # after the request is loaded: the answer's own code runs from here

    with open(path, "rb") as f:
        data = f.read()
    try:
        return cloudpickle.loads(data), None
    except ModuleNotFoundError as err:
        return None, {"reaches": probe.short(err.name or err)}
    except BaseException as err:  # noqa: BLE001 - a pickle may raise (or exit) anything
        return None, {"error": f"it cannot be loaded: {type(err).__name__}: {probe.short(err)}"}


def keras_report(request):
    """What a saved Keras model is (loaded in safe mode: Keras's own classes only)."""
    path = f"{ANSWER}.keras"
    if not os.path.exists(path):
        answer, problem = load_pickle(f"{ANSWER}.pkl")
        if problem is not None:
            return problem
        return {"none": True} if answer is None else {"not_a_model": type(answer).__name__}
    import keras  # only a Keras judge has it (a numpy judge holds numpy alone)

    try:
        model = keras.saving.load_model(path, safe_mode=True)
    except BaseException as err:  # noqa: BLE001 - a file of the student's making
        return {"not_builtin": f"{type(err).__name__}: {probe.short(err)}"}
    facts = probe.model_facts(model, request["X"])
    return facts if "not_a_model" in facts else {"model": facts}


def report(request):
    """The report on the answer in the working folder, for ``request``."""
    if request["kind"] == "keras":
        return keras_report(request)
    answer, problem = load_pickle(f"{ANSWER}.pkl")
    if problem is not None:
        return problem
    if request["kind"] == "function":
        return probe.call_answer(answer, request["calls"])
    return {"value": probe.encode(answer)}


def main():
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the answer prints goes to stderr, not into the report
    request = pickle.load(sys.stdin.buffer)  # the grader's, loaded before the answer's code
    try:
        text = json.dumps(report(request))
    except BaseException as err:  # noqa: BLE001 - the answer's code may raise anything
        text = json.dumps({"error": f"{type(err).__name__}: {probe.short(err)}"})
    channel.write(text)
    channel.flush()
    os._exit(0)  # no exit handlers of the answer's


if __name__ == "__main__":
    main()
