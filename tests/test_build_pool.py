"""gongkai.build.pool: at most `jobs` renders in flight, every outcome reported, a dead pool replaced once."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from gongkai.build import RenderOutcome, RenderTask
from gongkai.build.pool import dask_client, render_all
from gongkai.errors import ConfigError


def tasks(n: int) -> list[RenderTask]:
    return [RenderTask(f"office/b{i}", "office", {}, "/out", "/data", "/nb.ipynb", "/out/_failed") for i in range(n)]


def run(todo, render, jobs=2, pools=None):
    """render_all on thread pools; returns the outcomes by name in arrival order and the pools made."""
    pools = [] if pools is None else pools
    outcomes: dict[str, RenderOutcome] = {}

    def make():
        pools.append(ThreadPoolExecutor(max_workers=4))
        return pools[-1]
    render_all(todo, make, jobs, render, lambda task, outcome: outcomes.__setitem__(task.name, outcome))
    return outcomes, pools


def test_at_most_jobs_in_flight_and_every_outcome_reported():
    lock, running, peak = threading.Lock(), [0], [0]

    def render(task):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return RenderOutcome(task.name, True, 0.02)
    outcomes, pools = run(tasks(7), render, jobs=2)
    assert set(outcomes) == {f"office/b{i}" for i in range(7)} and all(o.ok for o in outcomes.values())
    assert peak[0] == 2 and len(pools) == 1


def test_an_exception_is_a_failed_outcome_not_a_stop():
    def render(task):
        if task.name == "office/b1":
            raise OSError("worker lost")
        return RenderOutcome(task.name, True, 0.0)
    outcomes, _ = run(tasks(3), render)
    assert outcomes["office/b1"].ok is False and outcomes["office/b1"].error == "OSError: worker lost"
    assert outcomes["office/b0"].ok and outcomes["office/b2"].ok


def test_a_dead_pool_is_replaced_once():
    deaths = []

    def render(task):
        if task.name == "office/b0" and len(deaths) < 1:
            deaths.append(task.name)
            raise BrokenProcessPool("killed")
        return RenderOutcome(task.name, True, 0.0)
    outcomes, pools = run(tasks(3), render, jobs=1)
    assert all(o.ok for o in outcomes.values()) and len(outcomes) == 3 and len(pools) == 2

    def always_dies(task):
        raise BrokenProcessPool("killed")
    outcomes, pools = run(tasks(2), always_dies, jobs=1)
    assert len(pools) == 2 and {o.error for o in outcomes.values()} == {"the worker process died (out of memory?)"}


def test_an_interrupt_stops_the_pool_and_propagates():
    pools: list = []

    def render(task):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(tasks(3), render, jobs=1, pools=pools)
    with pytest.raises(RuntimeError):                 # shut down: it takes no more work
        pools[0].submit(print)


def test_dask_workers_must_see_the_project_paths(tmp_path):
    import distributed

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        client = dask_client(cluster.scheduler_address, [tmp_path])
        client.close()
        with pytest.raises(ConfigError) as caught:
            dask_client(cluster.scheduler_address, [tmp_path, tmp_path / "not-shared"])
    assert "dask workers cannot see these paths" in str(caught.value)
    assert str(tmp_path / "not-shared") in str(caught.value) and f"{tmp_path}," not in str(caught.value)
