"""tools/kernel.py: a submission's kernel runs in its sandbox, as the slot's uid, and reports
what each execution did; a stuck kernel is interrupted, and nothing of it outlives ``stop``."""

import pytest

from tests.support.grading import needs_sandbox
from tools import kernel, sandbox
from tools.grading_copy import write_grading_copy

pytestmark = needs_sandbox
SLOT = 5  # a slot of its own: other test files use others


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    write_grading_copy(course / "copy")
    with sandbox.private_workdir(SLOT) as workdir:
        k = kernel.SandboxKernel(workdir, course / "copy", SLOT)
        k.start()
        try:
            yield k
        finally:
            k.stop()
    assert not sandbox.processes_of(SLOT), "a process of the kernel's uid outlived it"


def test_code_runs_in_the_sandbox_as_the_slots_uid(running):
    outcome = running.execute("import os\nprint(os.getuid(), os.getcwd())", 30)
    assert outcome.status == "ok", outcome
    uid, cwd = outcome.stdout.split()
    assert int(uid) == sandbox.slot_uid(SLOT) and cwd == sandbox.WORK


def test_an_exception_is_an_error_outcome(running):
    outcome = running.execute("1 / 0", 30)
    assert outcome.status == "error" and outcome.error.startswith("ZeroDivisionError")


def test_a_stuck_cell_stops_at_its_limit_and_the_kernel_goes_on(running):
    outcome = running.execute("while True:\n    pass", 2)
    assert outcome.status == "timeout"
    assert running.execute("print(6 * 7)", 30).stdout.strip() == "42"
