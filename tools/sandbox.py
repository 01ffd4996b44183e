"""The grader's sandbox: run untrusted code (a student's kernel, a judge) with bubblewrap.

A sandboxed process sees a fresh root: read-only ``/usr``, the Python and the venv, only the
folders it is given, its own folder read-write at :data:`WORK` (also its working folder) and a
size-limited ``/tmp``; no network (a network namespace of its own, loopback only), its own pid,
IPC and UTS namespaces, an empty environment. It runs as the unprivileged uid/gid
``UID_BASE + slot`` with no capabilities and ``no_new_privs``, under rlimits (address space,
processes of its uid, file size, open files, CPU time) and, where the cgroup v1 ``memory`` and
``pids`` controllers are writable, a cgroup of its own capping its total memory and tasks.
Every process it starts dies with it: the pid namespace ends when its first process ends, and
bwrap's ``--die-with-parent`` ends it when the grader ends. Nothing is home-made: bubblewrap
(``bwrap``) makes the namespaces and mounts, util-linux's ``setpriv`` drops the privileges.

The sandbox fails closed: :func:`require_sandbox` raises :class:`SandboxUnavailable` (saying
what to install or do) when any part of this cannot be had; nothing runs unsandboxed.

``slot`` numbers concurrent sandboxes (one uid per slot, so that process limits and clean-up
of one never touch another); the grader uses slot 0 today.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

UID_BASE = 61000  # the uid (and gid) of slot 0; slot k runs as UID_BASE + k
MAX_SLOTS = 64
WORK = "/work"  # the sandbox's own read-write folder and working folder
VENV = "/opt/venv"  # where the venv (sys.prefix) is seen in the sandbox
SITE = "/opt/site"  # the site folder of a sandbox that gets only some packages
# Sandbox paths the caller's ro_binds/rw_binds may not use (the sandbox's own mounts).
_RESERVED = (WORK, VENV, SITE, "/tmp", "/proc", "/dev", "/usr", "/etc", "/bin", "/lib", "/lib64")
_MIB = 1 << 20
_GIB = 1 << 30
_INSTALL = (
    "the grader runs submissions only in a sandbox: run it as root (it drops each "
    "submission to an unprivileged uid) on Linux with bubblewrap and util-linux installed "
    "(Debian/Ubuntu: apt-get install bubblewrap util-linux)"
)


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be made here; the message says what to install or do."""


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use. ``memory_bytes``: resident memory of the whole sandbox (its
    cgroup) and, times ``address_space_factor``, each process's address space (TensorFlow
    reserves far more address space than it touches); ``processes``: tasks (processes and
    threads) of the sandbox's uid; ``file_bytes``: largest file it may write; ``disk_bytes``:
    size of its ``/tmp`` (and of the folder the grader gives it); ``open_files``; ``cpu_seconds``
    per process; ``output_bytes``: stdout kept by :func:`run_sandboxed`."""

    # A lab's kernel measured (the 8 full labs): peak resident memory 289-354 MiB, 19-35
    # tasks, 2.2-2.6 GB of address space, under 200 KB written, 6-8 s of CPU. The defaults
    # leave a margin of 5x or more (CONTRIBUTING, "Grading: threat model").
    memory_bytes: int = 2 * _GIB
    processes: int = 128
    file_bytes: int = 256 * _MIB
    disk_bytes: int = 512 * _MIB
    open_files: int = 512
    cpu_seconds: int = 1200
    output_bytes: int = 4 * _MIB
    address_space_factor: int = 4

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"Limits.{f.name} must be a positive int, got {value!r}")


@dataclass(frozen=True)
class Run:
    """What :func:`run_sandboxed` saw: the exit status (negative: killed by that signal),
    stdout (at most ``Limits.output_bytes``; ``truncated`` when the process wrote more and was
    stopped), whether it was stopped at its time limit, and the seconds it took."""

    returncode: int
    stdout: bytes
    timed_out: bool
    seconds: float
    truncated: bool = False


def slot_uid(slot):
    """The uid (= gid) sandbox ``slot`` runs as."""
    if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < MAX_SLOTS:
        raise ValueError(f"slot must be an int in [0, {MAX_SLOTS}), got {slot!r}")
    return UID_BASE + slot


# ---------------------------------------------------------------------------- command line


def _site_packages():
    return Path(sysconfig.get_paths()["purelib"])


def _venv_path(host_path):
    """``host_path`` (inside sys.prefix) as the sandbox sees it."""
    return VENV + "/" + Path(host_path).relative_to(sys.prefix).as_posix()


def _course_hooks():
    """The venv's files that would put course code on the path (the editable install's .pth
    and finder): the sandbox sees them empty."""
    return sorted(p for p in _site_packages().glob("__editable__*") if p.is_file())


@functools.cache
def _distribution_roots(name):
    """The top-level files and folders of distribution ``name`` and of what it requires."""
    dist = importlib.metadata.distribution(name)
    roots = {
        Path(str(f)).parts[0]
        for f in dist.files or ()
        if not str(f).startswith("..") and not Path(str(f)).parts[0].endswith(".dist-info")
    }
    roots.discard("__pycache__")
    for requirement in dist.requires or ():
        if ";" not in requirement:  # an unconditional requirement
            roots |= _distribution_roots(re.split(r"[\s<>=!~\[(]", requirement, maxsplit=1)[0])
    return frozenset(roots)


def _check_dest(dest):
    if not isinstance(dest, str) or not dest.startswith("/") or os.path.normpath(dest) != dest:
        raise ValueError(f"a bind's sandbox path must be a normalised absolute path, got {dest!r}")
    if dest == "/" or any(dest == r or dest.startswith(r + "/") for r in _RESERVED):
        raise ValueError(f"a bind's sandbox path may not be / or under {_RESERVED}, got {dest!r}")


def _binds(option, pairs):
    argv = []
    for host, dest in pairs:
        _check_dest(dest)
        if not os.path.exists(host):
            raise ValueError(f"a bind's host path does not exist: {str(host)!r}")
        argv += ["--perms", "0755", "--dir", os.path.dirname(dest), option, str(host), dest]
    return argv


def _python_binds(packages):
    """bwrap options for the base Python and the venv (``packages="all"``), or the base Python
    and only ``packages`` (with what they require) in a site folder of their own; and the
    interpreter to run."""
    base = Path(sys.base_prefix)
    argv = ["--ro-bind", str(base), str(base)]
    parents = [str(p) for p in reversed(base.parents) if str(p) != "/"]
    argv = [a for p in parents for a in ("--perms", "0755", "--dir", p)] + argv
    base_site = Path(sysconfig.get_paths(vars={"base": sys.base_prefix})["purelib"])
    if base_site.is_dir():  # the base Python's own packages are not the venv's pins
        argv += ["--tmpfs", str(base_site)]
    if packages == "all":
        argv += ["--ro-bind", sys.prefix, VENV]
        for hook in _course_hooks():
            argv += ["--ro-bind", "/dev/null", _venv_path(hook)]
        return argv, VENV + "/bin/python", ()
    if isinstance(packages, str) or not all(isinstance(p, str) for p in packages):
        raise TypeError(f'packages must be "all" or a tuple of names, got {packages!r}')
    site = _site_packages()
    argv += ["--perms", "0755", "--dir", SITE]
    for name in packages:
        try:
            roots = _distribution_roots(name)
        except importlib.metadata.PackageNotFoundError:
            raise ValueError(f"packages names {name!r}, which is not installed") from None
        for root in sorted(roots):
            if (site / root).exists():
                argv += ["--ro-bind", str(site / root), f"{SITE}/{root}"]
    python = str(Path(os.path.realpath(sys.executable)))
    return argv, python, (("PYTHONPATH", SITE),)


def sandbox_argv(
    argv,
    *,
    workdir,
    slot=0,
    ro_binds=(),
    packages="all",
    limits=Limits(),
    rw_binds=(),
    env=(),
):
    """The bwrap command line that runs ``argv`` in a sandbox (see the module docstring).

    ``argv[0]`` may be ``sys.executable`` (or "python"): it becomes the sandbox's Python.
    ``workdir`` (a host folder) is the sandbox's :data:`WORK`; ``ro_binds``/``rw_binds`` are
    (host path, sandbox path) pairs; ``packages`` is "all" (the venv's site-packages without
    any course code) or a tuple of distributions (numpy, cloudpickle, ...); ``env`` extra
    (name, value) pairs. Run it with ``preexec_fn=preexec(limits, slot)``.
    """
    argv = list(argv)
    if not argv or not all(isinstance(a, str) for a in argv):
        raise TypeError(f"argv must be a non-empty list of str, got {argv!r}")
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a Limits, got {type(limits).__name__}")
    uid = slot_uid(slot)
    if not os.path.isdir(workdir) or os.path.islink(workdir):
        raise ValueError(f"workdir must be an existing folder (not a link), got {str(workdir)!r}")
    python_binds, python, python_env = _python_binds(packages)
    if argv[0] in (sys.executable, "python"):
        argv[0] = python
    variables = {
        "HOME": "/tmp",
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        **dict(python_env),
        **dict(env),
    }
    command = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    command += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    command += ["--hostname", "sandbox"]
    command += ["--ro-bind", "/usr", "/usr", "--perms", "0755", "--dir", "/etc"]
    command += ["--perms", "0755", "--dir", "/opt"]
    for link in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink(f"/{link}"):
            command += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
    if os.path.exists("/etc/ld.so.cache"):
        command += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    command += ["--proc", "/proc", "--dev", "/dev"]
    command += ["--size", str(limits.disk_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    command += python_binds
    command += _binds("--ro-bind", ro_binds) + _binds("--bind", rw_binds)
    command += ["--bind", str(workdir), WORK, "--chdir", WORK, "--clearenv"]
    for name, value in variables.items():
        command += ["--setenv", name, str(value)]
    command += ["--", "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    command += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return command + argv


# ---------------------------------------------------------------------------- limits


def _cgroup_root(controller):
    """The folder of this process's cgroup for a v1 ``controller``, or None."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            folder = Path("/sys/fs/cgroup", controller) / path.lstrip("/")
            return folder if os.access(folder, os.W_OK) else None
    return None


