"""A Keras answer built through the course's code is refused, by every route; every lab's
solution, read with the whole notebook's code as ``make grade`` reads it, is accepted."""

import csv
import json

import pytest

from tests.support import ROOT, grading
from tools import grade as grader
from utils.exercises import EXERCISES, LABS
from utils.exercises.lab01 import check_model
from utils.exercises.routes import course_route, handed_over

DATA = ("utils.data",)  # what an exercise that fits hands over (Labs 1, 6, 7)
PRELUDE = [
    "import keras\n"
    "from keras import Sequential\n"
    "from keras.layers import Dense\n"
    "from keras.optimizers import SGD\n"
    "from utils import data\n"
    "from utils.exercises.lab01 import check_model\n"
    "from utils.network import Layer, Network",
    "coffee = data.coffee_roasting().standardized()\n"
    "X, Y = coffee.X_train, coffee.y_train\n"
    "net = Network(n_inputs=2, layers=[Layer(1, 'sigmoid')], seed=0)",
]
BUILD = "model = Sequential([keras.Input(shape=(2,)), Dense(1, activation='sigmoid')])"
FIT = (
    "model.compile(loss='binary_crossentropy', optimizer=SGD(learning_rate=1.0))\n"
    "model.fit(X, Y, epochs=5, batch_size=len(X), verbose=0)"
)
CLEAN = f"{BUILD}\n{FIT}"
CHECK = "check_model(model)"
NETWORK = "uses the course's utils.network.Network"
TO_KERAS = f"{NETWORK} (to_keras): build it with keras yourself"
UNSEEN = "which can change any name unseen"

