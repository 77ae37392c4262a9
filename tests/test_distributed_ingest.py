"""gongkai.distributed_ingest: ingest on Dask workers into the Parquet form; killed workers and clients lose nothing.

These start a Dask LocalCluster (worker processes, a few seconds each): marked slow.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from gongkai import columnar
from gongkai.dataset import load
from gongkai.distributed_ingest import distributed_ingest
from gongkai.synth import generate

pytestmark = pytest.mark.slow
KEY = ["office_id", "year", "metric", "dim", "value"]


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    out = tmp_path_factory.mktemp("country")
    generate(out, 40, [2018, 2019, 2020, 2021], seed=9, form="csv", texts=True)
    return out


def _data_dir(tmp_path, country):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("offices.csv", "places.csv"):
        (data / name).write_bytes((country / name).read_bytes())
    return data


def _same_facts(a, b) -> bool:
    x = a[KEY].sort_values(KEY).reset_index(drop=True)
    y = b[KEY].sort_values(KEY).reset_index(drop=True)
    return x.astype(str).equals(y.astype(str))


def test_two_workers_ingest_the_truth_and_reuse_the_cache(tmp_path, country):
    data = _data_dir(tmp_path, country)
    summary = distributed_ingest([country / "reports"], data, workers=2, progress=False, batch=10)
    assert summary.reports == len(pd.read_csv(country / "reports.csv")) and not summary.failed
    assert not summary.new_offices
    assert _same_facts(load(data, form="parquet").facts, load(country, form="csv").facts)
    again = distributed_ingest([country / "reports"], data, workers=1, progress=False)
    assert again.cached == again.reports and again.extracted == 0


def test_a_killed_worker_loses_nothing(tmp_path, country):
    from dask.distributed import Client, LocalCluster
    data = _data_dir(tmp_path, country)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        victim = sorted(client.scheduler_info()["workers"])[0]
        result = {}
        thread = threading.Thread(target=lambda: result.update(s=distributed_ingest(
            [country / "reports"], data, client=client, progress=False, batch=2)))
        thread.start()
        deadline = time.monotonic() + 120     # kill it once the first files are extracted
        while time.monotonic() < deadline and len(list((data / ".cache").glob("*.json"))) < 10:
            time.sleep(0.01)
        assert thread.is_alive(), "the ingest finished before a worker could be killed"
        try:
            client.run(os._exit, 1, workers=[victim])
        except Exception:
            pass   # the worker died while answering
        thread.join(timeout=300)
    assert "s" in result, "ingest did not finish after a worker was killed"
    assert _same_facts(load(data, form="parquet").facts, load(country, form="csv").facts)


def test_a_killed_client_leaves_the_previous_dataset(tmp_path, country):
    data = _data_dir(tmp_path, country)
    first_district = sorted(p for p in (country / "reports").glob("*/*") if p.is_dir())[0]
    distributed_ingest([first_district], data, workers=1, progress=False)
    before = columnar.current(data)
    facts_before = load(data, form="parquet").facts
    cached = len(list((data / ".cache").glob("*.json")))
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "ingest", "--workers", "1", "--data", str(data),
                             str(country / "reports")], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list((data / ".cache").glob("*.json"))) < cached + 10:
            time.sleep(0.02)
        assert list((data / columnar.FOLDER).glob(".v*.tmp")), "the ingest never started writing"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert columnar.current(data) == before
    assert _same_facts(load(data, form="parquet").facts, facts_before)
