"""The worker side of `gongkai build`: the function a process pool or a Dask worker runs for one brief.

render_task is a plain top-level function taking and returning small picklable dataclasses, so
ProcessPoolExecutor and dask.distributed ship it by reference. It calls gongkai.briefs.render_brief
(papermill + nbconvert in-process), retries once when the kernel fails to start (a transient failure:
fork/port/zmq trouble, a kernel that dies before answering), and turns a notebook error into a failed
outcome carrying the cell and the error, never an exception: one bad brief must not stop the build.
A kernel that dies in a cell (render_brief says "kernel died in cell N") is a notebook failure, not retried.

init_process_worker prepares a process-pool worker to die with the build: when the build process dies,
even by SIGKILL (OOM killer, reboot of a cron host), the worker learns it from Linux's parent-death signal
or from a watchdog thread polling its parent pid, kills its kernels, removes its temporary folder and
exits, so no orphan keeps rendering, and none keeps the build's lock (gongkai.locks).
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from gongkai.wording import shorten

log = logging.getLogger(__name__)

# Messages jupyter_client / nbclient use when a kernel never came up (as opposed to a cell failing).
KERNEL_START_MESSAGES = ("Kernel died before replying to kernel_info", "Kernel didn't respond",
                         "kernel_info_reply", "Kernel failed to start", "Resource temporarily unavailable",
                         "DeadKernelError", "ZMQError")
ERROR_WIDTH = 2000  # characters of an error message kept in the outcome (manifest, index, summary)
HEAVY_MODULES = ("papermill", "nbclient", "nbconvert", "nbformat", "jupyter_client", "plotly.graph_objects",
                 "plotly.io", "pandas", "gongkai.briefs")
PR_SET_PDEATHSIG = 1     # prctl option: the signal this process gets when its parent dies
WATCH_INTERVAL = 0.5     # seconds between the watchdog's checks that the build process still runs
ORPHAN_GRACE = 3.0       # seconds an orphaned worker waits for its killed kernels before exiting
EXIT_ORPHANED = 70       # exit status of a worker that outlived its build process


@dataclass(frozen=True)
class RenderTask:
    """One brief to render, with absolute paths as the worker must see them."""
    name: str
    kind: str
    params: dict
    out_dir: str
    data_dir: str
    notebook: str
    keep_failed: str


@dataclass
class RenderOutcome:
    """What came of a RenderTask: the HTML written, or the failure with its cell and error."""
    name: str
    ok: bool
    seconds: float
    html: str | None = None
    size: int | None = None
    error: str | None = None
    cell: str | None = None
    failed_notebook: str | None = None
    attempts: int = 1
    host: str = ""


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_kernel_start_failure(exc: BaseException) -> bool:
    """True when exc (or its cause) says the kernel never started, as opposed to a notebook error.

    A BriefError with a failing cell is a notebook error. An unknown kernel name (NoSuchKernel) is a
    setup problem, not transient, so it is not retried either.
    """
    if getattr(exc, "cell", None) is not None:
        return False
    for item in _chain(exc):
        name, text = type(item).__name__, str(item)
        if name == "NoSuchKernel" or "NoSuchKernel" in text:
            return False
        if getattr(item, "kernel_start", False) or name in ("DeadKernelError", "ZMQError"):
            return True
        # render_brief reports a kernel that never came up as BriefError(cell=None) naming the cause
        if any(m in text for m in KERNEL_START_MESSAGES):
            return True
    return False


def _describe(exc: BaseException) -> str:
    return shorten(str(exc).strip() or type(exc).__name__, ERROR_WIDTH)


def render_task(task: RenderTask) -> RenderOutcome:
    """Render one brief; return its outcome (never raises for a brief's own failure)."""
    from gongkai.briefs import render_brief
    from gongkai.errors import BriefError

    t0 = time.perf_counter()
    host = socket.gethostname()
    for attempt in (1, 2):
        try:
            result = render_brief(task.kind, dict(task.params), Path(task.out_dir), data_dir=Path(task.data_dir),
                                  notebook=Path(task.notebook), keep_failed=Path(task.keep_failed))
            return RenderOutcome(task.name, True, time.perf_counter() - t0, html=str(result.html_path),
                                 size=result.size, attempts=attempt, host=host)
        except Exception as exc:                      # noqa: BLE001 - one brief's failure is an outcome
            if attempt == 1 and is_kernel_start_failure(exc):
                log.warning("%s: the kernel failed to start (%s); retrying once", task.name, _describe(exc))
                continue
            if isinstance(exc, BriefError):
                return RenderOutcome(task.name, False, time.perf_counter() - t0, error=exc.error or _describe(exc),
                                     cell=exc.cell, failed_notebook=exc.notebook, attempts=attempt, host=host)
            log.debug("%s failed:\n%s", task.name, traceback.format_exc())
            return RenderOutcome(task.name, False, time.perf_counter() - t0,
                                 error=f"{type(exc).__name__}: {_describe(exc)}", attempts=attempt, host=host)
    raise AssertionError("unreachable")


def preimport() -> str:
    """Import the Jupyter/plotly stack once, so no brief pays for it; returns the host name."""
    import importlib

    from gongkai.kernel import block_slow_imports

    block_slow_imports()
    for name in HEAVY_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:       # gongkai.briefs may be missing in a partial checkout
            log.debug("preimport %s: %s", name, exc)
    for noisy in ("papermill", "traitlets", "nbconvert"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return socket.gethostname()


_parent_pid = 0                      # the build process this worker serves (set by die_with_parent)
_scratch: str | None = None          # this worker's temporary folder (renders and kernel connection files)
_dying = threading.Lock()


def _stop_on_sigterm(signum, frame) -> None:
    """SIGTERM from the build: kill this worker's kernels, then unwind (render_brief's cleanup runs; no
    temporary file is left). From the parent-death signal: die at once with the kernels (_die_as_orphan)."""
    if _parent_gone():
        _die_as_orphan()
    _kill_kernels()
    raise SystemExit(128 + signum)


def _parent_gone() -> bool:
    return bool(_parent_pid) and os.getppid() != _parent_pid


def _kill_kernels(sig: int = signal.SIGTERM) -> list:
    """Send sig to every descendant of this worker (its kernels); returns them."""
    try:
        import psutil

        children = psutil.Process().children(recursive=True)
        for child in children:
            try:
                child.send_signal(sig)
            except psutil.Error:
                pass
        return children
    except Exception:                 # noqa: BLE001 - best effort while being stopped
        return []


def _die_as_orphan() -> None:
    """The build process is gone: kill this worker's kernels, remove its temporary folder, exit now.

    An orphan must not finish its brief: nobody would record it, and it would hold a kernel and memory
    until a human noticed. os._exit, because the pool's worker loop would swallow SystemExit.
    """
    if not _dying.acquire(blocking=False):       # the other path (signal or watchdog) is already at it
        time.sleep(ORPHAN_GRACE * 2)
        os._exit(EXIT_ORPHANED)
    try:
        log.warning("worker %d: the build process %d is gone; stopping my kernels and exiting", os.getpid(),
                    _parent_pid)
        children = _kill_kernels(signal.SIGKILL)
        if children:
            import psutil

            psutil.wait_procs(children, timeout=ORPHAN_GRACE)
        if _scratch:
            shutil.rmtree(_scratch, ignore_errors=True)
    finally:
        os._exit(EXIT_ORPHANED)


def _watch_parent() -> None:
    """Daemon thread: die as an orphan once the build process is gone (the signal may not come: not Linux,
    or a main thread stuck in C code)."""
    while not _parent_gone():
        time.sleep(WATCH_INTERVAL)
    _die_as_orphan()


def die_with_parent() -> None:
    """Make this process die with its parent, even when the parent dies by SIGKILL: SIGTERM handler, own
    temporary folder, Linux's parent-death signal, and a watchdog thread for when that signal cannot come."""
    global _parent_pid
    _parent_pid = os.getppid()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    _make_scratch()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if _parent_gone():                 # the parent died before prctl took effect
        _die_as_orphan()
    threading.Thread(target=_watch_parent, name="gongkai-parent-watch", daemon=True).start()


def _make_scratch() -> None:
    """A temporary folder of this worker's own, so an orphan can remove what its renders left behind;
    removed when the worker ends normally too (multiprocessing runs its finalizers)."""
    global _scratch
    from multiprocessing.util import Finalize

    _scratch = tempfile.mkdtemp(prefix=f"gongkai-worker-{os.getpid()}-")
    tempfile.tempdir = _scratch            # render_brief's folder and the kernels' connection files go here
    Finalize(None, shutil.rmtree, args=(_scratch,), kwargs={"ignore_errors": True}, exitpriority=0)


def init_process_worker(log_path: str | None = None) -> None:
    """ProcessPoolExecutor initializer: clean stop on SIGTERM, die with the build process, pre-import.

    With log_path, the worker's stderr (and so its kernels' chatter) goes to the run's log file.
    """
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 2)
        os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent decides what Ctrl-C means
    die_with_parent()
    root = logging.getLogger()      # the parent reports each outcome; workers log to the run's file only
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    preimport()
