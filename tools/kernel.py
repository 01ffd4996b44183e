"""One submission's kernel for the grader: an IPython kernel that runs INSIDE a sandbox
(:mod:`tools.sandbox`), with a time limit per execution.

The kernel process is ``python -m ipykernel_launcher`` in a bubblewrap sandbox: the
submission's folder at :data:`tools.sandbox.WORK`, the grading copy of the course package
(:mod:`tools.grading_copy`) read-only, and its connection file and unix sockets in a folder of
its own made afresh at each start. The grader reaches the sockets through the sandbox's root
(``/proc/<pid>/root/...``), so a link the submission plants resolves inside the sandbox.

:class:`SandboxKernel` executes code and reports what happened (ok, error, time limit, kernel
died), restarting a dead or stuck kernel (its whole sandbox is killed) so that the rest of the
notebook can still run.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import zmq
from jupyter_client import BlockingKernelClient

from tools import sandbox

COURSE = "/opt/course"  # where the grading copy of the course package is seen
KERNEL_DIR = "/kernel"  # the kernel's connection file and sockets
KERNEL_LIMITS = sandbox.Limits()
_MAX_STDOUT = 1_000_000  # characters of stdout kept per execution
_MAX_MESSAGE = 4 << 20  # bytes of one message from the kernel (larger: disconnected)
_MAX_QUEUED = 100  # messages from the kernel queued unread (more: dropped)
_INTERRUPT_GRACE = 5.0  # seconds a kernel gets to stop after an interrupt


@dataclass
class Outcome:
    """What one execution did: ``status`` is "ok", "error", "timeout" or "died"; ``error`` the
    exception's "Name: message"; ``stdout`` what it printed."""

    status: str
    error: str = ""
    stdout: str = ""
    seconds: float = 0.0
    notes: list = field(default_factory=list)


def _connection(ip):
    """A kernel connection over unix sockets named ``ip``-1 ... ``ip``-5."""
    return {
        "transport": "ipc",
        "ip": ip,
        "shell_port": 1,
        "iopub_port": 2,
        "stdin_port": 3,
        "control_port": 4,
        "hb_port": 5,
        "key": secrets.token_hex(32),
        "signature_scheme": "hmac-sha256",
        "kernel_name": "python3",
    }


