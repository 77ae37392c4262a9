"""gongkai.locks: one lock per folder and command; its record names the owner; a dead owner's lock is taken over
(with a log line), a live owner's never; a forked child does not keep its parent's lock."""
from __future__ import annotations

import fcntl
import json
import re
import os
import pickle
import signal
import socket
import subprocess
import sys
import time

import pytest

from gongkai.errors import GongkaiError, LockedError
from gongkai.locks import DirectoryLock, owner_is_gone, process_start

HOLD = """\
import os, sys, time
from gongkai.locks import DirectoryLock
lock = DirectoryLock(sys.argv[1], what="build")
lock.acquire()
child = os.fork() if sys.argv[2] == "fork" else 0
if child == 0 and sys.argv[2] == "fork":
    time.sleep(60)                      # a pool worker forked while the lock is held
    os._exit(0)
print(child, flush=True)
time.sleep(60)
"""


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def record(pid: int, start: str | None, host: str | None = None) -> str:
    return json.dumps({"pid": pid, "start": start, "host": host or socket.gethostname(), "what": "build",
                       "started": "2026-01-01T02:30:00+08:00"})


def test_the_lock_records_its_owner_and_goes_away_when_released(tmp_path):
    with DirectoryLock(tmp_path / "out", what="build") as lock:
        assert lock.held and lock.path == tmp_path / "out" / ".build.lock"
        owner = json.loads(lock.path.read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid() and owner["host"] == socket.gethostname() and owner["what"] == "build"
        assert owner["start"] == process_start(os.getpid()) and owner["start"] and owner["started"]
    assert not lock.held and not lock.path.exists()
    with DirectoryLock(tmp_path / "out", what="ingest") as again:           # free again, and per command
        assert again.path.name == ".ingest.lock"


def test_a_live_owner_keeps_its_lock(tmp_path):
    with DirectoryLock(tmp_path, what="ingest"):
        with pytest.raises(LockedError) as caught:
            DirectoryLock(tmp_path, what="ingest").acquire()
        assert DirectoryLock(tmp_path, what="build").acquire() is None          # another command's lock
    error = caught.value
    assert isinstance(error, GongkaiError) and error.owner["pid"] == os.getpid() and error.what == "ingest"
    assert str(error).startswith(f"another gongkai ingest is running on {tmp_path} (pid {os.getpid()} on ")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_a_held_lock_without_a_record_is_respected(tmp_path):
    with open(tmp_path / ".build.lock", "w") as held:               # as a build of the previous version holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(LockedError, match=r"another gongkai build is running on .* \(owner unknown\)"):
            DirectoryLock(tmp_path).acquire()


def test_the_lock_of_a_dead_owner_is_taken_over_with_a_log_line(tmp_path, caplog):
    gone = dead_pid()
    (tmp_path / ".build.lock").write_text(record(gone, "some-boot:1"), encoding="utf-8")
    with caplog.at_level("WARNING", logger="gongkai.locks"), DirectoryLock(tmp_path) as lock:
        assert json.loads(lock.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert f"taking over the stale build lock of pid {gone} on {socket.gethostname()}" in caplog.text
    assert "that process is gone" in caplog.text


def test_a_recycled_pid_is_not_the_owner(tmp_path, caplog):
    stale = record(os.getpid(), "another-boot:12345")                # our pid, but another process's start
    assert owner_is_gone(json.loads(stale)) and not owner_is_gone(json.loads(record(os.getpid(),
                                                                                    process_start(os.getpid()))))
    (tmp_path / ".build.lock").write_text(stale, encoding="utf-8")
    with caplog.at_level("WARNING", logger="gongkai.locks"), DirectoryLock(tmp_path):
        pass
    assert "taking over the stale build lock" in caplog.text


def test_a_lock_held_by_a_leftover_of_a_dead_owner_is_taken_over(tmp_path, caplog):
    gone = dead_pid()
    with open(tmp_path / ".build.lock", "w") as leftover:             # an orphan still holds the dead build's lock
        fcntl.flock(leftover, fcntl.LOCK_EX | fcntl.LOCK_NB)
        leftover.write(record(gone, "some-boot:1"))
        leftover.flush()
        with caplog.at_level("WARNING", logger="gongkai.locks"), DirectoryLock(tmp_path) as lock:
            assert json.loads(lock.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
            with pytest.raises(LockedError):                      # and the new lock is a lock
                DirectoryLock(tmp_path).acquire()
    assert f"the build lock of pid {gone}" in caplog.text and "held by a process it left behind" in caplog.text


def test_an_owner_on_another_host_is_respected_while_it_holds_the_lock(tmp_path):
    with open(tmp_path / ".build.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write(record(dead_pid(), "some-boot:1", host="cron-host-2"))
        held.flush()
        with pytest.raises(LockedError, match="on cron-host-2"):
            DirectoryLock(tmp_path).acquire()


@pytest.mark.parametrize("fork", [False, True])
def test_kill_9_of_the_owner_frees_the_lock_even_with_a_forked_child_alive(tmp_path, caplog, fork):
    owner = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "fork" if fork else "-"],
                             stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        child = int(owner.stdout.readline())
        with pytest.raises(LockedError, match=f"pid {owner.pid} on "):
            DirectoryLock(tmp_path).acquire()
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        with caplog.at_level("WARNING", logger="gongkai.locks"), DirectoryLock(tmp_path):
            assert not fork or process_start(child) is not None        # the forked child lives on, lockless
        # taken over whether the child had already closed its copy of the lock (stale) or not yet (left behind)
        assert re.search(rf"(taking over the stale build lock of pid {owner.pid} |build lock of pid {owner.pid} on "
                         rf".* is held by a process it left behind, but that process is gone; taking the lock over)",
                         caplog.text)
    finally:
        for pid in (owner.pid, child):
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        owner.wait(timeout=10)
        if fork and child:
            deadline = time.monotonic() + 10              # the orphaned child was reparented; wait until it is gone
            while process_start(child) is not None and time.monotonic() < deadline:
                time.sleep(0.05)
