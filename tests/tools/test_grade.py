"""tools/grade.py: every kind of bad submission gives a row with a note, what can be graded is,
and no submission can change its own or anyone else's grade.

The fast tests grade small synthetic notebooks of Lab 3's exercise (no TensorFlow); grading the
eight full labs and their student editions takes minutes and runs in `make matrix`.
"""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.support import ROOT
from tests.support.grading import (
    EXERCISE,
    IMPORTS,
    KERAS,
    RIGHT,
    STUB,
    lab3,
    notebook,
    small_class,
)
from tools import grade as grader
from tools import sandbox, student, verdict
from tools import submissions as submission_files

SLOT = 1  # the kernels' sandbox slot here: other test files grade in parallel in others
JOBS_SLOT = 6  # the first of the slots (6, 7) of the test of --jobs


def run_grader(tmp_path, submissions, **limits):
    """Write ``submissions`` (name -> notebook dict or raw text), grade them; return the rows
    of grades.csv by submission, the feedback folder, and the Graded list."""
    folder = tmp_path / "submissions"
    for name, content in submissions.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    limits = {"cell_timeout": 20, "notebook_timeout": 120, **limits}
    graded = grader.grade(folder, out, log=lambda line: None, slot=SLOT, **limits)
    return read_rows(out), out / "feedback", graded


def read_rows(out):
    """The rows of ``out/grades.csv`` by submission."""
    with (out / "grades.csv").open(encoding="utf-8") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


def page(feedback, rows, name):
    """The feedback page of submission ``name``."""
    return (feedback / rows[name]["feedback"]).read_text(encoding="utf-8")


def test_honest_answers_pass_and_self_grading_changes_nothing(tmp_path):
    patch = (
        "import utils.exercises.grading as g, utils.exercises.lab03 as lab\n"
        "g.FunctionChecker.judge = lambda *a: g.Result(True, '✓ my_softmax: all 6 checks passed')\n"
        "g.Checker.verdict = g.FunctionChecker.judge\n"
        "lab.check_my_softmax = lambda f: print('✓ my_softmax: all 6 checks passed')\n"
        "check_my_softmax = lab.check_my_softmax"
    )
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "alice/lab3.ipynb": lab3(RIGHT + "\ncheck_my_softmax(my_softmax)"),
            "bob/lab3.ipynb": lab3(STUB, ("code", "print('✓ my_softmax: all 6 checks passed')")),
            "carol/lab3.ipynb": lab3(
                STUB, ("code", patch), ("code", "check_my_softmax(my_softmax)")
            ),
            "dave/lab3.ipynb": lab3("from utils.activations import softmax\nmy_softmax = softmax"),
        },
    )
    assert (
        rows["alice/lab3.ipynb"]["lab3-softmax"] == "1" and rows["alice/lab3.ipynb"]["note"] == ""
    )
    for name in ("bob", "carol", "dave"):
        assert rows[f"{name}/lab3.ipynb"]["lab3-softmax"] == "0", name
        assert rows[f"{name}/lab3.ipynb"]["total"] == "0"
    assert "✓ my_softmax: all 6 checks passed" in page(feedback, rows, "alice/lab3.ipynb")
    assert "expected [0.090031" in page(feedback, rows, "carol/lab3.ipynb")
    text = page(feedback, rows, "dave/lab3.ipynb")
    assert "uses the course's utils.activations.softmax: write your own" in text


def test_errors_missing_and_moved_exercises(tmp_path):
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "syntax.ipynb": lab3(RIGHT, ("code", "def broken(:\n    pass")),
            "exception.ipynb": lab3(RIGHT, ("code", "1 / 0")),
            "deleted.ipynb": notebook(("code", IMPORTS), ("code", "x = 1")),
            "moved.ipynb": notebook(
                ("md", EXERCISE), ("code", IMPORTS + "\n" + RIGHT), ("code", "y = 2"), *KERAS
            ),
        },
    )
    assert rows["syntax.ipynb"]["lab3-softmax"] == "1"
    assert rows["syntax.ipynb"]["note"] == "code cell 3 raised SyntaxError: invalid syntax (line 1)"
    assert rows["exception.ipynb"]["lab3-softmax"] == "1"
    assert (
        rows["exception.ipynb"]["note"] == "code cell 3 raised ZeroDivisionError: division by zero"
    )
    assert rows["deleted.ipynb"]["lab3-softmax"] == "0"
    assert rows["deleted.ipynb"]["note"].startswith("exercise lab3-softmax is missing")
    assert "my_softmax is not defined" in page(feedback, rows, "deleted.ipynb")
    assert rows["moved.ipynb"]["lab3-softmax"] == "1" and rows["moved.ipynb"]["note"] == ""