# route -> (the cells after PRELUDE, what the refusal names)
ROUTES = {
    "direct": (["model = Network(2, [Layer(1, 'sigmoid')]).to_keras()"], TO_KERAS),
    "an alias": (["N = Network\nmodel = N(2, [Layer(1, 'sigmoid')]).to_keras()"], TO_KERAS),
    "a module alias": (
        ["import utils.network as un\nmodel = un.Network(2, []).to_keras()"],
        TO_KERAS,
    ),
    "a module": (
        ["from utils import network\nmodel = network.Network(2, []).to_keras()"],
        TO_KERAS,
    ),
    "a submodule's attribute chain": (
        ["import utils.network\nmodel = utils.network.Network(2, []).to_keras()"],
        TO_KERAS,
    ),
    "a star import": (
        ["from utils.network import *\nmodel = Network(2, []).to_keras()"],
        TO_KERAS,
    ),
    "the network's weights": ([CLEAN, "model.set_weights(net.get_weights())"], NETWORK),
    "its layers": (["model = Sequential(net.to_keras().layers)"], TO_KERAS),
    "a function": (["def build():\n    return net.to_keras()\nmodel = build()"], TO_KERAS),
    "a nested function": (
        [
            "def outer():\n    def inner():\n        return net.to_keras()\n"
            "    return inner()\nmodel = outer()"
        ],
        TO_KERAS,
    ),
    "a lambda": (["build = lambda: net.to_keras()\nmodel = build()"], TO_KERAS),
    "a default argument": (
        ["def build(n=net):\n    return n.to_keras()\nmodel = build()"],
        TO_KERAS,
    ),
    "a closure": (
        [
            "def maker(n):\n    def build():\n        return n.to_keras()\n    return build\n"
            "model = maker(net)()"
        ],
        TO_KERAS,
    ),
    "a class's method": (
        ["class B:\n    def make(self):\n        return net.to_keras()\nmodel = B().make()"],
        TO_KERAS,
    ),
    "a decorator": (
        [
            "def deco(f):\n    return lambda: net.to_keras()\n"
            "@deco\ndef build():\n    pass\nmodel = build()"
        ],
        TO_KERAS,
    ),
    "a comprehension": (["model = [n.to_keras() for n in [net]][0]"], TO_KERAS),
    "tuple unpacking": (["model, other = net.to_keras(), 1"], TO_KERAS),
    "a loop": (["for n in [net]:\n    model = n.to_keras()"], TO_KERAS),
    "a binding later in the loop": (
        [
            "layer = Dense(1)\n"
            "model = Sequential([keras.Input(shape=(2,))])\n"
            "for i in range(2):\n"
            "    if i:\n        model.add(layer)\n"
            "    layer = net.to_keras().layers[-1]"
        ],
        TO_KERAS,
    ),
    "a with target": (
        ["import contextlib\nwith contextlib.nullcontext(net.to_keras()) as model:\n    pass"],
        TO_KERAS,
    ),
    "an alias changed": (
        [
            "layers = [keras.Input(shape=(2,))]\nextra = layers\n"
            "extra.append(net.to_keras().layers[-1])\nmodel = Sequential(layers)"
        ],
        TO_KERAS,
    ),
    "fit's history": (
        [CLEAN, "h = model.fit(X, Y)\nh.model.set_weights(net.get_weights())"],
        NETWORK,
    ),
    "a helper it is passed to": (
        ["def copy_into(m):\n    m.set_weights(net.get_weights())", CLEAN, "copy_into(model)"],
        NETWORK,
    ),
    "a helper that changes it": (
        ["def tweak():\n    model.set_weights(net.get_weights())", CLEAN, "tweak()"],
        NETWORK,
    ),
    "a helper defined in an earlier cell": (
        ["def build():\n    return net.to_keras()", "x = 1", "model = build()"],
        TO_KERAS,
    ),
    "a callback": (
        [
            "class Copy(keras.callbacks.Callback):\n"
            "    def on_train_end(self, logs=None):\n"
            "        self.model.set_weights(net.get_weights())",
            f"{BUILD}\nmodel.compile(loss='binary_crossentropy', optimizer=SGD(1.0))\n"
            "model.fit(X, Y, epochs=5, batch_size=len(X), callbacks=[Copy()], verbose=0)",
        ],
        NETWORK,
    ),
    "Keras patched": (
        ["keras.Sequential = lambda *a, **k: net.to_keras()", "model = keras.Sequential([])"],
        TO_KERAS,
    ),
    "Keras patched before the import": (
        [
            "import keras as k0\nk0.layers.Dense.call = lambda self, x: net.to_keras()(x)",
            "from keras.layers import Dense as D",
            "model = Sequential([keras.Input(shape=(2,)), D(1)])",
        ],
        TO_KERAS,
    ),
    "setattr of a literal name": (
        ["setattr(keras, 'Sequential', lambda *a: net.to_keras())", BUILD],
        TO_KERAS,
    ),
    "a dict": (["box = {}\nbox['m'] = net.to_keras()\nmodel = box['m']"], TO_KERAS),
    "an object's attribute": (
        ["class Box:\n    pass\nb = Box()\nb.m = net.to_keras()\nmodel = b.m"],
        TO_KERAS,
    ),
    "a list holding it": (
        [CLEAN, "held = [model]\nheld[0].set_weights(net.get_weights())"],
        NETWORK,
    ),
    "a loop over it": (
        [CLEAN, "for m in [model]:\n    m.set_weights(net.get_weights())"],
        NETWORK,
    ),
    "a binding that may not run": (
        ["model = net.to_keras()", f"if len(X) < 0:\n    {BUILD}"],
        TO_KERAS,
    ),
    "a layer it shares, changed through another model": (
        [
            "d = Dense(1)\nmodel = Sequential([keras.Input(shape=(2,)), d])\n"
            "other = Sequential([keras.Input(shape=(2,)), d])",
            "other.set_weights(net.get_weights())",
        ],
        NETWORK,
    ),
    "its optimizer, stepped with the network's gradients": (
        [
            CLEAN,
            "g = net.get_weights()\n"
            "model.optimizer.apply_gradients(zip(g, model.trainable_variables))",
        ],
        NETWORK,
    ),
    "a reader shadowed": (
        ["print = lambda m: m.set_weights(net.get_weights())", CLEAN, "print(model)"],
        NETWORK,
    ),
    "passed as data to a fit of the student's": (
        [
            "class T:\n    def fit(self, m):\n        m.set_weights(net.get_weights())",
            CLEAN,
            "T().fit(model)",
        ],
        NETWORK,
    ),
    "a walrus": (["print(model := net.to_keras())"], TO_KERAS),
    "an except clause": (
        ["try:\n    model = 1 / 0\nexcept ZeroDivisionError:\n    model = net.to_keras()"],
        TO_KERAS,
    ),
    "an initializer": (
        [
            "w = keras.initializers.Constant(net.get_weights()[0])\n"
            "model = Sequential([keras.Input(shape=(2,)), Dense(1, kernel_initializer=w)])"
        ],
        NETWORK,
    ),
    "data made by the course's model": (
        [f"{BUILD}\nmodel.fit(X, net.predict(X), epochs=5, batch_size=len(X))"],
        NETWORK,
    ),
    "a thread": (
        [CLEAN, "import threading\nthreading.Timer(1, lambda: model.set_weights([])).start()"],
        "the module threading, which the grader does not follow",
    ),
    "re-assigned after a clean build": ([CLEAN, CHECK, "model = net.to_keras()"], TO_KERAS),
    "the checker's spec": (
        [
            "spec = check_model.spec\n"
            "model = Sequential([Dense(s.units, activation=s.activation) for s in spec.layers])"
        ],
        "uses the course's utils.exercises.lab01.check_model.spec",
    ),
    "a checker's internals": (
        [
            "from utils.exercises.keras_model import digits_spec\n"
            "model = Sequential([Dense(s.units) for s in digits_spec().layers])"
        ],
        "uses the course's utils.exercises.keras_model.digits_spec",
    ),
    "what data imports, after what it defines": (
        [f"{BUILD}\nmodel.fit(data.digits().X_train, [[data.as_int('n', 2)]])"],
        "uses the course's utils.data.as_int",
    ),
    "what data imports": (
        ["model = Sequential([keras.Input(shape=(data.as_int('n', 2),)), Dense(1)])"],
        "uses the course's utils.data.as_int",
    ),
    "the data module passed around": (
        ["d = data\nmodel = Sequential([keras.Input(shape=(2,)), Dense(1)])\nmodel.fit(d, Y)"],
        "uses the course's utils.data:",
    ),
    "getattr of a name built": (
        ["model = getattr(net, 'to_' + 'keras')()"],
        "getattr of a name made at run time",
    ),
    "getattr passed around": (["g = getattr\nmodel = g(net, 'to_keras')()"], "getattr"),
    "getattr of a literal": (["model = getattr(net, 'to_keras')()"], TO_KERAS),
    "operator.attrgetter": (
        ["import operator\nmodel = operator.attrgetter('to_keras')(net)()"],
        TO_KERAS,
    ),
    "a double-underscore attribute": (
        ["model = type(net).__mro__[0](2, []).to_keras()"],
        "__mro__",
    ),
    "exec": ([CLEAN, "exec('model = net.to_keras()')"], f"uses exec, {UNSEEN}"),
    "exec alone": (["exec('model = net.to_keras()')"], f"uses exec, {UNSEEN}"),
    "eval": (["model = eval('net.to_keras()')"], f"uses eval, {UNSEEN}"),
    "compile": ([CLEAN, "code = compile('model = 1', 'f', 'exec')"], f"uses compile, {UNSEEN}"),
    "globals()": ([CLEAN, "globals()['model'] = net.to_keras()"], f"uses globals, {UNSEEN}"),
    "locals()": ([CLEAN, "locals()['model'] = net.to_keras()"], f"uses locals, {UNSEEN}"),
    "vars()": ([CLEAN, "vars()['model'] = net.to_keras()"], f"uses vars, {UNSEEN}"),
    "__import__": (
        ["model = __import__('utils.network').network.Network(2, []).to_keras()"],
        f"uses __import__, {UNSEEN}",
    ),
    "importlib": (
        ["import importlib\nmodel = importlib.import_module('utils.network')"],
        f"uses import_module, {UNSEEN}",
    ),
    "from importlib": (
        ["from importlib import import_module as im\nmodel = im('utils.network')"],
        f"uses import_module, {UNSEEN}",
    ),
    "sys.modules": (
        ["import sys\nmodel = sys.modules['utils.network'].Network(2, []).to_keras()"],
        f"uses sys.modules, {UNSEEN}",
    ),
    "builtins": (
        ["import builtins\nbuiltins.model = net.to_keras()", CLEAN],
        f"uses builtins, {UNSEEN}",
    ),
    "__main__": ([CLEAN, "import __main__\n__main__.model = net.to_keras()"], "uses __main__"),
    "setattr of a name built": (
        [CLEAN, "import sys\nsetattr(keras, 'Seq' + 'uential', None)"],
        "uses setattr of a name made at run time",
    ),
    "a frame": (
        [CLEAN, "import inspect\ninspect.currentframe().f_globals['model'] = net.to_keras()"],
        f"uses f_globals, {UNSEEN}",
    ),
    "IPython's run_cell": (
        [CLEAN, "get_ipython().run_cell('model = net.to_keras()')"],
        f"uses get_ipython, {UNSEEN}",
    ),
    "IPython imported under another name": (
        [CLEAN, "from IPython import get_ipython as ip\nip().run_cell('model = 1')"],
        f"uses get_ipython, {UNSEEN}",
    ),
    "a line magic": ([CLEAN, "%time model = net.to_keras()"], f"uses %time, {UNSEEN}"),
    "a cell magic": ([CLEAN, "%%capture\nmodel = net.to_keras()"], f"uses %%capture, {UNSEEN}"),
    "a shell command": ([CLEAN, "!echo"], f"uses a shell command (!), {UNSEEN}"),
    "a shell command's output": ([CLEAN, "files = !ls"], f"uses a shell command (!), {UNSEEN}"),
    "IPython's shell by its class": (
        [
            CLEAN,
            "from IPython.core.interactiveshell import InteractiveShell\n"
            "InteractiveShell.instance().run_cell('model = net.to_keras()')",
        ],
        f"uses run_cell, {UNSEEN}",
    ),
    "sys.path": (
        [CLEAN, "import sys as s\ns.path.insert(0, '.')\nimport helpers"],
        f"uses sys.path, {UNSEEN}",
    ),
    "sys.path imported": ([CLEAN, "from sys import path\npath.append('.')"], "uses sys.path"),
    "IPython's output history": (
        ["net.to_keras()", "model = Out[3]"],
        "is built with Out, which is not defined in the notebook's code",
    ),
    "the last output": (["net.to_keras()", "model = _"], "is built with _, which is not defined"),
    "a saved model": (
        ["net.to_keras().save('m.keras')", "model = keras.models.load_model('m.keras')"],
        "is built from a file (load_model)",
    ),
    "saved weights": ([CLEAN, "model.load_weights('w.weights.h5')"], "from a file (load_weights)"),
    "a pickle": (
        ["import pickle\nmodel = pickle.loads(pickle.dumps(net.to_keras()))"],
        "from a file (loads)",
    ),
    "a function that rebinds the global": (
        ["def build():\n    global model\n    model = net.to_keras()", CLEAN, "build()"],
        "which a function rebinds (global model)",
    ),
    "a module of the student's": (
        ["import helpers\nmodel = helpers.build()"],
        "is built with the module helpers, which the grader does not follow",
    ),
}