@functools.cache
def cgroup_controllers():
    """The cgroup v1 controllers (of "memory", "pids") in which sandboxes get a cgroup of their
    own here; elsewhere (cgroup v2, a read-only /sys/fs/cgroup) only the rlimits apply."""
    return frozenset(c for c in ("memory", "pids") if _cgroup_root(c) is not None)


class Cgroups:
    """The cgroups of one sandbox (memory and pids, where writable): made with the limits,
    joined by the sandbox's first process (see :func:`preexec`), emptied and removed by
    :meth:`close`."""

    def __init__(self, limits, slot):
        self.folders = []
        name = f"grade-sandbox-{slot_uid(slot)}-{uuid.uuid4().hex[:12]}"
        settings = {
            "memory": {"memory.limit_in_bytes": limits.memory_bytes, "memory.swappiness": 0},
            "pids": {"pids.max": limits.processes},
        }
        for controller, values in settings.items():
            root = _cgroup_root(controller)
            if root is None:
                continue
            folder = root / name
            try:
                folder.mkdir()
                for key, value in values.items():
                    if (folder / key).exists():
                        (folder / key).write_text(str(value))
            except OSError:  # a controller that cannot be set: the rlimits still apply
                if folder.is_dir():
                    folder.rmdir()
                continue
            self.folders.append(folder)

    def join(self):
        """Put the calling process in these cgroups (between fork and exec)."""
        for folder in self.folders:
            with open(folder / "cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

    def peak_memory(self):
        """The sandbox's peak resident memory in bytes, or None without a memory cgroup."""
        for folder in self.folders:
            if (folder / "memory.max_usage_in_bytes").exists():
                return int((folder / "memory.max_usage_in_bytes").read_text())
        return None

    def pids(self):
        """Processes still in these cgroups."""
        found = set()
        for folder in self.folders:
            try:
                found.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return found

    def close(self):
        """Kill whatever is left in the cgroups, then remove them."""
        for _ in range(100):
            left = self.pids()
            if not left:
                break
            for pid in left:
                _kill(pid)
            time.sleep(0.02)
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)
        self.folders = []


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def preexec(limits, slot=0, cgroups=None):
    """A ``preexec_fn`` for Popen: join ``cgroups`` (if any) and set the rlimits of
    ``limits``; the limits carry over to every process the sandbox starts."""
    slot_uid(slot)  # a bad slot is refused here, not in the child

    def apply():
        if cgroups is not None:
            cgroups.join()
        address = limits.memory_bytes * limits.address_space_factor
        for kind, value in (
            (resource.RLIMIT_AS, address),
            (resource.RLIMIT_NPROC, limits.processes),
            (resource.RLIMIT_FSIZE, limits.file_bytes),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_CORE, 0),
        ):
            resource.setrlimit(kind, (value, value))

    return apply


