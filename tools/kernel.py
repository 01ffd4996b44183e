"""One submission's kernel for the grader: a fresh IPython kernel in the submission's own folder,
run as an unprivileged user when the grader runs as root, with a time limit per execution.

:class:`SandboxKernel` executes code and reports what happened (ok, error, time limit, kernel
died), restarting a dead or stuck kernel so that the rest of the notebook can still run.
"""

from __future__ import annotations

import functools
import os
import pwd
import queue
import subprocess
import sys
import time
from dataclasses import dataclass, field

import ipykernel.kernelspec
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

SANDBOX_USER = "nobody"
_MAX_STDOUT = 1_000_000  # characters of stdout kept per execution
_INTERRUPT_GRACE = 5.0  # seconds a kernel gets to stop after an interrupt


def _become(uid, gid, connection_file=None):
    """For the kernel's process, between fork and exec (still root): hand it its connection
    file (written by jupyter_client, readable by its owner only), then drop to ``uid``/``gid``."""

    def preexec():
        if connection_file is not None:
            os.chown(connection_file, uid, gid)
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)

    return preexec


class _ThisPython(KernelSpecManager):
    """Kernels run the grader's own Python (its venv has the course's pinned packages)."""

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict()
        )


@dataclass
class Outcome:
    """What one execution did: ``status`` is "ok", "error", "timeout" or "died"; ``error`` the
    exception's "Name: message"; ``stdout`` what it printed."""

    status: str
    error: str = ""
    stdout: str = ""
    seconds: float = 0.0
    notes: list = field(default_factory=list)


@functools.cache
def sandbox_user():
    """(uid, gid) of the unprivileged user kernels run as; None when the grader does not run
    as root, when there is no such user, or when that user cannot run this Python (a Python
    installed under /root, for example)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return None
    ids = entry.pw_uid, entry.pw_gid
    try:
        subprocess.run(
            [sys.executable, "-c", "import ipykernel, utils"],
            preexec_fn=_become(*ids),
            cwd="/",
            capture_output=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return ids


class SandboxKernel:
    """A kernel whose working folder is ``workdir``; ``start()`` before use, ``stop()`` after."""

    def __init__(self, workdir, startup_timeout=60.0):
        self.workdir = str(workdir)
        self.startup_timeout = startup_timeout
        self.user = sandbox_user()
        self.km = self.kc = None
        self.starts = 0

    def _env(self):
        env = dict(os.environ)
        for name in ("HOME", "IPYTHONDIR", "MPLCONFIGDIR", "KERAS_HOME", "JUPYTER_RUNTIME_DIR"):
            env.pop(name, None)
        home = os.path.join(self.workdir, ".home")
        env.update(HOME=home, MPLCONFIGDIR=os.path.join(home, ".matplotlib"))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def start(self):
        """Start a fresh kernel (the previous one, if any, is killed)."""
        self.stop()
        os.makedirs(os.path.join(self.workdir, ".home"), exist_ok=True)
        home = os.path.join(self.workdir, ".home")
        km = KernelManager(
            kernel_spec_manager=_ThisPython(),
            kernel_name="python3",
            transport="ipc",  # unix sockets in the folder: no TCP port to race for
            ip=os.path.join(home, f"kernel-{self.starts}"),
        )
        km.connection_file = os.path.join(home, f"kernel-{self.starts}.json")
        kwargs = {
            "cwd": self.workdir,
            "env": self._env(),
            "stdout": subprocess.DEVNULL,  # the kernel's own C-level output (TensorFlow's logs)
            "stderr": subprocess.DEVNULL,
        }
        if self.user is not None:
            uid, gid = self.user
            for root, dirs, files in os.walk(self.workdir):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.chown(name, uid, gid)
            kwargs["preexec_fn"] = _become(uid, gid, km.connection_file)
        km.start_kernel(**kwargs)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=self.startup_timeout)
        self.km, self.kc = km, kc
        self.starts += 1

    def stop(self):
        """Kill the kernel and its process group, if one is running."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a kernel that is already gone
                pass
        self.km = self.kc = None

    def execute(self, code, timeout):
        """Run ``code`` for at most ``timeout`` seconds; on a time limit or a dead kernel, the
        kernel is restarted (its variables are lost) and the Outcome says so."""
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {type(code).__name__}")
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        start = time.monotonic()
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False)
        stdout, error = [], ""
        size = 0
        deadline = start + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._recover("timeout", start, "".join(stdout))
            try:
                msg = self.kc.get_iopub_msg(timeout=min(1.0, remaining))
            except queue.Empty:
                if not self.km.is_alive():
                    return self._recover("died", start, "".join(stdout))
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout" and size < _MAX_STDOUT:
                stdout.append(content["text"])
                size += len(content["text"])
            elif kind == "error":
                error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
            elif kind == "status" and content.get("execution_state") == "idle":
                status = "error" if error else "ok"
                return Outcome(status, error, "".join(stdout), time.monotonic() - start)

    def _recover(self, status, start, stdout):
        """After a time limit (interrupt, then restart if still busy) or a dead kernel."""
        outcome = Outcome(status, stdout=stdout, seconds=time.monotonic() - start)
        if status == "timeout" and self.km.is_alive():
            self.km.interrupt_kernel()
            if self._wait_idle(_INTERRUPT_GRACE):
                outcome.notes.append("interrupted")
                return outcome
        self.start()
        outcome.notes.append("kernel restarted")
        return outcome

    def _wait_idle(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                return True
        return False