# Right answers written other ways: (cells after PRELUDE).
RIGHT = {
    "Sequential": [CLEAN, CHECK],
    ".add": [
        "model = Sequential()\nmodel.add(keras.Input(shape=(2,)))\n"
        f"model.add(Dense(1, activation='sigmoid'))\n{FIT}",
        CHECK,
    ],
    "the functional API": [
        "inputs = keras.Input(shape=(2,))\noutputs = Dense(1, activation='sigmoid')(inputs)\n"
        f"model = keras.Model(inputs, outputs)\n{FIT}"
    ],
    "a helper function": [
        "def build(units):\n    return Sequential([keras.Input(shape=(2,)), Dense(units)])",
        f"model = build(1)\n{FIT}",
    ],
    "a loop": [
        "model = Sequential([keras.Input(shape=(2,))])\n"
        f"for units in (3, 1):\n    model.add(Dense(units, activation='sigmoid'))\n{FIT}"
    ],
    "the data's functions imported": [
        "from utils.data import coffee_roasting\nXs, ys = coffee_roasting().X_train, 0",
        f"{BUILD}\nmodel.fit(Xs, ys)",
    ],
    "a course model first, a clean one last": ["model = net.to_keras()", CLEAN, CHECK],
    "matplotlib set": ["import matplotlib.pyplot as plt\nplt.rcParams['font.size'] = 9", CLEAN],
    "its history plotted": [
        f"{BUILD}\nhistory = model.fit(X, Y, epochs=5, batch_size=len(X))",
        "import matplotlib.pyplot as plt\nplt.plot(history.history['loss'])\nplt.show()",
    ],
    "shown": [CLEAN, "print(model.summary())\ndisplay(model)\n%matplotlib inline"],
    "the stub": ["model = None", CHECK],
}


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_to_the_course_code_is_refused(route):
    cells, named = ROUTES[route]
    refusal = course_route([*PRELUDE, *cells, CHECK], "model", DATA)
    assert refusal is not None and named in refusal, refusal