def processes_of(slot):
    """Pids of every process running as slot ``slot``'s uid (on this machine)."""
    uid = slot_uid(slot)
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def kill_slot(slot, wait=5.0):
    """Kill every process of slot ``slot``'s uid; return how many were left (0 when clean)."""
    end = time.monotonic() + wait
    while True:
        left = processes_of(slot)
        if not left or time.monotonic() > end:
            return len(left)
        for pid in left:
            _kill(pid)
        time.sleep(0.05)


# ---------------------------------------------------------------------------- running


class Sandbox:
    """One running sandbox: ``Sandbox(argv, workdir=..., ...)`` starts it (a Popen in
    ``self.process``, stdin/stdout as asked, stderr discarded); :meth:`close` kills it and
    everything it started, and removes its cgroups. ``root`` is the sandbox's root folder as
    the host sees it (``/proc/<pid>/root``): a path under it is resolved inside the sandbox,
    so a link the sandbox made cannot point the grader at the host's files."""

    def __init__(self, argv, *, workdir, slot=0, limits=Limits(), stdin=None, stdout=None, **kw):
        require_sandbox()
        command = sandbox_argv(argv, workdir=workdir, slot=slot, limits=limits, **kw)
        self.slot = slot
        self.cgroups = Cgroups(limits, slot)
        info_read, info_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [command[0], "--info-fd", str(info_write), *command[1:]],
                stdin=stdin,
                stdout=stdout,
                stderr=subprocess.DEVNULL,
                preexec_fn=preexec(limits, slot, self.cgroups),
                close_fds=True,
                pass_fds=(info_write,),
            )
        except BaseException:
            os.close(info_read)
            self.cgroups.close()
            raise
        finally:
            os.close(info_write)
        with os.fdopen(info_read, "rb") as info:
            text = info.read(4096)  # bwrap writes it once set up, then closes it
        try:
            self.root = f"/proc/{int(json.loads(text)['child-pid'])}/root"
        except (ValueError, KeyError, TypeError):
            self.close()
            raise SandboxUnavailable(f"bwrap did not start ({text[:200]!r}): {_INSTALL}") from None

    def alive(self):
        """Whether the sandbox is still running."""
        return self.process.poll() is None

    def peak_memory(self):
        """Peak resident memory of the sandbox in bytes (None without a memory cgroup)."""
        return self.cgroups.peak_memory()

    def close(self):
        """Kill the sandbox (its pid namespace dies with its first process) and anything left
        in its cgroups."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.cgroups.close()


def run_sandboxed(argv, *, workdir, timeout, stdin=b"", slot=0, limits=Limits(), **options):
    """Run ``argv`` in a sandbox (see :func:`sandbox_argv`, which takes ``options``:
    ``ro_binds``, ``packages``, ``rw_binds``, ``env``) with ``stdin``, for at most ``timeout``
    seconds; return a :class:`Run`. The sandbox and everything it started are gone when this
    returns."""
    if not isinstance(stdin, bytes):
        raise TypeError(f"stdin must be bytes, got {type(stdin).__name__}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    start = time.monotonic()
    box = Sandbox(
        argv,
        workdir=workdir,
        slot=slot,
        limits=limits,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        **options,
    )
    chunks, state = [], {"size": 0, "truncated": False}

    def read():
        while chunk := box.process.stdout.read1(65536):
            room = limits.output_bytes - state["size"]
            chunks.append(chunk[:room])
            state["size"] += min(len(chunk), room)
            if len(chunk) > room:
                state["truncated"] = True
                box.process.kill()
                return

    def write():
        try:
            box.process.stdin.write(stdin)
            box.process.stdin.close()
        except OSError:  # the sandbox stopped reading
            pass

    threads = [threading.Thread(target=f, daemon=True) for f in (read, write)]
    for t in threads:
        t.start()
    timed_out = False
    try:
        box.process.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        box.close()
        for t in threads:
            t.join(5)
        box.process.stdout.close()
    return Run(
        box.process.returncode,
        b"".join(chunks),
        timed_out,
        time.monotonic() - start,
        state["truncated"],
    )


@contextlib.contextmanager
def private_workdir(slot=0, limits=Limits()):
    """A fresh folder for one sandbox's :data:`WORK`: a tmpfs of ``limits.disk_bytes`` (so the
    sandbox's writes are bounded and never reach the host's disk) owned by the slot's uid, mode
    0700, in a root-only folder; unmounted and removed on exit (nothing in it is followed)."""
    uid = slot_uid(slot)
    parent = tempfile.mkdtemp(prefix="grade-work-")
    folder = os.path.join(parent, "work")
    os.mkdir(folder, 0o700)
    options = f"size={limits.disk_bytes},mode=0700,uid={uid},gid={uid},nosuid,nodev,noexec"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", folder], capture_output=True, check=False
    )
    try:
        if mounted.returncode != 0:
            detail = mounted.stderr.decode(errors="replace").strip()
            raise SandboxUnavailable(f"cannot mount a tmpfs for a sandbox ({detail}): {_INSTALL}")
        yield folder
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", "--lazy", folder], capture_output=True, check=False)
        shutil.rmtree(parent)


# ---------------------------------------------------------------------------- probe

_PROBE = """
import os, sys
try:
    import utils
    course = "importable"
