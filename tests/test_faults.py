"""Builds survive their own death: kill -9 of `gongkai build` takes its workers and their kernels along and the
next build runs (taking the dead build's lock over); a kernel that dies in a cell is "kernel died in cell N",
with the cells run so far kept, and is not retried as a kernel that failed to start.

Every test that starts processes kills what is left of them in a finally, and waits a bounded time.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from buildspace import DATASET, FIXTURE_NOTEBOOKS, build, make_workspace
from gongkai.build.worker import RenderTask, is_kernel_start_failure, render_task
from gongkai.errors import BriefError
from gongkai.kernel import died_in_cell
from gongkai.locks import process_start

DEATH_SECONDS = 10       # how long the workers and kernels of a killed build may take to go
START_SECONDS = 180      # how long a build may take to start its first kernel on a busy machine

# A stand-in for the build process: it forks a worker that dies with it and starts a "kernel" (a sleeper in
# its own session, as jupyter_client starts kernels), prints their pids and its scratch folder, and waits.
ORPHAN = """\
import os, subprocess, sys, time
from gongkai.build import worker
if os.fork() == 0:
    platform = sys.platform
    if sys.argv[1] == "watchdog":
        import psutil                        # before sys.platform lies: psutil reads it when imported
        sys.platform = "darwin"              # no parent-death signal: the watchdog thread alone
    worker.die_with_parent()
    sys.platform = platform
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    print(os.getpid(), kernel.pid, worker._scratch, flush=True)
    time.sleep(60)
    os._exit(0)
time.sleep(60)
"""

KILL_CONFIG = ("output: out\ndata: data\nbriefs:\n  - kind: office\n    offices: [xicheng.yuetan, xicheng.jinrongjie]\n"
               "    years: all\n")


def running(pid: int) -> bool:
    """True while pid runs (a zombie does not)."""
    return process_start(pid) is not None


def wait_gone(pids, seconds: float) -> list[int]:
    """Wait until none of pids runs; returns those still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := [p for p in pids if running(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def kill_all(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def cmdline(process) -> str:
    import psutil
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


# --- without a kernel ------------------------------------------------------------------------------

@pytest.mark.parametrize("warning", ["signal", "watchdog"])
def test_an_orphaned_worker_kills_its_kernel_removes_its_scratch_and_exits(warning):
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN, warning], stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        worker, kernel, scratch = parent.stdout.readline().split()
        pids = [int(worker), int(kernel)]
        assert Path(scratch).is_dir() and all(running(p) for p in pids)
        parent.kill()
        parent.wait(timeout=10)
        assert not wait_gone(pids, DEATH_SECONDS)
        assert not Path(scratch).exists()
    finally:
        kill_all(pids)
        parent.kill()
        parent.wait(timeout=10)


def test_a_dead_kernel_is_a_start_failure_only_when_no_cell_ran():
    from nbclient.exceptions import DeadKernelError
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell("# t"), new_code_cell("a = 1"), new_code_cell("import os"), new_code_cell("b = 2")]
    nb = new_notebook(cells=cells)
    for cell in nb.cells:
        cell.metadata["papermill"] = {"start_time": None}
    try:
        raise BriefError("office brief x: DeadKernelError: Kernel died") from DeadKernelError("Kernel died")
    except BriefError as error:
        dead = error
    assert died_in_cell(dead, nb) is None and is_kernel_start_failure(dead)        # nothing ran: retried
    cells[1].metadata["papermill"]["start_time"] = cells[2].metadata["papermill"]["start_time"] = "2026-01-01"
    assert died_in_cell(dead, nb) == (2, cells[2])
    assert died_in_cell(RuntimeError("Kernel died before replying to kernel_info"), nb) is None
    died = BriefError("office brief x: kernel died in cell 2", cell="import os", error="kernel died in cell 2")
    assert not is_kernel_start_failure(died)


# --- with kernels ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_kernel_that_dies_in_a_cell_is_reported_with_its_cell_and_not_retried(tmp_path, caplog):
    import nbformat

    task = RenderTask("office/dies", "office", {"office_id": "miyun.guoyuan", "years": [2017]}, str(tmp_path),
                      str(DATASET), str(FIXTURE_NOTEBOOKS / "kernel_dies.ipynb"), str(tmp_path / "_failed"))
    with caplog.at_level(logging.INFO):
        outcome = render_task(task)
    assert not outcome.ok and outcome.attempts == 1
    assert outcome.error == "kernel died in cell 3 (killed, out of memory or crashed)"
    assert "os.kill(os.getpid(), signal.SIGKILL)" in outcome.cell
    assert "failed to start" not in caplog.text and "retrying" not in caplog.text
    assert outcome.failed_notebook == str(tmp_path / "_failed" / "office-miyun-guoyuan-2017.ipynb")
    kept = nbformat.read(outcome.failed_notebook, as_version=4)
    injected = next(c for c in kept.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'office_id = "miyun.guoyuan"' in injected.source and injected.metadata.papermill.start_time
    assert kept.cells[-1].source == 'print("never reached")' and not kept.cells[-1].metadata.papermill.start_time
    assert not (tmp_path / "office").exists()


@pytest.mark.slow
def test_kill_9_of_a_build_takes_its_workers_and_kernels_along_and_the_next_build_runs(tmp_path):
    import psutil

    config = make_workspace(tmp_path, KILL_CONFIG)
    with open(tmp_path / "killed-build.log", "w") as first_output:
        proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "build", "--config", str(config), "-j", "2"],
                                stdout=first_output, stderr=subprocess.STDOUT, start_new_session=True)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + START_SECONDS
        kernels: list = []
        while not kernels and time.monotonic() < deadline and proc.poll() is None:
            try:
                descendants = psutil.Process(proc.pid).children(recursive=True)
            except psutil.Error:
                break
            seen.update(p.pid for p in descendants)
            kernels = [p for p in descendants if "gongkai.kernel" in cmdline(p)]
            time.sleep(0.05)
        assert kernels, f"no kernel started: {(tmp_path / 'killed-build.log').read_text(encoding='utf-8')}"
        seen.update(p.pid for p in psutil.Process(proc.pid).children(recursive=True))
        workers = [p.pid for p in psutil.Process(proc.pid).children()]
        proc.kill()
        proc.wait(timeout=10)
        assert not wait_gone(seen, DEATH_SECONDS), [cmdline(psutil.Process(p)) for p in seen if running(p)]
        late = {p.pid for p in psutil.process_iter(["cmdline"])       # a kernel started after the last look
                if any(f"gongkai-worker-{w}-" in " ".join(p.info["cmdline"] or []) for w in workers)}
        seen |= late
        assert not wait_gone(late, DEATH_SECONDS)
        assert not [w for w in workers if list(Path(tempfile.gettempdir()).glob(f"gongkai-worker-{w}-*"))]
        status, output = build(config, "-j", "2")
        assert status == 0, output
        assert f"taking over the stale build lock of pid {proc.pid} on " in output
        assert "2 built, 0 up to date, 0 failed" in output
        assert not (tmp_path / "out" / ".build.lock").exists()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)          # the build and its workers share its process group
        except (ProcessLookupError, PermissionError):
            pass
        kill_all(seen)
        proc.wait(timeout=10)