@pytest.mark.parametrize("way", RIGHT)
def test_right_models_written_other_ways_are_accepted(way):
    assert course_route([*PRELUDE, *RIGHT[way]], "model", DATA) is None


def test_the_data_is_handed_over_only_to_an_exercise_that_fits():
    assert handed_over(check_model) == DATA
    assert handed_over(EXERCISES["lab2-keras"]["price_model"]) == ()
    refusal = course_route([*PRELUDE, CLEAN], "model", ())
    assert refusal == ("uses the course's utils.data.coffee_roasting: build it with keras yourself")


def test_a_flow_made_costly_to_follow_is_refused():
    aliases = "".join(f"a{i} = a{i - 1}\n" for i in range(1, 3000))
    chain = f"{BUILD.replace('model', 'a0')}\n{aliases}model = a2999"
    refusal = course_route([*PRELUDE, chain], "model", DATA)
    assert refusal.startswith("is built by more code than the grader follows")
    calls = "".join(f"def f{i}():\n    return f{i + 1}()\n" for i in range(900))
    nested = f"{calls}def f900():\n    return {BUILD[len('model = ') :]}\nmodel = f0()"
    refusal = course_route([*PRELUDE, nested], "model", DATA)
    assert refusal.startswith("is built by code nested deeper than the grader follows")