def test_endless_loops_time_limits_and_crashing_kernels(tmp_path, monkeypatch):
    monkeypatch.setitem(verdict.TIMEOUTS, "function", 4)  # the judge's limit for a function
    loop = "def my_softmax(z):\n    while True:\n        pass\n\n\nmy_softmax(1)"
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "loop.ipynb": lab3(loop),
            "exit.ipynb": lab3(RIGHT, ("code", "import os\nos._exit(3)"), ("code", "z = 1")),
            "segfault.ipynb": notebook(
                ("code", "import ctypes\nctypes.string_at(0)"),
                ("code", IMPORTS),
                ("md", EXERCISE),
                ("code", RIGHT),
                *KERAS,
            ),
            # four cells of 3 s each: each within the cell limit, together past the
            # notebook's 9 s however fast the kernel starts
            "slow.ipynb": lab3(RIGHT, *[("code", "import time\ntime.sleep(3)")] * 4),
        },
        cell_timeout=4,
        notebook_timeout=9,
    )
    loop_row = rows["loop.ipynb"]
    assert loop_row["lab3-softmax"] == "0"
    assert loop_row["note"].startswith("code cell 2: stopped at the time limit of 4 s")
    assert "past the time limit of 4 s" in page(feedback, rows, "loop.ipynb")
    exit_row = rows["exit.ipynb"]
    assert exit_row["lab3-softmax"] == "1"  # observed before the crash
    assert exit_row["note"].startswith(
        "code cell 3: the kernel died; kernel restarted, earlier results lost"
    )
    seg_row = rows["segfault.ipynb"]
    assert seg_row["lab3-softmax"] == "1"  # the kernel is restarted and the rest still runs
    assert seg_row["note"].startswith("code cell 1: the kernel died")
    slow_row = rows["slow.ipynb"]
    assert slow_row["lab3-softmax"] == "1"
    assert "the notebook's time limit of 9 s was reached" in slow_row["note"]


def test_files_that_are_not_notebooks(tmp_path):
    rows, feedback, graded = run_grader(
        tmp_path,
        {
            "broken.ipynb": '{"cells": [',
            "list.ipynb": "[1, 2]",
            "cells.ipynb": '{"cells": [{"cell_type": "video"}]}',
            "empty.ipynb": json.dumps(notebook(("code", "x = 1"))),
        },
    )
    assert rows["broken.ipynb"]["note"] == "not valid JSON (line 1, column 12)"
    assert rows["list.ipynb"]["note"] == "not a notebook: no list of cells"
    assert rows["cells.ipynb"]["note"] == "not a notebook: no list of cells"
    assert rows["empty.ipynb"]["note"] == "no exercise of any lab found"
    assert all(row["total"] == "0" for row in rows.values())
    assert "broken.ipynb" in page(feedback, rows, "broken.ipynb")


def test_a_submission_cannot_touch_others_or_the_output(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    cheat = lab3(
        STUB,
        (
            "code",
            f"import json, pathlib\n"
            f"victim = pathlib.Path({str(folder / 'b.ipynb')!r})\n"
            f"nb = json.loads(victim.read_text())\n"
            f"nb['cells'][2]['source'] = 'my_softmax = None'\n"
            f"victim.write_text(json.dumps(nb))\n"
            f"out = pathlib.Path({str(out)!r})\n"
            f"(out / 'feedback').mkdir(parents=True, exist_ok=True)\n"
            f"(out / 'feedback' / 'forged.md').write_text('x')\n"
            f"(out / 'grades.csv').write_text('a.ipynb,1,1,')",
        ),
    )
    rows, feedback, _ = run_grader(tmp_path, {"a.ipynb": cheat, "b.ipynb": lab3(RIGHT)})
    assert rows["a.ipynb"]["lab3-softmax"] == "0"
    assert rows["b.ipynb"]["lab3-softmax"] == "1"  # read before a.ipynb ran
    assert sorted(p.name for p in feedback.iterdir()) == sorted(
        row["feedback"] for row in rows.values()
    )


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="SUBMISSIONS must be a folder"):
        grader.grade(tmp_path / "nowhere", tmp_path / "out")
    with pytest.raises(ValueError, match="cell_timeout must be a positive"):
        grader.grade(tmp_path, tmp_path / "out", cell_timeout=0)
    with pytest.raises(ValueError, match="OUT and SUBMISSIONS must not be inside one another"):
        grader.grade(tmp_path, tmp_path / "out")