except ImportError:
    course = "hidden"
print(os.getuid(), os.getgid(), course, sys.prefix)
"""


@functools.cache
def _probe():
    if sys.platform != "linux":
        return f"not Linux ({sys.platform}): {_INSTALL}"
    if os.geteuid() != 0:
        return f"not running as root (uid {os.geteuid()}): {_INSTALL}"
    for tool in ("bwrap", "/usr/bin/setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} not found: {_INSTALL}"
    try:
        with private_workdir() as folder:
            command = sandbox_argv([sys.executable, "-c", _PROBE], workdir=folder)
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=60,
                preexec_fn=preexec(Limits()),
                check=False,
            )
    except (OSError, subprocess.SubprocessError, SandboxUnavailable) as err:
        return f"the sandbox failed to start ({err}): {_INSTALL}"
    want = f"{UID_BASE} {UID_BASE} hidden {VENV}"
    got = done.stdout.decode(errors="replace").strip()
    if done.returncode != 0 or got != want:
        detail = done.stderr.decode(errors="replace").strip()[-300:]
        return f"the sandbox probe printed {got!r} (wanted {want!r}; {detail}): {_INSTALL}"
    return None


def require_sandbox():
    """Raise :class:`SandboxUnavailable` unless a sandbox can be made here (probed once: a
    Python in a sandbox must run as the slot uid and must not reach the course's code)."""
    problem = _probe()
    if problem is not None:
        raise SandboxUnavailable(problem)
