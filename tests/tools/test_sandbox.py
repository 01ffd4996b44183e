"""tools/sandbox.py: what a sandboxed process can see, reach and use, and that the sandbox fails
closed. Each test runs small Python programs in a sandbox (no TensorFlow): about 0.1 s each."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support import ROOT  # noqa: E402
from tools import grade as grader
from tools import sandbox

SLOT = 3  # a slot of its own, so that these tests never touch the grader's
MIB = 1 << 20


def run(code, workdir, **kw):
    """Run Python ``code`` in a sandbox on ``workdir``; return its Run."""
    kw.setdefault("timeout", 30)
    return sandbox.run_sandboxed([sys.executable, "-c", code], workdir=workdir, slot=SLOT, **kw)


@pytest.fixture
def work():
    with sandbox.private_workdir(SLOT) as folder:
        yield folder
    assert not os.path.exists(folder)


def report(code, work, **kw):
    """Run ``code`` (which prints one JSON value last) in a sandbox; return that value."""
    done = run(code, work, **kw)
    assert done.returncode == 0, done
    return json.loads(done.stdout.decode().splitlines()[-1])


def test_an_unprivileged_uid_with_no_capabilities_no_network_and_an_empty_environment(work):
    os.environ["GRADER_SECRET"] = "do not show"
    try:
        seen = report(
            "import json, os, socket\n"
            "lines = open('/proc/self/status').read().splitlines()\n"
            "status = dict(line.split(':\\t', 1) for line in lines)\n"
            "try:\n"
            "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
            "    net = 'reached'\n"
            "except OSError as err:\n"
            "    net = type(err).__name__\n"
            "ifaces = [name for _, name in socket.if_nameindex()]\n"
            "print(json.dumps([os.getuid(), os.getgid(), os.getgroups(), status['CapEff'],\n"
            "    status['CapBnd'], status['NoNewPrivs'], net, ifaces, dict(os.environ),\n"
            "    os.getcwd(), sorted(os.listdir('/proc'))[:0], os.getpid()]))",
            work,
        )
    finally:
        del os.environ["GRADER_SECRET"]
    uid, gid, groups, cap_eff, cap_bnd, no_new_privs, net, ifaces, env, cwd, _, pid = seen
    assert (uid, gid, groups) == (sandbox.slot_uid(SLOT),) * 2 + ([],)
    assert int(cap_eff, 16) == 0 and int(cap_bnd, 16) == 0 and no_new_privs.strip() == "1"
    assert net == "OSError" and ifaces == ["lo"]
    assert "GRADER_SECRET" not in env and set(env) <= {
        "HOME", "PATH", "LANG", "PYTHONDONTWRITEBYTECODE", "PYTHONNOUSERSITE", "MPLBACKEND",
        "MPLCONFIGDIR", "TF_CPP_MIN_LOG_LEVEL", "PWD",
    }  # fmt: skip
    assert cwd == sandbox.WORK and pid < 10  # its own pid namespace


def test_it_sees_no_course_code_no_grader_and_writes_only_its_own_folders(work, tmp_path):
    secret = tmp_path / "submissions" / "classmate.ipynb"
    secret.parent.mkdir()
    secret.write_text("{}")
    probes = [
        str(ROOT / "tools" / "grade.py"),
        str(ROOT / "labs"),
        str(ROOT / "utils" / "exercises" / "lab02.py"),
        str(secret),
        "/root/.ssh",
        "/etc/passwd",
        "/proc/1/environ",
    ]
    seen = report(
        "import json, os, sys\n"
        f"probes = {probes!r}\n"
        "try:\n"
        "    import utils\n"
        "    course = 'importable'\n"
        "except ImportError:\n"
        "    course = 'hidden'\n"
        "writable = []\n"
        "for folder in ('/', '/usr', '/opt/venv', sys.base_prefix, '/etc', '/work', '/tmp'):\n"
        "    try:\n"
        "        open(os.path.join(folder, 'x'), 'w').close()\n"
        "        writable.append(folder)\n"
        "    except OSError:\n"
        "        pass\n"
        "print(json.dumps([course, [p for p in probes if os.path.exists(p)], writable]))",
        work,
    )
    course, visible, writable = seen
    assert course == "hidden"
    assert visible == ["/proc/1/environ"]  # its own pid 1, in its own pid namespace
    assert writable == ["/work", "/tmp"]
    assert sorted(os.listdir(work)) == ["x"]  # its /work is the folder the grader gave it


def test_packages_binds_only_the_named_distributions(work):
    seen = report(
        "import importlib, json\n"
        "found = []\n"
        "for name in ('numpy', 'cloudpickle', 'keras', 'tensorflow', 'sklearn', 'utils'):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "        found.append(name)\n"
        "    except ImportError:\n"
        "        pass\n"
        "print(json.dumps(found))",
        work,
        packages=("numpy", "cloudpickle"),
    )
    assert seen == ["numpy", "cloudpickle"]


def test_memory_processes_files_disk_output_and_time_are_limited(work):
    limits = sandbox.Limits(
        memory_bytes=256 * MIB, processes=16, file_bytes=8 * MIB, disk_bytes=16 * MIB
    )
    # past the cgroup's memory (where there is one) or the address space (4 x memory): stopped
    hog = run("x = bytearray(2 << 30)\nx[::4096] = b'1' * len(x[::4096])", work, limits=limits)
    assert hog.returncode != 0
    forks = report(
        "import json, os, time\n"
        "n = 0\n"
        "try:\n"
        "    while n < 100:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "except OSError as err:\n"
        "    print(json.dumps([n, err.errno]))",
        work,
        limits=limits,
    )
    assert forks[0] < 16 and forks[1] == 11  # EAGAIN
    files = report(
        "import json\n"
        "out = []\n"
        "for path, size in (('/work/big', 9 << 20), ('/tmp/a', 7 << 20), ('/tmp/b', 7 << 20),\n"
        "                   ('/tmp/c', 7 << 20), ('/work/c', 7 << 20), ('/work/d', 7 << 20)):\n"
        "    try:\n"
        "        with open(path, 'wb') as f:\n"
        "            f.write(b'1' * size)\n"
        "        out.append('ok')\n"
        "    except OSError as err:\n"
        "        out.append(err.errno)\n"
        "print(json.dumps(out))",
        work,
        limits=limits,
    )
    # past the file size limit: EFBIG (27); a full /tmp or /work (16 MiB each): ENOSPC (28)
    assert files == [27, "ok", "ok", 28, "ok", "ok"] or files == [27, "ok", "ok", 28, "ok", 28]
    loud = run("print('x' * 10_000_000)", work, limits=sandbox.Limits(output_bytes=1000))
    assert len(loud.stdout) == 1000 and loud.truncated
    start = time.monotonic()
    slow = run("import time\ntime.sleep(60)", work, timeout=1)
    assert slow.timed_out and time.monotonic() - start < 10
    busy = run("while True:\n    pass", work, limits=sandbox.Limits(cpu_seconds=1))
    assert busy.returncode in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 137)
    assert sandbox.processes_of(SLOT) == []


def test_no_process_outlives_its_sandbox_even_when_the_grader_dies(work):
    detach = (
        "import os, subprocess, sys\n"
        "subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        import time; time.sleep(300)\n"
        "    os._exit(0)\n"
        "print('detached', flush=True)\n"
    )
    done = run(detach, work)
    assert done.stdout == b"detached\n" and sandbox.processes_of(SLOT) == []
    # a grader that is killed outright: its sandbox and what it started go with it
    stay = detach + "import time; time.sleep(300)"
    grader_code = (
        "import sys, time\n"
        "from tools import sandbox\n"
        f"box = sandbox.Sandbox([sys.executable, '-c', {stay!r}],\n"
        f"    workdir={work!r}, slot={SLOT})\n"
        "print(box.process.pid, flush=True)\n"
        "time.sleep(300)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", grader_code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    parent.stdout.readline()
    deadline = time.monotonic() + 10
    while len(sandbox.processes_of(SLOT)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(sandbox.processes_of(SLOT)) >= 3
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while sandbox.processes_of(SLOT) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandbox.processes_of(SLOT) == []


def test_a_link_planted_in_its_folder_is_never_followed_by_the_grader(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the grader's")
    before = victim.stat()
    with sandbox.private_workdir(SLOT) as folder:
        assert os.stat(folder).st_uid == sandbox.slot_uid(SLOT)
        assert os.stat(folder).st_mode & 0o777 == 0o700
        run(f"import os\nos.symlink({str(victim)!r}, '/work/link')\nos.mkdir('/work/d')", folder)
        assert os.path.islink(os.path.join(folder, "link"))
    after = victim.stat()
    assert victim.read_text() == "the grader's"
    assert (after.st_uid, after.st_mode, after.st_mtime) == (
        before.st_uid,
        before.st_mode,
        before.st_mtime,
    )


def test_bad_arguments_are_refused(work):
    with pytest.raises(ValueError, match="slot must be"):
        sandbox.sandbox_argv(["true"], workdir=work, slot=-1)
    for dest in ("relative", "/work/x", "/", "/tmp/../etc"):
        with pytest.raises(ValueError, match="sandbox path"):
            sandbox.sandbox_argv(["true"], workdir=work, ro_binds=((work, dest),))
    with pytest.raises(ValueError, match="Limits.memory_bytes"):
        sandbox.Limits(memory_bytes=0)
    with pytest.raises(ValueError, match="timeout"):
        sandbox.run_sandboxed(["true"], workdir=work, timeout=0)
    with pytest.raises(ValueError, match="not installed"):
        sandbox.sandbox_argv(["true"], workdir=work, packages=("no-such-distribution",))


@pytest.mark.parametrize(
    "missing, says",
    [("root", "not running as root"), ("bwrap", "bwrap not found")],
)
def test_it_fails_closed_and_says_what_to_do(monkeypatch, tmp_path, capsys, missing, says):
    """Without root or without bubblewrap nothing is graded, nothing runs unsandboxed, and
    ``make grade`` exits non-zero with what to install."""
    monkeypatch.setattr(sandbox, "_probe", sandbox._probe.__wrapped__)  # no cached answer
    if missing == "root":
        monkeypatch.setattr(os, "geteuid", lambda: 1000)
    else:
        monkeypatch.setattr(sandbox.shutil, "which", lambda name, **kw: None)
    with pytest.raises(sandbox.SandboxUnavailable, match=says):
        sandbox.require_sandbox()
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "a.ipynb").write_text("{}")
    status = grader.main([str(tmp_path / "submissions"), "--out", str(tmp_path / "out")])
    assert status != 0
    assert "apt-get install bubblewrap" in capsys.readouterr().err
    assert not (tmp_path / "out" / "grades.csv").exists()
