"""Which files under the given folders are reports to read, which are skipped and why, which cannot be read.

scan_reports() walks each folder (recursively, in name order) and sorts every entry into one of:
- files: regular files to read (hidden files and folders, Office lock files '~$…' and READMEs are left out
  silently, as they are never reports);
- skipped, with the reason: a symbolic link that leaves the reports folder (a link to /etc/passwd is never
  read), a link to a folder (not followed: no loops, no file read twice), and anything that is not a regular
  file — a FIFO would block the reader forever, a device or a socket is no report;
- unreadable, with the problem: a folder that cannot be listed or an entry that cannot be examined
  (permission denied, an I/O error). Ingest treats these as errors and keeps the reports it read from
  there last time, so an unreadable folder never silently drops reports from the dataset.
A file given directly is read when it is a regular file (a link given by hand is followed). Nothing is opened.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import GongkaiError

SKIP_NAMES = {"README.md", "README.txt", ".gitkeep", "Thumbs.db", "desktop.ini"}
HIDDEN_PREFIXES = (".", "~$")
FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


@dataclass
class Scan:
    """The outcome of scan_reports: files to read, (path, reason) skipped, (path, problem) unreadable."""
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def _kind(mode: int) -> str:
    return next((name for test, name in FILE_KINDS if test(mode)), "not a regular file")


def _problem(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _entry(path: Path, root: Path, scan: Scan) -> None:
    """Sort one entry of a reports folder (recursing into sub-folders)."""
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                scan.skipped.append((str(path), "a link to nothing (or a loop of links): not read"))
                return
            if target != root and root not in target.parents:
                scan.skipped.append((str(path), f"a link to {target}, outside the reports folder: not read"))
                return
            if target.is_dir():
                scan.skipped.append((str(path), "a link to a folder: not followed"))
                return
        mode = os.stat(path).st_mode
    except OSError as exc:
        scan.unreadable.append((str(path), f"cannot examine it: {_problem(exc)}"))
        return
    if stat.S_ISDIR(mode):
        _walk(path, root, scan)
    elif not stat.S_ISREG(mode):
        scan.skipped.append((str(path), f"{_kind(mode)}, not a regular file: not read"))
    elif path.name not in SKIP_NAMES:
        scan.files.append(path)


def _walk(folder: Path, root: Path, scan: Scan) -> None:
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries)
    except OSError as exc:
        scan.unreadable.append((str(folder), f"cannot read the folder: {_problem(exc)}"))
        return
    for name in names:
        if not name.startswith(HIDDEN_PREFIXES):
            _entry(folder / name, root, scan)


def scan_reports(paths: Iterable) -> Scan:
    """Sort everything under the given folders (or given directly) into files, skipped and unreadable.

    Raises GongkaiError for a path that does not exist."""
    scan = Scan()
    for given in paths:
        given = Path(given)
        try:
            mode = os.stat(given).st_mode
        except FileNotFoundError:
            raise GongkaiError(f"{given}: no such file or folder") from None
        except OSError as exc:
            scan.unreadable.append((str(given), f"cannot examine it: {_problem(exc)}"))
            continue
        if stat.S_ISDIR(mode):
            _walk(given, given.resolve(), scan)
        elif stat.S_ISREG(mode):
            scan.files.append(given)
        else:
            scan.skipped.append((str(given), f"{_kind(mode)}, not a regular file: not read"))
    return scan


__all__ = ["Scan", "scan_reports", "SKIP_NAMES"]
