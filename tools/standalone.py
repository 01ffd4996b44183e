"""A lab opened alone, as on Colab: it installs the course package and prints what the book shows.

``python -m tools.standalone --venv .venv-colab --python python3 labs/03_softmax.ipynb``
(``make matrix`` runs it):

1. a virtual environment with only what Colab already has (TensorFlow, Keras, numpy,
   matplotlib, scikit-learn, the kernel), at the pins of ``requirements.txt``;
2. the lab copied alone into an empty folder and run by nbval in a kernel of that
   environment, with ``NN_LABS_SOURCE`` pointing at a copy of this working tree (pip builds
   the package from the folder): every cell after the first must print exactly its committed
   output (the first prints what it installs);
3. the first cell alone, with a different package named ``utils`` installed: it must stop
   with the message that says so; and with ``NN_LABS_SOURCE`` empty and no utils, with the
   message that asks for it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.layout import ROOT
from tools.setup_cell import first_code_cell

# What a Colab runtime already has, by the names requirements.txt pins them under.
COLAB_PACKAGES = {"tensorflow-cpu", "tensorflow", "keras", "numpy", "matplotlib", "scikit-learn",
                  "ipykernel", "cloudpickle"}
KERNEL = "nn-labs-standalone"
ANOTHER_UTILS = "a different package named utils"  # the first cell's message
NO_SOURCE = "set NN_LABS_SOURCE"


def colab_pins(requirements: Path = ROOT / "requirements.txt") -> list[str]:
    """The lines of ``requirements`` that pin a package Colab already has (markers kept)."""
    pins = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        name = re.split(r"[=<>!~;\s\[]", line, maxsplit=1)[0].lower()
        if name in COLAB_PACKAGES:
            pins.append(line)
    return pins


def working_tree_copy(dest: Path, root: Path = ROOT) -> Path:
    """Every file git tracks or would track (not ignored), as it is now, copied to ``dest``."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = root / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def make_venv(venv: Path, python: str) -> Path:
    """The Colab-like environment (created once, pins re-applied every run); its Python."""
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not py.exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as pins:
        pins.write("\n".join(colab_pins()) + "\n")
    pip = [str(py), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", pins.name], check=True)
    os.unlink(pins.name)
    # The course package must be missing when a lab starts, as on a fresh Colab runtime.
    subprocess.run([str(py), "-m", "pip", "uninstall", "-q", "-y", "nn-training-labs", "utils"],
                   check=True)
    return py


def kernelspec(folder: Path, py: Path) -> Path:
    """A Jupyter data folder with one kernel, ``KERNEL``, that runs ``py``."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [str(py), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Colab-like", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    return folder


def run_lab_alone(lab: Path, work: Path, env: dict) -> None:
    """nbval on a copy of ``lab`` alone in a folder; the first cell's output is not compared."""
    run = work / "run"
    (run / "lab").mkdir(parents=True)
    shutil.copy(ROOT / "conftest.py", run / "conftest.py")  # never compare stderr; IPC kernels
    notebook = json.loads(lab.read_text(encoding="utf-8"))
    first = first_code_cell(notebook)
    first.setdefault("metadata", {}).setdefault("tags", []).append("nbval-ignore-output")
    copy = run / "lab" / lab.name
    copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    source = env["NN_LABS_SOURCE"]
    print(f"== nbval on {lab.name} alone in an empty folder, NN_LABS_SOURCE={source}")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
               "--nbval-kernel-name", KERNEL, "--rootdir", str(run), str(copy)]
    subprocess.run(command, cwd=run, env=env, check=True)


def first_cell_error(lab: Path, work: Path, env: dict) -> str:
    """Run only the lab's first cell in the kernel; the error it stops with ("" if none)."""
    notebook = nbformat.reads(lab.read_text(encoding="utf-8"), as_version=4)
    notebook.cells = [first_code_cell(notebook)]
    folder = Path(tempfile.mkdtemp(dir=work))
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        kernel = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(folder / "kernel"))
        NotebookClient(notebook, km=kernel, timeout=600,
                       resources={"metadata": {"path": str(folder)}}).execute()
    except CellExecutionError as error:
        return str(error)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return ""


def said(error: str, wanted: str) -> str:
    """The line of a cell's error that holds ``wanted``, to show what the student reads."""
    lines = [line for line in error.splitlines() if wanted in line]
    return f"   it said: {lines[-1].strip()}" if lines else "   it did not say it"


def install_another_utils(py: Path, work: Path) -> None:
    """pip-install a package named utils that is not the course's into the environment."""
    package = work / "another-utils"
    (package / "utils").mkdir(parents=True)
    (package / "utils" / "__init__.py").write_text('"""Someone else\'s utils."""\n')
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "utils"\nversion = "1.0"\n'
        '[tool.setuptools]\npackages = ["utils"]\n'
    )
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(package)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab", type=Path, help="the lab to run alone, e.g. labs/03_softmax.ipynb")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-colab")
    parser.add_argument("--python", default="python3", help="the Python of that environment")
    args = parser.parse_args(argv)

    lab = args.lab.resolve()
    py = make_venv(args.venv.absolute(), args.python)
    failures = []
    with tempfile.TemporaryDirectory(prefix="standalone-") as tmp:
        work = Path(tmp)
        course = working_tree_copy(work / "course")
        env = dict(os.environ, JUPYTER_PATH=str(kernelspec(work / "jupyter", py)),
                   NN_LABS_SOURCE=str(course), PYTHONHASHSEED="0")
        run_lab_alone(lab, work, env)

        subprocess.run([str(py), "-m", "pip", "uninstall", "-q", "-y", "nn-training-labs"],
                       check=True)
        print("== the first cell with NN_LABS_SOURCE empty and no course package")
        error = first_cell_error(lab, work, dict(env, NN_LABS_SOURCE=""))
        print(said(error, NO_SOURCE))
        if NO_SOURCE not in error:
            failures.append(f"with no source, the first cell said: {error or 'nothing'}")

        print("== the first cell with a different package named utils installed")
        install_another_utils(py, work)
        error = first_cell_error(lab, work, env)
        print(said(error, ANOTHER_UTILS))
        subprocess.run([str(py), "-m", "pip", "uninstall", "-q", "-y", "utils"], check=True)
        if ANOTHER_UTILS not in error:
            failures.append(f"with another utils, the first cell said: {error or 'nothing'}")
    for failure in failures:
        print("FAILED:", failure)
    print("standalone lab: " + ("failed" if failures else "every check passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