def _from_deep_in_the_stack(frames, f, *args):
    """``f(*args)`` called ``frames`` Python frames deeper than here."""
    return f(*args) if frames == 0 else _from_deep_in_the_stack(frames - 1, f, *args)


def test_a_cell_the_grader_cannot_parse_but_the_kernel_can_is_refused():
    """Python's parser gives up on deep nesting at a depth that shrinks with the caller's
    own stack: a cell a kernel compiles near the top of its stack may raise RecursionError in
    the grader, called from deeper. Skipping it as 'never ran' would hide the model it binds
    (a student pads the cell with a long sum to that end); only a SyntaxError, which every
    parser raises alike, means the cell never ran."""
    padded = "model = net.to_keras()\npadding = " + "1 + " * 2000 + "1"
    compile(padded, "<cell>", "exec")  # the kernel runs it
    refusal = _from_deep_in_the_stack(600, course_route, [*PRELUDE, padded], "model", DATA)
    assert refusal is not None and "in a cell the grader cannot parse" in refusal
    typo = "model = net.to_keras(\n"  # a cell with a syntax error never ran, anywhere
    assert course_route([*PRELUDE, typo, CLEAN], "model", DATA) is None


def test_code_that_never_binds_the_answer_is_not_refused():
    assert course_route("model.fit(X, y, epochs=2)", "model", DATA) is None
    assert course_route([], "model") is None
    with pytest.raises(ValueError, match="answer"):
        course_route([], "not a name")


