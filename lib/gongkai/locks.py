"""One gongkai run per folder: `with DirectoryLock(folder, what="ingest"):` or raise LockedError.

The lock is the file <folder>/.<what>.lock, held with flock(2) while the run lasts and holding its owner's
record (pid, process start time, host) so that a second run can say who holds it. flock is released by
the kernel when its owner dies, so a killed run never blocks the next one. The one way a lock outlives
its owner is a child process that inherited the open lock file (a forked worker left behind by a kill -9):
the record then names a process that is gone (no such pid, or a pid reused by a process that started
later), and the next run takes the lock over (a new lock file in place of the old one) with a log line.
The record is checked only on this host; a lock held from another host is always respected.
"""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import time
from datetime import datetime
from pathlib import Path

from gongkai.atomic import FILE_MODE
from gongkai.errors import GongkaiError, LockedError

log = logging.getLogger(__name__)

ACQUIRE_ATTEMPTS = 20        # rounds of open-lock-check before giving up (each one a few ms; a takeover costs one)
RECORD_WAIT = 0.05           # seconds to wait for a new holder to write its record before reading it again


def process_start(pid: int) -> int | None:
    """The start time of a process in clock ticks since boot (/proc/<pid>/stat field 22); None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _started_text(ticks: int | None) -> str:
    """A process start time as local wall-clock time ('2025-11-29 13:20:05'); now when unknown."""
    when = time.time()
    if ticks is not None:
        try:
            with open("/proc/stat", encoding="ascii") as f:
                boot = next(int(line.split()[1]) for line in f if line.startswith("btime "))
            when = boot + ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, StopIteration, ValueError):
            pass
    return datetime.fromtimestamp(when).strftime("%Y-%m-%d %H:%M:%S")


def owner_alive(record: dict) -> bool:
    """Whether the process a lock record names still runs: same host, the pid exists, same start time."""
    if record.get("host") != socket.gethostname():
        return True                                   # cannot tell from here: respect it
    pid = record.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass                                          # exists, another user's
    start = process_start(pid)
    return record.get("start") is None or start is None or start == record.get("start")


def _read_record(fd: int) -> dict | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        record = json.loads(data.decode("utf-8")) if data else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


class DirectoryLock:
    """Hold <directory>/.<what>.lock for a `with` block; LockedError when another live run holds it."""

    def __init__(self, directory, what: str = "ingest"):
        self.directory = Path(directory)
        self.what = what
        self.path = self.directory / f".{what}.lock"
        self._fd: int | None = None

    def __enter__(self) -> "DirectoryLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise LockedError (GongkaiError when the lock file cannot be created at all)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GongkaiError(f"cannot create {self.directory}: {exc.strerror}") from exc
        record: dict | None = None
        for _ in range(ACQUIRE_ATTEMPTS):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                record = _read_record(fd)
                os.close(fd)
                if record is None:                    # a new holder has not written its record yet
                    time.sleep(RECORD_WAIT)
                    continue
                if owner_alive(record):
                    break
                self._take_over(record)
                continue
            if not self._is_current(fd):              # replaced by a takeover meanwhile: lock the new file
                os.close(fd)
                continue
            left = _read_record(fd)
            if left:                                   # a clean release removes the file: its owner was killed
                log.warning("%s: taking over the lock left by gongkai %s pid %s (started %s), which is gone",
                            self.path, self.what, left.get("pid"), left.get("started"))
            self._write_record(fd)
            self._fd = fd
            return
        raise LockedError(self.directory, self.what, (record or {}).get("pid"), (record or {}).get("started"))

    def release(self) -> None:
        """Drop the lock file and release the lock (a no-op when not held)."""
        if self._fd is None:
            return
        try:
            if self._is_current(self._fd):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except OSError as exc:
            raise GongkaiError(f"cannot create the lock file {self.path}: {exc.strerror}") from exc

    def _is_current(self, fd: int) -> bool:
        """Whether fd is still the file at self.path (a takeover replaces it with a new one)."""
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def _write_record(self, fd: int) -> None:
        start = process_start(os.getpid())
        record = {"pid": os.getpid(), "start": start, "started": _started_text(start), "host": socket.gethostname(),
                  "what": self.what}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            log.warning("%s: no room to record the lock's owner (%s)", self.path, exc.strerror)

    def _take_over(self, stale: dict) -> None:
        """Replace a lock file whose owner is gone (a leftover child still holds it open) by a new one.

        Takeovers are serialized by a lock on the folder itself, and each checks under it that the file is
        still the stale one, so two runs taking over at once cannot both end up holding the lock."""
        guard = os.open(self.directory, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
            except FileNotFoundError:
                return
            try:
                if _read_record(fd) != stale:
                    return                             # taken over or re-taken meanwhile: start again
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self.path.unlink()
                    log.warning("%s: taking over the lock of gongkai %s pid %s (started %s): that process is gone",
                                self.path, self.what, stale.get("pid"), stale.get("started"))
                # else: the leftover holder just went away; the next round takes the lock normally
            finally:
                os.close(fd)
        finally:
            os.close(guard)


__all__ = ["DirectoryLock", "owner_alive", "process_start"]