def test_answers_are_found_by_the_names_cells_bind():
    assert grader.bound_names("%matplotlib inline\ndef f(x):\n    y = 1\nimport numpy as np") >= {
        "f",
        "np",
    }
    assert grader.bound_names("def broken(:") == set()
    nb = notebook(("code", "from utils.exercises.lab08 import check_sigmoid_unit_gradients"))
    assert grader.exercises_of(nb, grader.utils.exercises.EXERCISES) == (
        ["lab8-dense-backward", "lab8-sigmoid-unit"],
        [],
    )


# ---------------------------------------------------------------- make matrix: the full labs


@pytest.mark.matrix
def test_full_labs_score_every_exercise_and_student_editions_none(tmp_path):
    """The 8 labs as committed pass every exercise; their student editions pass none."""
    folder = tmp_path / "submissions"
    (folder / "full").mkdir(parents=True)
    for path in student.labs():
        shutil.copy(path, folder / "full" / path.name)
    student.write_editions(folder / "student")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tools.grade", str(folder), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr
    with (out / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 16
    n_labels = len(grader.utils.exercises.EXERCISES)
    for row in rows:
        scores = [row[label] for label in grader.utils.exercises.EXERCISES if row[label] != ""]
        want = "1" if row["submission"].startswith("full/") else "0"
        assert scores and set(scores) == {want}, row
        assert row["note"] == "", row
    assert sum(int(r["total"]) for r in rows) == n_labels
    print(result.stdout)


# -------------------- attacks: The grader against a class whose students read its source (s

ATTACK_SLOT = 4  # the kernels' slot in these tests (not the grader's default: runs may overlap)
MIB = 1 << 20
LIMITS = sandbox.Limits(memory_bytes=512 * MIB, processes=64, disk_bytes=64 * MIB)
TIMEOUTS = {"cell_timeout": 4, "notebook_timeout": 10}
WIN = RIGHT.replace("def my_softmax", "def _right")  # a right answer, defined under another name


def breach(*codes):
    """A Lab 3 notebook whose answer is right only if one of ``codes`` (cells) sets ``breach``
    true."""
    verdict = "my_softmax = _right if breach else None"
    cells = [("code", "breach = False")] + [("code", code) for code in codes]
    return lab3(STUB, ("code", WIN), *cells, ("code", verdict))


# A process that outlives its kernel if it can: it writes into every other sandbox's folder
# it finds, and into OUT, until it is killed.
WATCHER = """
import glob, os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
while True:
    for path in glob.glob("/proc/*/root/work") + glob.glob("/kernel*") + [sys.argv[1]]:
        try:
            with open(os.path.join(path, "injected"), "w") as f:
                f.write("my_softmax = None")
        except OSError:
            pass
    time.sleep(0.2)
"""


def attackers(subs, bait, out):
    """name -> notebook (dict) or raw bytes, one or more per attack class."""
    bait_file = bait / "grade.py"
    key_words = ("def my_softmax", "_OUTPUT_PROBLEMS", "FunctionChecker", "EXERCISES")
    return {
        # ---- solutions on disk: the full labs, the answer keys, a classmate's notebook
        "disk.ipynb": breach(
            "import glob, json, os, utils\n"
            "here = os.path.dirname(os.path.dirname(utils.__file__))\n"
            f"tops = [here, '/work', '/tmp', '/root', '/home', '/srv', {str(ROOT)!r}]\n"
            "found = []\n"
            "for top in tops:\n"
            "    for pattern in ('**/*.ipynb', '**/*.py'):\n"
            "        found += glob.glob(os.path.join(top, pattern), recursive=True)\n"
            f"found += glob.glob({str(ROOT / 'labs' / '*.ipynb')!r})\n"
            "found.remove('/work/submission.ipynb')  # its own copy\n"
            f"found += glob.glob({str(ROOT.parent / '*' / 'labs' / '*.ipynb')!r})\n"
            "for path in found:\n"
            "    text = open(path, errors='replace').read()\n"
            f"    breach = breach or any(word in text for word in {key_words!r})\n"
            "    if path.endswith('03_softmax.ipynb'):  # run the lab's solution cells\n"
            "        for cell in json.loads(text)['cells']:\n"
            "            if cell['cell_type'] == 'code':\n"
            "                exec(''.join(cell['source']))",
            "import inspect, utils.exercises.lab03 as lab, utils.exercises.lab02 as lab2\n"
            "names = set(vars(lab)) | set(vars(lab2))\n"
            "source = inspect.getsource(lab) + inspect.getsource(lab2)\n"
            "breach = breach or bool({'EXERCISES', '_OUTPUT_PROBLEMS'} & names)\n"
            f"breach = breach or any(word in source for word in {key_words!r})",
            "import os\n"
            "cmdlines = []\n"
            "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
            "    try:\n"
            "        cmdlines.append(open(f'/proc/{pid}/cmdline', 'rb').read())\n"
            "    except OSError:\n"
            "        pass\n"
            f"secret = ({os.fsencode(subs)!r}, {os.fsencode(out)!r})\n"
            "breach = breach or any(s in c for s in secret for c in cmdlines)\n"
            "breach = breach or any(os.path.exists(os.fsdecode(s)) for s in secret)",
        ),
        "carry1-write.ipynb": breach(
            "for path in ('/tmp/carry', '/work/carry', '/dev/shm/carry', '/var/tmp/carry'):\n"
            "    try:\n"
            "        open(path, 'w').write('carried')\n"
            "    except OSError:\n"
            "        pass"
        ),
        "carry2-read.ipynb": breach(
            "import os\n"
            "places = ('/tmp/carry', '/work/carry', '/dev/shm/carry', '/var/tmp/carry')\n"
            "breach = any(os.path.exists(p) for p in places)"
        ),
        # ---- sandbox escape: links planted for the grader, then a kernel restart
        "escape.ipynb": lab3(
            STUB,
            (
                "code",
                "import os\n"
                f"targets = [{str(bait_file)!r}, {str(ROOT / 'tools' / 'grade.py')!r},\n"
                f"           {str(out)!r}, '/', '/etc/passwd', {str(bait)!r}]\n"
                "for i, target in enumerate(targets):\n"
                "    os.symlink(target, f'/work/link{i}')\n"
                "for name in ('.home', 'kernel', '.kernel', 'kernel-1', 'connection.json'):\n"
                "    os.symlink(targets[0], '/work/' + name)\n"
                "os.symlink('/work', '/tmp/up')\n"
                "os._exit(1)",
            ),
            (
                "code",
                WIN + "import os\n"
                "breach = os.stat('/work').st_uid == 0\n"
                "for i in range(6):\n"
                "    try:\n"
                "        with open(f'/work/link{i}', 'a') as f:\n"
                "            f.write('owned')\n"
                "        breach = True\n"
                "    except OSError:\n"
                "        pass\n"
                "my_softmax = _right if breach else None",
            ),
        ),
        # ---- survivors: detached processes that wait for later kernels and for the end
        "survivor.ipynb": breach(
            "import os, subprocess, sys\n"
            f"argv = [sys.executable, '-c', {WATCHER!r}, {str(out)!r}]\n"
            "subprocess.Popen(argv, start_new_session=True)\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        os.execv(sys.executable, argv)\n"
            "    os._exit(0)"
        ),
        # ---- no limits: memory, processes, disk, network, the grader's environment, time
        "limit-memory.ipynb": lab3(
            RIGHT,
            ("code", "import numpy as np\nhog = [np.ones((64 << 20) // 8) for _ in range(64)]"),
            ("code", "z = 1"),
        ),
        "limit-others.ipynb": breach(
            "import os, signal, time\n"
            "children = []\n"
            "try:\n"
            "    for _ in range(300):\n"
            "        pid = os.fork()\n"
            "        if pid == 0:\n"
            "            time.sleep(60)\n"
            "            os._exit(0)\n"
            "        children.append(pid)\n"
            "except OSError:\n"
            "    pass\n"
            "for pid in children:\n"
            "    os.kill(pid, signal.SIGKILL)\n"
            "    os.waitpid(pid, 0)\n"
            f"breach = len(children) >= {LIMITS.processes}",
            "written = 0\n"
            "for folder in ('/work', '/tmp', '/dev/shm', '/var/tmp', '/'):\n"
            "    try:\n"
            "        with open(folder + '/fill', 'wb') as f:\n"
            "            for _ in range(1 << 12):\n"
            "                f.write(b'1' * (1 << 20))\n"
            "                written += 1 << 20\n"
            "    except OSError:\n"
            "        pass\n"
            "    if os.path.exists(folder + '/fill'):\n"
            "        os.remove(folder + '/fill')\n"
            f"breach = breach or written > 2 * {LIMITS.disk_bytes}",
            "import os, socket\n"
            "breach = breach or 'GRADER_SECRET' in os.environ\n"
            "breach = breach or any('/work/' in v or 'grade' in v for v in os.environ.values())\n"
            "for address in (('1.1.1.1', 53), ('127.0.0.1', 22), ('10.0.0.1', 80)):\n"
            "    try:\n"
            "        socket.create_connection(address, timeout=1)\n"
            "        breach = True\n"
            "    except OSError:\n"
            "        pass",
        ),
        "limit-slow-export.ipynb": lab3(
            RIGHT,
            ("code", "import time\ntime.sleep(2)"),
            (
                "code",
                "import time\n"
                "class Slow:\n"
                "    def __reduce__(self):\n"
                "        time.sleep(120)\n"
                "    def __call__(self, z):\n"
                "        return _slow_right(z)\n"
                "_slow_right = my_softmax\n"
                "my_softmax = Slow()",
            ),
        ),
        # ---- crafted inputs that once ended the run
        "crafted-answers.ipynb": lab3(
            "my_softmax = {(1, 2): 3, (4,): [5]}",
            (
                "code",
                "class Liar:\n"
                "    def __eq__(self, other):\n"
                "        return True\n"
                "    def __getattr__(self, name):\n"
                "        raise SystemExit(0)\n"
                "    def __reduce__(self):\n"
                "        raise KeyboardInterrupt\n"
                "    def __call__(self, *args):\n"
                "        return self\n"
                "digits_model = Liar()",
            ),
            (
                "code",
                "import os, pickle\n"
                "os.makedirs('/work/.answers', exist_ok=True)\n"
                "for name in ('my_softmax', 'digits_model'):\n"
                "    for suffix in ('.pkl', '.keras', '.json'):\n"
                "        with open(f'/work/.answers/{name}{suffix}', 'wb') as f:\n"
                "            f.write(b'{\"passed\": true}' + pickle.dumps({'passed': True}))\n"
                "print('@@observation-' + '0' * 32 + '@@{\"passed\": true}')",
            ),
        ),
        "crafted-fake-pass.ipynb": lab3(
            "def my_softmax(z):\n"
            "    raise ValueError('```\\n\\n## lab3-softmax: passed\\n\\n✓ all passed\\n```')",
            ("code", "raise ValueError('\\n## lab3-softmax: passed\\n```\\n## Notes\\n- none')"),
            ("md", "```{exercise} x\n:label: lab" + "9" * 5000 + "-softmax\n```"),
            ("md", ":label: lab3-" + "x" * 40_000),
        ),
        "crafted-two-labs.ipynb": lab3(
            RIGHT,
            ("md", "```{exercise} ReLU\n:label: lab2-relu\n```"),
            ("code", "import numpy as np\ndef my_relu(z):\n    return np.maximum(z, 0)"),
            ("code", "from utils.exercises.lab02 import check_my_relu"),
        ),
        "crafted-deep.ipynb": ("[" * 100_000 + "]" * 100_000).encode(),
        "crafted-deep-cells.ipynb": json.dumps(
            {"cells": [{"cell_type": "code", "source": ["x"], "outputs": []}]}
        )
        .replace('["x"]', "[" * 50_000 + '"x"' + "]" * 50_000)
        .encode(),
        "crafted-not-utf8.ipynb": b"\xff\xfe{" * 10,
        "crafted-huge-cell.ipynb": lab3(RIGHT, ("code", "x = 1  # " + "y" * (5 << 20))),
        "crafted-many-cells.ipynb": notebook(*[("code", "x = 1")] * 5_000),
        # ---- names: formulas, any bytes, collisions
        "=HYPERLINK(1).ipynb": b"{",
        "+sum.ipynb": b"{",
        "@at.ipynb": b"{",
        b"\xff\xfe x y.ipynb": lab3(RIGHT),
        "xff_xfe_x_y.ipynb": b"{",
        "new\nline.ipynb": b"{",
    }


HONEST = lab3(RIGHT + "\ncheck_my_softmax(my_softmax)")


def write(folder, name, content):
    """Write one submission (a notebook dict, or raw bytes) under ``folder``."""
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    with open(path, "wb") as f:
        f.write(data)


def tree(*folders):
    """{path: (mode, uid, size, mtime, sha256)} of every file, folder and link under
    ``folders`` (links not followed)."""
    seen = {}
    for folder in folders:
        for here, dirs, files in os.walk(folder):
            for name in dirs + files + [""]:
                path = os.path.join(here, name)
                info = os.lstat(path)
                digest = ""
                if os.path.isfile(path) and not os.path.islink(path):
                    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
                seen[path] = (info.st_mode, info.st_uid, info.st_size, info.st_mtime_ns, digest)
    return seen


def run_attack(subs, out, **kw):
    """Grade ``subs`` into ``out`` in this module's slot, limits and time limits."""
    kw.setdefault("log", lambda _: None)
    return grader.grade(subs, out, limits=LIMITS, slot=ATTACK_SLOT, **TIMEOUTS, **kw)


def rows_of(out):
    with (out / "grades.csv").open(encoding="utf-8", newline="") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def attack(tmp_path_factory):
    """Grade the honest notebook alone, then among every attacker; return what was seen."""
    base = tmp_path_factory.mktemp("attack")
    os.environ["GRADER_SECRET"] = "the grader's own"
    try:
        alone = base / "alone"
        write(alone / "submissions", "zz-honest.ipynb", HONEST)
        run_attack(alone / "submissions", alone / "out")
        subs, bait, out = base / "submissions", base / "bait", base / "out"
        write(bait, "grade.py", {"the grader's": "code"})
        write(subs, "zz-honest.ipynb", HONEST)
        for name, content in attackers(subs, bait, out).items():
            write(subs, name, content)
        os.mkfifo(subs / "fifo.ipynb")
        (subs / "link.ipynb").symlink_to(subs / "zz-honest.ipynb")
        (subs / "linked-folder").symlink_to(alone / "submissions", target_is_directory=True)
        watched = (subs, bait, ROOT / "tools", ROOT / "utils", ROOT / "labs", alone)
        before = tree(*watched)
        start = time.monotonic()
        lines = []
        graded = run_attack(subs, out, log=lines.append)
        seconds = time.monotonic() - start
        print("\n".join(lines))
        left = sandbox.processes_of(ATTACK_SLOT)
        grades = (out / "grades.csv").read_bytes()
        time.sleep(1.5)  # a survivor would write now
        return {
            "alone": rows_of(alone / "out"),
            "rows": rows_of(out),
            "graded": {g.name: g for g in graded},
            "out": out,
            "seconds": seconds,
            "left": left,
            "grades": grades,
            "grades_later": (out / "grades.csv").read_bytes(),
            "trees": (before, tree(*watched)),
        }
    finally:
        del os.environ["GRADER_SECRET"]


def test_no_undeserved_point(attack):
    rows = attack["rows"]
    cheaters = [n for n in rows if n.startswith(("disk", "carry", "escape", "survivor"))]
    cheaters += [n for n in rows if n.startswith(("limit-others", "crafted"))]
    cheaters.remove("crafted-two-labs.ipynb")  # right for its own lab: see below
    assert len(cheaters) == 13
    for name in cheaters:
        assert rows[name]["total"] == "0", (name, rows[name])
    for name in ("carry1-write.ipynb", "carry2-read.ipynb", "survivor.ipynb"):
        assert rows[name]["note"] == "", rows[name]  # every attack cell ran to its verdict
    assert rows["disk.ipynb"]["note"] == "also carries exercises of lab02: only lab03 is graded"
    assert rows["escape.ipynb"]["note"].startswith("code cell 3: the kernel died; kernel restarted")
    assert "code cell 4 raised" not in rows["escape.ipynb"]["note"]  # the verdict cell ran
    assert rows["limit-others.ipynb"]["note"] == ""


def test_honest_rows_are_what_they_are_alone(attack):
    alone, rows = attack["alone"], attack["rows"]
    assert rows["zz-honest.ipynb"] == alone["zz-honest.ipynb"]
    assert alone["zz-honest.ipynb"]["lab3-softmax"] == "1"
    name = "\\xff\\xfe x y.ipynb"  # a name of any bytes is graded
    assert (rows[name]["lab3-softmax"], rows[name]["note"]) == ("1", ""), rows[name]
    for name in ("'=HYPERLINK(1).ipynb", "'+sum.ipynb", "'@at.ipynb", "new\\x0aline.ipynb"):
        assert rows[name]["note"].startswith("not valid JSON"), rows[name]


def test_every_crafted_input_gets_its_own_row_and_a_note(attack):
    rows = attack["rows"]
    notes = {
        "crafted-deep.ipynb": "JSON nested too deeply",
        "crafted-deep-cells.ipynb": "JSON nested too deeply",
        "crafted-not-utf8.ipynb": "not UTF-8 text",
        "crafted-huge-cell.ipynb": (
            f"over the limit of {submission_files.MAX_CELL_CHARS}: not graded"
        ),
        "crafted-many-cells.ipynb": f"5000 cells, over the limit of {submission_files.MAX_CELLS}",
        "crafted-two-labs.ipynb": "also carries exercises of lab02: only lab03 is graded",
        "fifo.ipynb": "not a regular file",
        "link.ipynb": "a symbolic link: not followed, not graded",
        "linked-folder": "a symbolic link: not followed, not graded",
    }
    for name, note in notes.items():
        assert note in rows[name]["note"], (name, rows[name])
    assert rows["crafted-two-labs.ipynb"]["lab2-relu"] == ""  # another lab's answer counts not
    assert rows["crafted-two-labs.ipynb"]["lab3-softmax"] == "1"
    found = submission_files.find_submissions(attack["out"].parent / "submissions")
    assert len(rows) == len(found) == len(attackers(*[Path()] * 3)) + 4
    feedback = sorted(p.name for p in (attack["out"] / "feedback").iterdir())
    assert feedback == sorted(row["feedback"] for row in rows.values())
    twins = rows["\\xff\\xfe x y.ipynb"]["feedback"], rows["xff_xfe_x_y.ipynb"]["feedback"]
    assert twins[0] != twins[1] and twins[0][:18] == twins[1][:18] == "xff_xfe_x_y.ipynb-"


def test_no_cell_is_a_formula_and_no_message_fakes_a_verdict(attack):
    text = (attack["out"] / "grades.csv").read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines()):
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    rows = attack["rows"]
    page = (attack["out"] / "feedback" / rows["crafted-fake-pass.ipynb"]["feedback"]).read_text()
    tokens = MarkdownIt().parse(page)
    headings = [
        f"{'#' * int(t.tag[1])} {tokens[i + 1].content}"
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert "lab3-softmax: passed" in page  # the message is there, quoted
    assert headings == [
        "# Feedback",
        "## lab3-softmax: not yet",
        "## lab3-keras-model: not yet",
        "## Notes",
    ]


def test_no_process_left_nothing_written_outside_out_memory_within_the_limit(attack):
    assert attack["left"] == [] and sandbox.processes_of(ATTACK_SLOT) == []
    assert attack["grades"] == attack["grades_later"]  # no survivor rewrote grades.csv
    before, after = attack["trees"]
    assert before == after
    memory = attack["graded"]["limit-memory.ipynb"]
    if "memory" in sandbox.cgroup_controllers():  # killed (or stopped while the machine
        assert memory.notes[0].startswith(  # reclaims what it can at the limit)
            ("code cell 3: the kernel died; kernel restarted", "code cell 3: stopped at the time")
        )
        assert 0 < memory.peak_memory <= LIMITS.memory_bytes
    else:  # no memory cgroup: the address space limit (4 x) refuses the allocation, unless
        assert memory.notes[0].startswith(  # the cell's time limit comes first
            ("code cell 3 raised MemoryError", "code cell 3: stopped at the time")
        ), memory.notes
    assert attack["rows"]["limit-memory.ipynb"]["lab3-softmax"] == "1"  # graded before it died
    slow = attack["graded"]["limit-slow-export.ipynb"]
    assert slow.seconds <= TIMEOUTS["notebook_timeout"] + 3, slow  # answers' time counts


def test_a_stopped_run_resumes_and_loses_nothing(tmp_path):
    """A run stopped after some rows resumes with them; a changed file is graded again."""
    subs, out = tmp_path / "submissions", tmp_path / "out"
    write(subs, "a.ipynb", HONEST)
    write(subs, "b.ipynb", notebook(("code", "x = 1")))  # no kernel needed: no exercise
    calls = []

    def stop_after_first(line):
        calls.append(line)
        if len(calls) == 2:  # the header line, then a.ipynb's
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_attack(subs, out, log=stop_after_first)
    assert list(rows_of(out)) == ["a.ipynb"]
    first = rows_of(out)["a.ipynb"]
    write(subs, "c.ipynb", b"{")
    graded = run_attack(subs, out)
    assert [g.name for g in graded] == ["b.ipynb", "c.ipynb"]
    rows = rows_of(out)
    assert rows["a.ipynb"] == first and rows["c.ipynb"]["note"].startswith("not valid JSON")
    write(subs, "a.ipynb", lab3(STUB))  # changed: graded again, its old row dropped
    graded = run_attack(subs, out)
    assert [g.name for g in graded] == ["a.ipynb"]
    assert rows_of(out)["a.ipynb"]["lab3-softmax"] == "0" and len(rows_of(out)) == 3
    graded = run_attack(subs, out, fresh=True)
    assert len(graded) == 3
    (out / "grades.csv").write_text("name,score\n")  # another tool's file: never overwritten
    with pytest.raises(ValueError, match="other columns"):
        run_attack(subs, out)
    assert (out / "grades.csv").read_text() == "name,score\n"


def test_a_failure_while_grading_one_submission_is_its_note(tmp_path, monkeypatch):
    """Whatever goes wrong with one submission ends as its row's note, not the run's end."""
    subs, out = tmp_path / "submissions", tmp_path / "out"
    write(subs, "boom.ipynb", notebook(("code", "x = 1")))
    write(subs, "calm.ipynb", b"{")

    def boom(notebook, registry):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(grader, "exercises_of", boom)
    run_attack(subs, out)
    rows = rows_of(out)
    assert rows["boom.ipynb"]["note"] == (
        "grading failed: RecursionError: maximum recursion depth exceeded"
    )
    assert rows["calm.ipynb"]["note"] == "not valid JSON (line 1, column 2)"


def test_jobs_grade_at_once_and_change_nothing(tmp_path):
    """JOBS=2 writes the same grades.csv and feedback pages, byte for byte, as JOBS=1; the
    workers' slots never meet the judges'."""
    subs = tmp_path / "submissions"
    for name, content in small_class().items():
        write(subs, name, content)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,pattern\n1,Ada,ada/*\n2,Zed,zed/*\n", encoding="utf-8")
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        graded = grader.grade(
            subs, out, slot=JOBS_SLOT, jobs=jobs, roster=roster, log=lambda _: None, **TIMEOUTS
        )
        assert [g.name for g in graded] == sorted(small_class())
        outputs[jobs] = {
            p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outputs[1] == outputs[2]
    assert Path("report.html") in outputs[2]  # the class report, made at the end of the run
    with (tmp_path / "out2" / "roster.csv").open(encoding="utf-8", newline="") as f:
        students = [(r["student_id"], r["submission"], r["total"]) for r in csv.DictReader(f)]
    assert students[:2] == [("1", "ada/lab3.ipynb", "1"), ("2", "", "")]
    assert len(students) == 2 + 4  # and every submission of nobody
    rows = rows_of(tmp_path / "out2")
    assert [r["total"] for r in rows.values()] == ["1", "0", "0", "1", "0"]
    for jobs in (0, True, 1.5):
        with pytest.raises(ValueError, match="jobs"):
            grader.grade(subs, tmp_path / "bad", jobs=jobs)
    with pytest.raises(ValueError, match="slot \\+ jobs must be at most 32"):
        grader.grade(subs, tmp_path / "bad", slot=30, jobs=3)
    with pytest.raises(ValueError, match="roster must start with the header"):
        grader.grade(subs, tmp_path / "bad", roster=subs / "ada" / "lab3.ipynb")
