"""The course's benchmark: `make bench` measures how fast and how accurate the code is.

Not a test (nothing here asserts a time): it measures, marks each target as met or missed,
writes every number to `_build/bench.json`, and regenerates the tables between the
`<!-- bench:... -->` markers of README.md and intro.md from that file (nobody pastes
numbers). Each lab is timed against the *floor*, a notebook with only the labs' set-up
cell and `import keras` (kernel start and TensorFlow import), timed in the same run, each
the best of two rounds (floor, then every lab): absolute seconds on a shared machine vary
by 2x from run to run, ratios hold.

`python -m tools.bench --tables` only regenerates the tables from `_build/bench.json`;
`--quick` skips the labs, nbval and the book and leaves the tables alone;
`--lab labs/NN_x.ipynb ...` only times those labs against the floor (a lab author's check);
`--grading` only measures the grader (as root: it needs its sandbox), adds it to the JSON
and regenerates the tables.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.layout import ROOT, labs

LABS = labs()
BIN = Path(sys.executable).parent
RESULTS = ROOT / "_build" / "bench.json"
FLOOR_TARGET = 2.0  # a lab may take at most this many floors (CONTRIBUTING, "Time budgets")
GRADING_LAB = LABS[-1]  # the lab whose copies the grader is timed on
GRADING_COPIES = 4  # a small class: copies of that lab, each graded as a submission
GRADING_TARGETS = {"per_lab": 1.2, "speedup": 1.7}  # at most x the lab alone; 2 workers vs 1


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


def execute_seconds(nb, folder: Path) -> float:
    """Wall seconds to run notebook ``nb`` top to bottom in a fresh kernel (started included)."""
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(folder)}}
    )
    return timed(client.execute)[0]


def floor_notebook():
    """The floor: the labs' set-up cell, then `import keras` (what every lab pays first)."""
    lab = nbformat.read(LABS[0], as_version=4)
    setup = nbformat.v4.new_code_cell(next(c for c in lab.cells if c.cell_type == "code").source)
    return nbformat.v4.new_notebook(cells=[setup, nbformat.v4.new_code_cell("import keras")])


def lab_times(labs=LABS, rounds=2):
    """Seconds for the floor and each lab: each the best of ``rounds`` runs, a round being
    the floor and then every lab, so the floor and the labs are measured alike.

    Each lab runs in a copy (labs/ is untouched), in its own folder, as a student runs it.
    """
    floor, times = [], {path.stem: [] for path in labs}
    for _ in range(rounds):
        floor.append(execute_seconds(floor_notebook(), ROOT / "labs"))
        for path in labs:
            nb = nbformat.read(path, as_version=4)
            times[path.stem].append(execute_seconds(nb, path.parent))
    return min(floor), {name: min(seconds) for name, seconds in times.items()}


def lab_ratios(labs):
    """Print the floor and each of ``labs`` as a multiple of it (nothing is written)."""
    floor, times = lab_times([Path(p).resolve() for p in labs])
    load = os.getloadavg()[0]
    print(f"floor {floor:.1f} s (load average {load:.1f})")
    for name, seconds in times.items():
        verdict = "met" if seconds <= FLOOR_TARGET * floor else "missed"
        print(f"{name}: {seconds:.1f} s = {seconds / floor:.2f} x floor "
              f"(target <= {FLOOR_TARGET:g}: {verdict})")


