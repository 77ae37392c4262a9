"""Concurrent runs on one dataset: one ingest per data folder (gongkai.locks), a lock left by a killed ingest or
held by a leftover child never blocks the next one, and a reader never sees a mix of two ingests' tables.

Processes started here run in their own session and are killed as a group in a finally; every wait is bounded.
"""
from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gongkai import store
from gongkai.dataset import load
from gongkai.errors import LockedError
from gongkai.ingest import ingest
from gongkai.locks import DirectoryLock
from report_texts import write_reports

PROJECT = Path(__file__).resolve().parents[1]
WAIT = 60                    # seconds any wait below may take before the test fails
# an ingest whose extraction takes `delay` seconds per file, so that a second run surely meets it
SLOW_INGEST = """
import sys, time
import gongkai.ingest as ingest
real = ingest.extract_cached
def slow(*args, **kwargs):
    time.sleep(float(sys.argv[3]))
    return real(*args, **kwargs)
ingest.extract_cached = slow
print(ingest.ingest([sys.argv[1]], sys.argv[2]).reports, flush=True)
"""
# a process that takes the lock, forks a child that keeps the lock file open, prints the child's pid and dies
LEFTOVER_CHILD = """
import os, sys, time
from gongkai.locks import DirectoryLock
lock = DirectoryLock(sys.argv[1], what="ingest")
lock.acquire()
child = os.fork()
if child == 0:
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    os.dup2(null, 2)
    time.sleep(120)
    os._exit(0)
print(child, flush=True)
os._exit(0)
"""


def gongkai(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=PROJECT, timeout=WAIT)


def start(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=PROJECT, start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=WAIT)


def wait_for_lock(data: Path, proc: subprocess.Popen) -> None:
    """Until proc holds the ingest lock of data (its record written)."""
    lock = data / ".ingest.lock"
    deadline = time.monotonic() + WAIT
    while not (lock.is_file() and lock.stat().st_size):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the ingest never took its lock"
        time.sleep(0.05)


@pytest.fixture
def reports_dir(tmp_path):
    return write_reports(tmp_path)


def test_a_second_ingest_of_a_folder_in_use_stops_at_once_with_one_sentence(reports_dir, tmp_path):
    data = tmp_path / "data"
    with DirectoryLock(data, what="ingest"):
        result = gongkai("ingest", reports_dir, "--data", data)
    assert (result.returncode, result.stdout) == (1, "")
    assert re.fullmatch(rf"gongkai ingest: another gongkai ingest is running on {re.escape(str(data))} "
                        rf"\(pid {os.getpid()} on [^,]+, started \d{{4}}-\d\d-\d\dT[\d:]+\+00:00\)\n", result.stderr)
    assert not (data / "facts.csv").exists()
    with pytest.raises(LockedError, match=f"pid {os.getpid()}"):         # in-process callers get the error
        with DirectoryLock(data, what="ingest"):
            ingest([reports_dir], data)


@pytest.mark.slow                      # seconds of subprocesses or layout: the full run has it
def test_two_ingests_at_once_one_runs_and_the_other_says_so(reports_dir, tmp_path):
    data = tmp_path / "data"
    first = start(SLOW_INGEST, reports_dir, data, 0.5)
    try:
        wait_for_lock(data, first)
        second = gongkai("ingest", reports_dir, "--data", data)
        assert second.returncode == 1 and second.stdout == ""
        assert second.stderr.startswith(f"gongkai ingest: another gongkai ingest is running on {data} (pid {first.pid} on ")
        out, err = first.communicate(timeout=WAIT)
        assert (first.returncode, out) == (0, "3\n"), err
    finally:
        kill_group(first)
    assert len(load(data).reports) == 3 and not (data / ".ingest.lock").exists()


def test_the_lock_of_a_killed_ingest_does_not_block_the_next(reports_dir, tmp_path, caplog):
    data = tmp_path / "data"
    first = start(SLOW_INGEST, reports_dir, data, 5)
    try:
        wait_for_lock(data, first)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=WAIT)
    finally:
        kill_group(first)
    assert (data / ".ingest.lock").is_file()                        # the killed run could not remove it
    with caplog.at_level(logging.WARNING, logger="gongkai.locks"):
        summary = ingest([reports_dir], data)
    assert summary.reports == 3
    assert re.search(rf"taking over the stale ingest lock of pid {first.pid} on [^,]+, started [^:]+.*: that process is gone",
                     caplog.text)


def test_a_lock_kept_open_by_a_leftover_child_of_a_dead_ingest_is_taken_over(tmp_path, caplog):
    data = tmp_path / "data"
    parent = start(LEFTOVER_CHILD, data)
    try:
        out, err = parent.communicate(timeout=WAIT)
        child = int(out)
        os.kill(child, 0)                                           # alive, holding the lock file open
        with caplog.at_level(logging.WARNING, logger="gongkai.locks"):
            with DirectoryLock(data, what="ingest") as lock:
                assert lock.path.is_file()
                with pytest.raises(LockedError, match=f"pid {os.getpid()}"):   # and it is ours now
                    DirectoryLock(data, what="ingest").acquire()
        # the forked child closed its copy of the lock (locks.py, at fork) or still holds it: taken over either way
        assert re.search(rf"ingest lock of pid {parent.pid} on [^,]+, started .*that process is gone", caplog.text)
    finally:
        kill_group(parent)                                          # the child shares the parent's group


def test_a_reader_reads_again_when_an_ingest_replaces_the_tables_under_it(reports_dir, tmp_path, monkeypatch):
    data = tmp_path / "data"
    ingest([reports_dir / "样例区" / "yangli_2016.txt"], data)      # one report
    real, calls = store.read_rows, []

    def read_then_ingest(path, columns):
        rows = real(path, columns)
        calls.append(Path(path).name)
        if len(calls) == 1:                        # facts.csv of the old set read: now a new set lands
            ingest([reports_dir], data)
        return rows

    monkeypatch.setattr(store, "read_rows", read_then_ingest)
    ds = load(data)
    assert len(ds.reports) == 3 and len(ds.facts) == ds.reports["facts"].sum()      # the new set, whole
    assert calls == ["facts.csv", "reports.csv", "findings.csv"] * 2


def test_a_reader_waits_for_a_live_ingest_to_finish_its_commit(reports_dir, tmp_path):
    data = tmp_path / "data"
    ingest([reports_dir / "样例区" / "yangli_2016.txt"], data)
    new = tmp_path / "new"
    ingest([reports_dir], new)
    holding, done = threading.Event(), []

    def committing_ingest():
        """What an ingest between its marker and its last replace looks like, for 0.5 s."""
        with DirectoryLock(data, what="ingest"):
            for name in store.TABLES:
                (data / f".{name}.x1.tmp").write_bytes((new / name).read_bytes())
            (data / store.COMMIT_MARKER).write_text(
                '{' + ", ".join(f'".{n}.x1.tmp": "{n}"' for n in store.TABLES) + '}', encoding="utf-8")
            holding.set()
            time.sleep(0.5)
            store.recover(data)
            done.append(time.monotonic())

    thread = threading.Thread(target=committing_ingest)
    thread.start()
    try:
        assert holding.wait(WAIT)
        ds = load(data)
        assert done and len(ds.reports) == 3          # it waited for the commit, then read the new set
    finally:
        thread.join(WAIT)
