"""One lock per folder for the commands that must not run twice on it (`gongkai build` on its outputs,
`gongkai ingest` on its data folder): `with DirectoryLock(folder, what="build"): ...`.

The lock is DIR/.<what>.lock, held with flock (so the kernel releases it when its holder dies, however it
dies) and holding a record of its owner: pid, the process's start (boot id and start tick from
/proc/<pid>/stat, so a recycled pid is not mistaken for the owner), host, and when it was taken. A second
process on the folder gets LockedError naming that owner. A record whose owner is gone is stale and is taken
over with a warning in the log: when the flock is free (the owner was killed), and also when the flock is
still held but the recorded owner is provably gone (same host, no process with that pid and start) -- a
process it left behind holds it, so the lock file is replaced by a fresh one. A held lock whose owner cannot
be checked (another host, no record yet) is respected.

Children forked while the lock is held (process-pool workers) close their copy of the lock's file
descriptor at once (os.register_at_fork), so an orphaned worker can never keep a dead build's lock.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from datetime import datetime
from pathlib import Path

from gongkai.errors import LockedError

log = logging.getLogger(__name__)

RECORD_BYTES = 4096      # at most this much of a lock file is read as its owner record
ATTEMPTS = 5             # times acquire re-opens the lock file when it is replaced under it

_HELD: dict[int, "DirectoryLock"] = {}      # fd -> lock, for closing in forked children


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def process_start(pid: int) -> str | None:
    """An identity of the process pid's start (same pid and start = same process); None when it is gone.

    On Linux: the boot id and the start time in clock ticks from /proc/<pid>/stat (a zombie counts as gone);
    elsewhere psutil's create time.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
        return _psutil_start(pid)
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()        # after "pid (comm) ": state is field 3, starttime 22
    if fields[0] in ("Z", "X"):
        return None
    return f"{_boot_id()}:{fields[19]}"


def _psutil_start(pid: int) -> str | None:
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return f"{process.create_time():.3f}"
    except psutil.Error:
        return None


def owner_record(what: str) -> dict:
    """The record this process writes into a lock it takes."""
    return {"pid": os.getpid(), "start": process_start(os.getpid()), "host": socket.gethostname(), "what": what,
            "started": datetime.now().astimezone().isoformat(timespec="seconds")}


def owner_is_gone(record: dict) -> bool:
    """True when the record names a process of this host that no longer runs (pid gone or recycled)."""
    if not record.get("pid") or not record.get("start") or record.get("host") != socket.gethostname():
        return False
    try:
        pid = int(record["pid"])
    except (TypeError, ValueError):
        return False
    return process_start(pid) != record["start"]


def owner_is_alive(record: dict) -> bool:
    """True when the record names a process of this host that still runs (same pid and start)."""
    return bool(record.get("pid")) and record.get("host") == socket.gethostname() and not owner_is_gone(record)


def _read_record(fd: int) -> dict:
    try:
        record = json.loads(os.pread(fd, RECORD_BYTES, 0).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _same_file(fd: int, path: Path) -> bool:
    """True when path still names the file open as fd (not unlinked or replaced meanwhile)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)


def _describe(record: dict) -> str:
    return f"pid {record.get('pid')} on {record.get('host')}, started {record.get('started')}"


class DirectoryLock:
    """The lock of one folder for one command (`what`: build, ingest); a context manager.

    Entering raises LockedError when a live process holds it; a stale lock is taken over (logged).
    """

    def __init__(self, directory, what: str = "build"):
        self.directory = Path(directory)
        self.what = what
        self.path = self.directory / f".{what}.lock"
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> None:
        """Take the lock or raise LockedError naming its owner."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for _ in range(ATTEMPTS):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                if self._try_lock(fd):
                    self._fd, self._pid = fd, os.getpid()
                    _HELD[fd] = self
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
        raise LockedError(self.directory, self.what, _read_record_at(self.path))

    def _try_lock(self, fd: int) -> bool:
        """Lock fd and write our record: True; False when the file was replaced meanwhile (open it again)."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            record = _read_record(fd)
            if not owner_is_gone(record):
                raise LockedError(self.directory, self.what, record) from None
            if _same_file(fd, self.path):
                log.warning("%s: the %s lock of %s is held by a process it left behind, but that process is "
                            "gone; taking the lock over", self.path, self.what, _describe(record))
                os.unlink(self.path)                # the leftover keeps its lock on the unlinked file
            return False
        if not _same_file(fd, self.path):
            return False
        previous = _read_record(fd)
        if owner_is_alive(previous) and previous.get("pid") != os.getpid():
            raise LockedError(self.directory, self.what, previous)      # alive but lost its flock: respect it
        if previous.get("pid"):
            log.warning("%s: taking over the stale %s lock of %s: that process is gone", self.path, self.what,
                        _describe(previous))
        data = json.dumps(owner_record(self.what)).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)              # no fsync: a record outlives no reboot that the flock would not
        return True

    def release(self) -> None:
        """Remove the lock file and release the lock (a no-op when not held)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _HELD.pop(fd, None)
        try:
            if self._pid == os.getpid() and _same_file(fd, self.path):
                self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> "DirectoryLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_record_at(path: Path) -> dict:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        return _read_record(fd)
    finally:
        os.close(fd)


def _forget_in_child() -> None:
    """In a forked child: close the inherited lock descriptors (the parent keeps the locks)."""
    for fd, lock in list(_HELD.items()):
        lock._fd = None
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)