def grading_times(lab=GRADING_LAB, copies=GRADING_COPIES):
    """The grader against the lab: seconds to run ``lab`` alone, and to grade ``copies`` of it
    with one worker and with two, measured in one run (the grader needs root: its sandbox)."""
    from tools import grade  # here: only --grading needs the grader and its sandbox

    nb = nbformat.read(lab, as_version=4)
    alone = execute_seconds(nb, lab.parent)
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        subs = Path(tmp) / "submissions"
        subs.mkdir()
        for k in range(copies):
            shutil.copy(lab, subs / f"student{k}.ipynb")
        seconds = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            grade.grade(subs, Path(tmp) / f"out{jobs}", log=lambda _: None, jobs=jobs)
            seconds[jobs] = time.perf_counter() - start
    return {
        "lab": lab.stem,
        "copies": copies,
        "lab_alone_s": alone,
        "jobs1_s": seconds[1],
        "jobs2_s": seconds[2],
        "per_lab": seconds[1] / copies / alone,
        "speedup": seconds[1] / seconds[2],
    }


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
    # utils is imported only after digits_runs' lab.setup(), which must precede TensorFlow
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
    # lab.setup() fixes TensorFlow's settings before anything imports it; the rest after it
    from utils import lab

    lab.setup()
    import numpy as np  # after lab.setup(), which fixes BLAS threads before numpy loads
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


def lab_title(path: Path) -> str:
    """The lab's title: the first `# ` heading of its first markdown cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
    return re.search(r"^# (.+)$", text, flags=re.MULTILINE).group(1).strip()


def measure(epochs: int, quick: bool, grading: bool) -> dict:
    """Every measurement of `make bench`, as one JSON-ready dict (the grader's only with
    ``grading``: it needs root)."""
    results = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_before": os.getloadavg()[0],  # other work on the machine skews every time
    }
    results["import_utils_s"], results["import_loads_tensorflow"] = import_time()
    if not quick:
        floor, times = lab_times()
        results["floor_s"] = floor
        results["labs"] = {
            name: {"title": lab_title(ROOT / "labs" / f"{name}.ipynb"), "seconds": t,
                   "floors": t / floor}
            for name, t in times.items()
        }
        results["nbval_serial_s"] = nbval_time(False)
        results["nbval_parallel_s"] = nbval_time(True)
        results["book_s"] = book_time()
    rows, accuracy, (loop, vector) = digits_runs(epochs)
    results["epochs"] = [
        {"batch": batch, "by_hand_ms": hand, "keras_ms": keras} for batch, hand, keras in rows
    ]
    results["dense_loop_ms"], results["dense_matmul_ms"] = 1000 * loop, 1000 * vector
    results["accuracy"] = accuracy
    if grading:
        results["grading"] = grading_times()
    results["load_after"] = os.getloadavg()[0]
    return results


def conditions(r: dict) -> str:
    """When, where, and how busy the machine was (1-minute load average, before and after)."""
    return (
        f"{r['date']}, {r['machine']}, Python {r['python']}, load average "
        f"{r['load_before']:.1f} before and {r['load_after']:.1f} after"
    )


def readme_table(r: dict) -> list[str]:
    """The README's table: every measure, its value and its target."""
    rows = ["| measure | value | target |", "|---|---|---|"]
    tf = r["import_loads_tensorflow"]
    rows.append(
        f"| `import utils` (all modules) | {r['import_utils_s']:.2f} s, TensorFlow loaded: {tf} "
        f"| no TensorFlow: {mark(not tf)} |"
    )
    if "grading" in r:
        g, most, least = r["grading"], GRADING_TARGETS["per_lab"], GRADING_TARGETS["speedup"]
        rows.append(
            f"| grader, time per notebook / lab {g['lab']} run alone | "
            f"{g['jobs1_s'] / g['copies']:.1f} s / {g['lab_alone_s']:.1f} s = {g['per_lab']:.2f}x "
            f"| <= {most:g}x: {mark(g['per_lab'] <= most)} |"
        )
        rows.append(
            f"| grader, {g['copies']} notebooks, `--jobs 1` / `--jobs 2` | "
            f"{g['jobs1_s']:.0f} s / {g['jobs2_s']:.0f} s = {g['speedup']:.2f}x throughput "
            f"| >= {least:g}x on 2 cores: {mark(g['speedup'] >= least)} |"
        )
    if "labs" in r:
        rows.append(f"| floor: set-up cell and `import keras` | {r['floor_s']:.1f} s | |")
        for name, lab in r["labs"].items():
            rows.append(
                f"| lab {name} | {lab['seconds']:.1f} s = {lab['floors']:.1f} floors "
                f"| <= {FLOOR_TARGET:g} floors: {mark(lab['floors'] <= FLOOR_TARGET)} |"
            )
        nbval = (("nbval_serial_s", "serial"), ("nbval_parallel_s", "-n 2 --dist loadfile"))
        for key, how in nbval:
            t = r[key]
            rows.append(f"| nbval suite, {how} | {t:.0f} s | < 120 s: {mark(t < 120)} |")
        rows.append(f"| book build (--all -W -n) | {r['book_s']:.0f} s | |")
    for e in r["epochs"]:
        hand, keras = e["by_hand_ms"], e["keras_ms"]
        rows.append(
            f"| digits 25-15-10, batch {e['batch']}: ms per epoch by hand / Keras | "
            f"{hand:.1f} / {keras:.1f} (ratio {hand / keras:.2f}) "
            f"| by hand no slower: {mark(hand <= keras)} |"
        )
    loop, matmul = r["dense_loop_ms"], r["dense_matmul_ms"]
    rows.append(
        f"| dense layer on 360 digits, loop per unit / one matmul | {loop:.1f} ms / "
        f"{matmul:.3f} ms ({loop / matmul:.0f}x) | |"
    )
    for who, acc in r["accuracy"].items():
        rows.append(f"| digits test accuracy, {who} | {acc:.4f} | >= 0.96: {mark(acc >= 0.96)} |")
    return rows