def test_the_checker_refuses_it_in_a_notebook_and_in_the_grader(capsys):
    cells = [*PRELUDE, *ROUTES["direct"][0], CHECK]
    expected = check_model.expected()
    result = check_model.verdict(expected, {"none": True}, cells)
    assert not result.passed
    assert result.message == f"✗ model {TO_KERAS}"
    assert check_model(None, source=cells).message == result.message
    assert capsys.readouterr().out == result.message + "\n"
    assert (
        "is None"
        in check_model.verdict(expected, {"none": True}, [*PRELUDE, "model = None"]).message
    )


def _code_cells(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]


KERAS = [
    (lab.__name__.rsplit(".", 1)[1], label, answer)
    for lab in LABS
    for label, answers in lab.EXERCISES.items()
    for answer, checker in answers.items()
    if checker.kind == "keras"
]


@pytest.mark.parametrize(("lab", "label", "answer"), KERAS)
def test_every_lab_solution_is_accepted_and_a_route_in_it_refused(lab, label, answer):
    (path,) = ROOT.glob(f"labs/{lab[3:]}_*.ipynb")
    cells = ["".join(c) if isinstance(c, list) else c for c in _code_cells(path)]
    handed = handed_over(EXERCISES[label][answer])
    assert course_route(cells, answer, handed) is None
    route = f"{answer} = Network(2, [Layer(1, 'sigmoid')]).to_keras()"
    refusal = course_route([*cells, "from utils.network import Layer, Network", route], answer)
    assert refusal == TO_KERAS


GRADER_SLOT = 20  # the kernels' sandbox slot of this test: no other test file uses it
DIGITS_MODEL = (  # Lab 3's model, compiled as its exercise asks
    "digits_model.compile(loss=keras.losses.SparseCategoricalCrossentropy(),\n"
    "                     optimizer=keras.optimizers.Adam(learning_rate=1e-3))\n"
    "check_digits_model(digits_model)"
)
THROUGH_THE_COURSE = (
    "import keras\nfrom utils.network import Layer, Network\n"
    "layers = [Layer(25, 'relu'), Layer(15, 'relu'), Layer(10, 'softmax')]\n"
    f"digits_model = Network(64, layers, seed=0).to_keras()\n{DIGITS_MODEL}"
)


@grading.needs_sandbox
def test_the_grader_gives_a_model_built_through_the_course_0_and_says_why(tmp_path):
    """Lab 3's model, right but built by the course's Network: 0, and the reason."""
    folder, out = tmp_path / "submissions", tmp_path / "out"
    folder.mkdir()
    submission = grading.notebook(
        ("code", grading.IMPORTS),
        ("md", grading.EXERCISE),
        ("code", grading.RIGHT + "\ncheck_my_softmax(my_softmax)"),
        grading.KERAS[0],
        ("code", THROUGH_THE_COURSE),
    )
    (folder / "course.ipynb").write_text(json.dumps(submission), encoding="utf-8")
    grader.grade(folder, out, log=lambda line: None, slot=GRADER_SLOT)
    with (out / "grades.csv").open(encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    assert (row["lab3-softmax"], row["lab3-keras-model"], row["note"]) == ("1", "0", "")
    feedback = (out / "feedback" / row["feedback"]).read_text(encoding="utf-8")
    assert f"✗ digits_model {TO_KERAS}" in feedback


def test_a_model_the_lab_builds_from_the_network_is_not_the_answer_rebuilt_after_it():
    """Lab 8's own cells bind ``model`` with the network's weights; an answer of that name
    built afterwards is followed from its own binding only."""
    (path,) = ROOT.glob("labs/08_*.ipynb")
    cells = ["".join(c) if isinstance(c, list) else c for c in _code_cells(path)]
    assert course_route(cells, "model").startswith("uses the course's")
    clean = f"import keras\n{BUILD.replace('Sequential', 'keras.Sequential')}"
    clean = clean.replace("Dense", "keras.layers.Dense")
    assert course_route([*cells, clean], "model") is None
