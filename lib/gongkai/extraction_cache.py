"""The extraction cache: what gongkai.extract made of a file, stored under its content hash (data/.cache).

An entry is `<sha256 of the file>-<extraction fingerprint>.json` and holds the Report as extraction
returns it: meta, facts and the conflicting statements (two statements of one figure that disagree). It holds no
check results: ingest runs the checks on every report, cached or not, so editing a check never
invalidates an entry. The fingerprint is the library version plus a digest of the code and vocabulary
tables that extraction runs on (EXTRACTION_CODE); a change to any of them makes every entry stale.
An unreadable entry is extracted again; a cache that cannot be written (a full disk) is logged once per run,
leaves no temp file and is never fatal.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from gongkai import __version__, config
from gongkai.extract import extract_file
from gongkai.model import Conflict, Fact, Report, ReportMeta

log = logging.getLogger(__name__)

# The code whose output an entry stores (globs under the package folder); checks are not among them.
# tests/test_extraction_cache.py fails when extraction starts importing a module these globs miss.
EXTRACTION_CODE = ("reading.py", "errors.py", "model.py", "numbers.py", "taxonomy.py", "wording.py", "identities.py",
                   "formats/**/*.py", "extract/**/*.py", "data/*.csv")


def code_fingerprint(package_dir: Path, patterns: Iterable[str], version: str) -> str:
    """16 hex digits over version and the paths and bytes of the files matching patterns under package_dir."""
    package_dir = Path(package_dir)
    digest = hashlib.sha256(version.encode())
    for pattern in patterns:
        for path in sorted(package_dir.glob(pattern)):
            digest.update(path.relative_to(package_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def extraction_fingerprint() -> str:
    """The fingerprint of the installed extraction code (computed once per process)."""
    return code_fingerprint(config.PACKAGE_DIR, EXTRACTION_CODE, __version__)


def report_to_json(report: Report) -> dict:
    """A Report as a JSON-ready dict (the cache entry's content)."""
    # vars() of these flat dataclasses is what asdict() gives, without its deep-copy cost
    return {"report": report.report, "url": report.source if report.source != report.path else "",
            "meta": dict(vars(report.meta)), "facts": [dict(vars(f)) for f in report.facts],
            "conflicts": [{"kept": dict(vars(c.kept)), "other": dict(vars(c.other))} for c in report.conflicts]}


def report_from_json(data: dict, path: str) -> Report:
    """The Report of a cache entry, read for the file at path; KeyError/TypeError on a malformed entry."""
    return Report(report=data["report"], source=data.get("url") or path, path=path,
                  meta=ReportMeta(**data["meta"]), facts=[Fact(**f) for f in data["facts"]],
                  conflicts=[Conflict(Fact(**c["kept"]), Fact(**c["other"])) for c in data["conflicts"]])


def entry_path(cache_dir: Path, sha: str) -> Path:
    """Where the entry of a file with this content hash lives under the current extraction code."""
    return Path(cache_dir) / f"{sha}-{extraction_fingerprint()}.json"


def extract_cached(path: Path, sha: str, cache_dir: Path | None, force: bool = False) -> tuple[Report, bool]:
    """Extract one file, or take its result from the cache; (report, was_cached).

    cache_dir None disables the cache; force extracts again and rewrites the entry. ReadError passes through.
    """
    entry = entry_path(cache_dir, sha) if cache_dir else None
    if entry and not force and entry.is_file():
        try:
            return report_from_json(json.loads(entry.read_text(encoding="utf-8")), str(path)), True
        except (ValueError, KeyError, TypeError):
            log.warning("%s: unreadable cache entry, extracting again", entry)
    report = extract_file(path)
    if entry:
        _store(entry, report)
    return report, False


_UNWRITABLE: set[Path] = set()     # cache folders a write failed in (disk full...): not tried again this run


def forget_write_failures() -> None:
    """Try writing every cache folder again (ingest calls it as it starts: the disk may have room now)."""
    _UNWRITABLE.clear()


def _store(entry: Path, report: Report) -> None:
    """Write an entry (temp file + rename). A failure is logged once per folder and run, leaves no temp file, and
    stops further writes to that folder: a full disk costs one warning, not one per file."""
    if entry.parent in _UNWRITABLE:
        return
    tmp = entry.with_suffix(f".tmp{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(report_to_json(report), ensure_ascii=False).encode("utf-8")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, entry)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        _UNWRITABLE.add(entry.parent)
        log.warning("cannot write the extraction cache in %s (%s): files of this run are not cached",
                    entry.parent, exc.strerror or exc)