def intro_table(r: dict) -> list[str]:
    """The landing page's table: each lab's run time and how many floors it is."""
    rows = [
        f"Measured by `make bench` ({conditions(r)}); the floor, a notebook that only sets up "
        f"and imports Keras, took {r['floor_s']:.1f} s.",
        "",
        "| Lab | Title | Run time | Floors |",
        "| --- | --- | --- | --- |",
    ]
    for number, lab in enumerate(r["labs"].values(), start=1):
        rows.append(f"| {number} | {lab['title']} | {lab['seconds']:.0f} s | {lab['floors']:.1f} |")
    return rows


def replace_between_markers(text: str, name: str, lines: list[str]) -> str:
    """``text`` with the lines between ``<!-- bench:name -->`` and ``<!-- bench:name end -->``
    replaced by ``lines`` (ValueError when the markers are missing)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- bench:{name} end -->"
    pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), flags=re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"markers {start} ... {end} not found")
    return pattern.sub(lambda _: "\n".join([start, *lines, end]), text, count=1)


def write_tables(r: dict) -> None:
    """Regenerate the benchmark tables of README.md and intro.md from the results ``r``."""
    readme = ROOT / "README.md"
    text = replace_between_markers(
        readme.read_text(encoding="utf-8"),
        "readme",
        [f"Measured on {conditions(r)}:", "", *readme_table(r)],
    )
    readme.write_text(text, encoding="utf-8")
    intro = ROOT / "intro.md"
    text = replace_between_markers(intro.read_text(encoding="utf-8"), "intro", intro_table(r))
    intro.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30, help="digits epochs at batch size 32")
    parser.add_argument("--quick", action="store_true", help="skip labs, nbval and book timings")
    parser.add_argument("--tables", action="store_true", help="only rewrite the tables from JSON")
    parser.add_argument("--grading", action="store_true", help="only measure the grader (root)")
    parser.add_argument("--lab", nargs="+", metavar="NOTEBOOK",
                        help="only time these labs against the floor and print the ratios")
    args = parser.parse_args()

    if args.lab:
        lab_ratios(args.lab)
        return
    if args.tables:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    elif args.grading:
        results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
        results["grading"] = grading_times()
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    else:
        results = measure(args.epochs, args.quick, os.geteuid() == 0)
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    if "epochs" not in results:  # --grading alone, before any full bench: no tables yet
        print(json.dumps(results["grading"], indent=1))
        return
    print("\n".join(readme_table(results)))
    if "labs" in results:
        write_tables(results)
        print("regenerated the benchmark tables of README.md and intro.md")


if __name__ == "__main__":
    main()
