"""The course's benchmark: `make bench` prints how fast and how accurate the code is.

Not a test (nothing here asserts a time): it measures and prints a table, and marks each
target as met or missed. Run from the repository root with the venv's Python.
"""

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "labs").glob("*.ipynb"))
BIN = Path(sys.executable).parent


def timed(fn, repeat=1):
    """Best wall time of ``repeat`` calls of ``fn()`` in seconds, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(cmd, **kwargs):
    """Run ``cmd`` in the repository root; fail loudly with its output if it fails."""
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def import_time():
    """Seconds to `import utils` and every module in it, and whether TensorFlow got loaded."""
    code = (
        "import pkgutil, importlib, sys, time; t = time.perf_counter(); import utils; "
        "[importlib.import_module('utils.' + m.name) "
        "for m in pkgutil.iter_modules(utils.__path__)]; "
        "print(time.perf_counter() - t, 'tensorflow' in sys.modules)"
    )
    seconds, loaded = run([sys.executable, "-c", code]).stdout.split()
    return float(seconds), loaded == "True"


def lab_times():
    """Seconds to execute each lab top to bottom (in a temporary copy; labs/ is untouched)."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in LABS:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=600,
            resources={"metadata": {"path": str(path.parent)}},
        )
        times[path.stem], _ = timed(client.execute)
    return times


def nbval_time(parallel):
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "labs",
    ]
    if parallel:
        cmd[3:3] = ["-n", "2", "--dist", "loadfile"]
    return timed(lambda: run(cmd))[0]


def book_time():
    with tempfile.TemporaryDirectory() as out:
        cmd = [
            str(BIN / "jupyter-book"),
            "build",
            ".",
            "--all",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            out,
        ]
        return timed(lambda: run(cmd))[0]


LAYERS_SPEC = ((25, "relu"), (15, "relu"), (10, "linear"))


def epoch_times(split, batch, epochs):
    """ms per epoch of the digits network trained by hand and by Keras ``fit``, same steps.

    Returns ``(label, hand_ms, keras_ms, net, model)``; ``batch`` None means full batch.
    """
    from utils.losses import loss_keras
    from utils.network import Layer, Network
    from utils.optimizers import Adam
    from utils.training import full_batch_dataset

    X, y = split.X_train, split.y_train
    net = Network(64, [Layer(u, a) for u, a in LAYERS_SPEC], seed=0)
    model = net.to_keras()
    loss = "sparse_categorical_crossentropy"
    model.compile(optimizer=Adam(3e-3).to_keras(), loss=loss_keras(loss, from_logits=True))
    hand, _ = timed(
        lambda: net.fit(
            X, y, loss, Adam(3e-3), epochs=epochs, batch_size=batch, shuffle=False, from_logits=True
        )
    )
    if batch is None:
        inputs = {"x": full_batch_dataset(X, y), "steps_per_epoch": 1}
    else:
        inputs = {"x": X, "y": y, "batch_size": batch}
    keras_s, _ = timed(lambda: model.fit(**inputs, epochs=epochs, shuffle=False, verbose=0))
    label = str(batch) if batch else f"full ({len(X)})"
    return label, 1000 * hand / epochs, 1000 * keras_s / epochs, net, model


def digits_runs(epochs):
    """Epoch times, held-out accuracies and the loop-vs-matmul dense forward on the digits."""
    from utils import lab

    lab.setup()
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    from utils import data, metrics
    from utils.dense import dense_forward, dense_forward_loop

    split = data.digits()
    *mini, net, model = epoch_times(split, 32, epochs)
    *full, _, _ = epoch_times(split, None, 10 * epochs)
    accuracy = {
        "by hand": metrics.accuracy(split.y_test, net.predict(split.X_test)),
        "Keras": metrics.accuracy(split.y_test, model.predict(split.X_test, verbose=0)),
    }
    clf = MLPClassifier(hidden_layer_sizes=(25, 15), max_iter=500, random_state=0)
    clf.fit(split.X_train, split.y_train)
    accuracy["scikit-learn MLPClassifier"] = float(clf.score(split.X_test, split.y_test))
    X, (W, b) = split.X_test, net.params[:2]
    loop, looped = timed(lambda: dense_forward_loop(X, W, b, "relu"), repeat=3)
    vector, (_, vectorised) = timed(lambda: dense_forward(X, W, b, "relu"), repeat=20)
    assert np.allclose(looped, vectorised)
    return [mini, full], accuracy, (loop, vector)


def mark(ok):
    return "met" if ok else "MISSED"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30, help="digits epochs at batch size 32")
    parser.add_argument("--quick", action="store_true", help="skip labs, nbval and book timings")
    args = parser.parse_args()

    print(
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}\n"
    )
    seconds, tf_loaded = import_time()
    print("| measure | value | target |\n|---|---|---|")
    print(
        f"| `import utils` (all modules) | {seconds:.2f} s, TensorFlow loaded: {tf_loaded} "
        f"| no TensorFlow: {mark(not tf_loaded)} |"
    )
    if not args.quick:
        for name, t in lab_times().items():
            print(f"| lab {name} | {t:.1f} s | < 20 s: {mark(t < 20)} |")
        serial, parallel = nbval_time(False), nbval_time(True)
        print(f"| nbval suite, serial | {serial:.0f} s | < 120 s: {mark(serial < 120)} |")
        print(
            f"| nbval suite, -n 2 --dist loadfile | {parallel:.0f} s | < 120 s: "
            f"{mark(parallel < 120)} |"
        )
        print(f"| book build (--all -W -n) | {book_time():.0f} s | |")
    rows, accuracy, (loop, vector) = digits_runs(args.epochs)
    for batch, hand_ms, keras_ms in rows:
        print(
            f"| digits 25-15-10, batch {batch}: ms per epoch by hand / Keras | "
            f"{hand_ms:.1f} / {keras_ms:.1f} (ratio {hand_ms / keras_ms:.2f}) "
            f"| by hand no slower: {mark(hand_ms <= keras_ms)} |"
        )
    print(
        f"| dense layer on 360 digits, loop per unit / one matmul | {1000 * loop:.1f} ms / "
        f"{1000 * vector:.3f} ms ({loop / vector:.0f}x) | |"
    )
    for who, acc in accuracy.items():
        print(f"| digits test accuracy, {who} | {acc:.4f} | >= 0.96: {mark(acc >= 0.96)} |")


if __name__ == "__main__":
    main()