class SandboxKernel:
    """A sandboxed kernel whose working folder is ``workdir`` (a host folder owned by the
    slot's uid, see :func:`tools.sandbox.private_workdir`) and which imports the course package
    from ``course`` (a folder holding the grading copy's ``utils``); ``start()`` before use,
    ``stop()`` after."""

    def __init__(self, workdir, course, slot=0, limits=KERNEL_LIMITS, startup_timeout=60.0):
        self.workdir = str(workdir)
        self.course = str(course)
        self.slot = slot
        self.limits = limits
        self.startup_timeout = startup_timeout
        self.box = self.kc = self.kernel_dir = None
        self.starts = 0
        self.peak_memory = 0

    def start(self):
        """Start a fresh kernel in a fresh sandbox (the previous one, if any, is killed)."""
        self.stop()
        uid = sandbox.slot_uid(self.slot)
        self.kernel_dir = tempfile.mkdtemp(prefix="grade-kernel-")
        os.chown(self.kernel_dir, uid, uid)
        info = _connection(f"{KERNEL_DIR}/k")
        path = os.path.join(self.kernel_dir, "connection.json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        argv = ["python", "-s", "-P", "-B", "-m", "ipykernel_launcher", "-f"]
        self.box = sandbox.Sandbox(
            [*argv, f"{KERNEL_DIR}/connection.json"],
            workdir=self.workdir,
            slot=self.slot,
            limits=self.limits,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # the kernel's own C-level output (TensorFlow's logs)
            ro_binds=((self.course, COURSE),),
            rw_binds=((self.kernel_dir, KERNEL_DIR),),
            env=(("PYTHONPATH", COURSE), ("IPYTHONDIR", "/tmp/ipython")),
        )
        context = zmq.Context()
        context.setsockopt(zmq.MAXMSGSIZE, _MAX_MESSAGE)
        context.setsockopt(zmq.RCVHWM, _MAX_QUEUED)
        kc = BlockingKernelClient(context=context)
        kc.load_connection_info({**info, "ip": f"{self.box.root}{KERNEL_DIR}/k"})
        kc.start_channels(hb=False)  # liveness is the sandbox's, not a heartbeat's
        self.kc = kc
        self._wait_ready()
        self.starts += 1

    def _wait_ready(self):
        """Wait until the kernel answers, while its sandbox runs, for at most
        ``startup_timeout`` seconds; RuntimeError if it does not."""
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if not self.alive():
                raise RuntimeError("the kernel's sandbox ended before the kernel was ready")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"the kernel was not ready in {self.startup_timeout:g} s")
            try:
                self.kc.wait_for_ready(timeout=min(2.0, remaining))
                return
            except RuntimeError:  # no answer yet
                continue

    def stop(self):
        """Kill the kernel's sandbox (every process in it), if one is running."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc.context.destroy(linger=0)
        if self.box is not None:
            self.peak_memory = max(self.peak_memory, self.box.peak_memory() or 0)
            self.box.close()
        if self.kernel_dir is not None:
            shutil.rmtree(self.kernel_dir, ignore_errors=True)
        self.box = self.kc = self.kernel_dir = None

    def alive(self):
        """Whether the kernel's sandbox is still running."""
        return self.box is not None and self.box.alive()

    def execute(self, code, timeout):
        """Run ``code`` for at most ``timeout`` seconds; on a time limit or a dead kernel, the
        kernel is restarted (its variables are lost) and the Outcome says so."""
        if not isinstance(code, str):
            raise TypeError(f"code must be a str, got {type(code).__name__}")
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
        start = time.monotonic()
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        stdout, error = [], ""
        size = 0
        deadline = start + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._recover("timeout", start, "".join(stdout), msg_id)
            try:
                msg = self.kc.get_iopub_msg(timeout=min(1.0, remaining))
            except queue.Empty:
                if not self.alive():
                    return self._recover("died", start, "".join(stdout), msg_id)
                continue
            except Exception:  # noqa: BLE001 - a message the kernel forged: not one of ours
                continue
            if not isinstance(msg, dict) or msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg.get("msg_type"), msg.get("content")
            if not isinstance(content, dict):
                continue
            text = content.get("text")
            if kind == "stream" and content.get("name") == "stdout" and isinstance(text, str):
                if size < _MAX_STDOUT:
                    stdout.append(text[: _MAX_STDOUT - size])
                    size += len(stdout[-1])
            elif kind == "error":
                error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
            elif kind == "status" and content.get("execution_state") == "idle":
                status = "error" if error else "ok"
                return Outcome(status, error, "".join(stdout), time.monotonic() - start)

    def _recover(self, status, start, stdout, msg_id):
        """After a time limit (interrupt, then restart if still busy) or a dead kernel."""
        outcome = Outcome(status, stdout=stdout, seconds=time.monotonic() - start)
        if status == "timeout" and self.alive():
            self.kc.control_channel.send(self.kc.session.msg("interrupt_request", content={}))
            if self._wait_idle(msg_id, _INTERRUPT_GRACE):
                outcome.notes.append("interrupted")
                return outcome
        self.start()
        outcome.notes.append("kernel restarted")
        return outcome

    def _wait_idle(self, msg_id, seconds):
        """Whether the execution ``msg_id`` ends within ``seconds``."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            except Exception:  # noqa: BLE001 - a message the kernel forged
                continue
            content = msg.get("content") if isinstance(msg, dict) else None
            if (
                msg.get("parent_header", {}).get("msg_id") == msg_id
                and msg.get("msg_type") == "status"
                and isinstance(content, dict)
                and content.get("execution_state") == "idle"
            ):
                return True
        return False
