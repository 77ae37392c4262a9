"""The executors behind `gongkai build`: a local process pool or a dask.distributed cluster.

render_all keeps at most `jobs` briefs in flight whatever the executor (that is the bound on running
kernels, cluster-wide with Dask), hands each outcome to a callback as it arrives, replaces a process
pool once if a worker dies (OOM killer), and on an exception or signal cancels what has not started
and stops the local workers (which kill their kernels and remove their temporary files).
"""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from gongkai.build.worker import RenderOutcome, RenderTask, init_process_worker, preimport
from gongkai.errors import ConfigError, GongkaiError

if TYPE_CHECKING:
    import distributed

log = logging.getLogger(__name__)


def _stop_workers(executor: Executor) -> None:
    """Cancel what has not started; SIGTERM running local workers (they kill their kernels and unwind)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    try:
        executor.shutdown(wait=False, cancel_futures=True)
    except TypeError:               # dask's ClientExecutor: shutdown(wait=False) cancels the futures
        executor.shutdown(wait=False)
    deadline = time.monotonic() + 15
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()


def render_all(tasks: list[RenderTask], make_executor: Callable[[], Executor], jobs: int,
                render: Callable[[RenderTask], RenderOutcome],
                on_done: Callable[[RenderTask, RenderOutcome], None]) -> None:
    """Run tasks with at most `jobs` in flight (the kernel bound); a crashed pool is replaced once."""
    executor = make_executor()
    queue = list(reversed(tasks))
    inflight: dict = {}
    respawned = False
    try:
        while queue or inflight:
            while queue and len(inflight) < jobs:
                task = queue.pop()
                inflight[executor.submit(render, task)] = task
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for future in done:
                task = inflight.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    if not respawned:
                        log.warning("a worker process died; restarting the pool and retrying its briefs once")
                        queue.extend([task, *inflight.values()])
                        inflight.clear()
                        executor.shutdown(wait=False, cancel_futures=True)
                        executor, respawned = make_executor(), True
                        break
                    outcome = RenderOutcome(task.name, False, 0.0, error="the worker process died (out of memory?)")
                except Exception as exc:               # noqa: BLE001 - e.g. a Dask worker lost
                    outcome = RenderOutcome(task.name, False, 0.0, error=f"{type(exc).__name__}: {exc}")
                on_done(task, outcome)
    except BaseException:
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)


def local_executor(jobs: int, log_path: Path | None = None) -> Callable[[], Executor]:
    """A factory of process pools of `jobs` workers (each pre-imports the stack, logs to log_path)."""
    from concurrent.futures import ProcessPoolExecutor

    return lambda: ProcessPoolExecutor(max_workers=jobs, initializer=init_process_worker,
                                       initargs=(str(log_path) if log_path else None,))


def dask_client(address: str, paths: list[Path]) -> "distributed.Client":
    """Connect to the scheduler, pre-import on every worker, check the workers see our paths."""
    from distributed import Client

    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise GongkaiError(f"cannot reach the dask scheduler {address}: {exc}") from exc
    hosts = client.run(preimport)
    if not hosts:
        client.close()
        raise GongkaiError(f"the dask scheduler {address} has no workers")
    missing = client.run(_missing_paths, [str(p) for p in paths])
    bad = {worker: m for worker, m in missing.items() if m}
    if bad:
        client.close()
        raise ConfigError("dask workers cannot see these paths (they need the same file system): "
                          + "; ".join(f"{w}: {', '.join(m)}" for w, m in bad.items()))
    log.info("dask scheduler %s: %d workers on %s", address, len(hosts), ", ".join(sorted(set(hosts.values()))))
    return client


def _missing_paths(paths: list[str]) -> list[str]:
    return [p for p in paths if not os.path.exists(p)]
