"""The worker side of `gongkai build`: the function a process pool or a Dask worker runs for one brief.

render_task is a plain top-level function taking and returning small picklable dataclasses, so
ProcessPoolExecutor and dask.distributed ship it by reference. It calls gongkai.briefs.render_brief
(papermill + nbconvert in-process), retries once when the kernel fails to start (a transient failure:
fork/port/zmq trouble, a kernel that dies before answering), and turns a notebook error into a failed
outcome carrying the cell and the error, never an exception: one bad brief must not stop the build.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import sys
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


def _stop_on_sigterm(signum, frame) -> None:
    """Kill this worker's kernels, then unwind (render_brief's cleanup runs; no temp file is left)."""
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            child.terminate()
    except Exception:                 # noqa: BLE001 - best effort while being stopped
        pass
    raise SystemExit(128 + signum)


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this worker if the build process dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)          # PR_SET_PDEATHSIG
    except OSError:
        pass


def init_process_worker(log_path: str | None = None) -> None:
    """ProcessPoolExecutor initializer: clean stop on SIGTERM, die with the parent, pre-import.

    With log_path, the worker's stderr (and so its kernels' chatter) goes to the run's log file.
    """
    if log_path:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(fd, 2)
        os.close(fd)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # the parent decides what Ctrl-C means
    _die_with_parent()
    root = logging.getLogger()      # the parent reports each outcome; workers log to the run's file only
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    preimport()
