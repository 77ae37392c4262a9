"""Ingest: report files in, data/facts.csv, reports.csv and findings.csv out, as one atomic set.

ingest() holds the data folder's ingest lock (gongkai.locks: a second ingest of the same folder stops at once
with LockedError), lists the report files (gongkai.scanning: links out of the folder, FIFOs and devices are
skipped with a reason; an unreadable folder or file is noted) and, per file: extracts it (through the
extraction cache, so an unchanged file costs a hash), files it under an office of the registry
(data/offices.csv), leaves out figures beyond MAX_FIGURE (each a finding), runs the within-report checks on
it (always, cached or not), and notes what it lacks (an office, a year, any figure). The reports of a folder
or file that could not be read keep the rows the previous ingest gave them. Then it applies the reviewed
corrections of data/overrides.csv, runs the across-report checks (year N against year N-1, reports of one
office-year) and writes the three tables with gongkai.store: all three or none (a full disk leaves the
previous ones and says so). One bad file never stops the batch; it is named in the summary with its
problem. Input files are only ever read. Nothing is printed: the IngestSummary it returns is for the
command line (gongkai.cli.data) and tests.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import config
from gongkai.formats import limits
from gongkai.checks import check_across_years, check_conflicts, check_report
from gongkai.checks.across import ACROSS_CHECKS
from gongkai.errors import GongkaiError, ReadError
from gongkai.extraction_cache import extract_cached, forget_write_failures
from gongkai.locks import DirectoryLock
from gongkai.model import FINDING_COLUMNS, Finding, Report
from gongkai.overrides import apply_overrides, read_overrides
from gongkai.registry import Placement, Registry, load_registry
from gongkai.scanning import SKIP_NAMES, Scan, scan_reports
from gongkai.store import SOURCES, commit_tables, read_dataset_rows, read_sources, recover

log = logging.getLogger(__name__)

CACHE_FOLDER = ".cache"
MAX_FIGURE = 1e12            # no office states more items, requests or yuan than this: a larger figure is a misreading


@dataclass
class IngestSummary:
    """What one ingest did: counts, files that failed, repeated another or were skipped, folders or files that
    could not be read (errors: their previous rows were kept), offices new to the registry."""
    data_dir: Path
    files: int = 0
    reports: int = 0
    extracted: int = 0
    cached: int = 0
    facts: int = 0
    errors: int = 0
    warnings: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)      # (path, problem)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, path of the same content)
    new_offices: list[tuple[str, str, str]] = field(default_factory=list)  # (office_id, name, district)
    notes: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)     # (path, why it was not read)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (folder or file, problem)
    kept: int = 0            # reports of unreadable folders or files kept from the previous ingest


def report_files(paths: Iterable) -> list[Path]:
    """Every report file under the given folders (recursively) or given directly (gongkai.scanning: hidden
    files, READMEs, links out of the folder and non-regular files left out). Raises GongkaiError for a path
    that does not exist."""
    return scan_reports(paths).files


def fact_rows(report: Report, place: Placement) -> list[dict]:
    """facts.csv rows of one report; a fact's year is its own (derived facts) or the report's data year."""
    return [{"report": report.report, "office_id": place.office_id, "office": place.office,
             "district": place.district, "year": f.year if f.year is not None else report.meta.year,
             "metric": f.metric, "dim": f.dim, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
             "method": f.method, "start": f.start, "end": f.end, "quote": f.quote} for f in report.facts]


def place_report(report: Report, registry: Registry, path: Path) -> Placement:
    """The office a report is filed under: the office and district it names, else its folder's district."""
    return registry.place(report.meta.office, report.meta.district, Path(path).parent.name)


def finding_rows(report: Report) -> list[dict]:
    """findings.csv rows of one report's findings."""
    return [{"report": report.report} | {k: getattr(f, k) for k in FINDING_COLUMNS[1:]} for f in report.findings]


def report_row(report: Report, place: Placement, facts: int) -> dict:
    """The reports.csv row of one report (errors and warnings are counted once all findings are in)."""
    meta = report.meta
    return {"report": report.report, "source": report.source, "office_id": place.office_id, "office": place.office,
            "district": place.district, "year": meta.year, "title_year": meta.title_year, "era": meta.era,
            "full_year": meta.full_year, "facts": facts, "errors": 0, "warnings": 0}


def _file_hash(path: Path) -> tuple[str, bool]:
    """(sha256 of the file, whether it was read); a file over limits.MAX_BINARY_BYTES is not read
    (read_document refuses it by name) and gets the hash of no bytes."""
    data = path.read_bytes() if path.stat().st_size <= limits.MAX_BINARY_BYTES else b""
    return hashlib.sha256(data).hexdigest(), bool(data)


def sane_figures(report: Report) -> list[Finding]:
    """Leave out of report.facts every figure that is not a finite number of at most MAX_FIGURE (a numeral misread
    as 10^400 would show as 'inf'); one warning finding per figure left out, naming its phrase."""
    kept, findings = [], []
    for fact in report.facts:
        value = float(fact.value)
        if math.isfinite(value) and abs(value) <= MAX_FIGURE:
            kept.append(fact)
        else:
            findings.append(Finding(check="absurd", severity="warning", metric=fact.metric, dim=fact.dim,
                                    message=f"absurd figure left out: {fact.metric} \"{fact.quote}\" is beyond "
                                            f"10^{round(math.log10(MAX_FIGURE))}"))
    report.facts = kept
    return findings


def _under(path: str, places: list[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in places)


def _kept_rows(data_dir: Path, unreadable: list[str], read: set[str]) -> tuple[dict[str, list[dict]], dict[str, str],
                                                                              str | None]:
    """The previous dataset's rows ({table: rows}: facts, reports, within-report findings) of the reports that
    came from an unreadable folder or file and were not read again from elsewhere, their source paths, and a
    note. Without a record of where the previous reports came from (SOURCES), every previous report not read
    this time is kept: when in doubt, nothing is dropped."""
    recorded = read_sources(data_dir)
    if not (data_dir / "reports.csv").is_file():
        return {}, {}, None                            # a first ingest: nothing to keep
    if recorded is not None:
        sources = {rid: path for rid, path in recorded.items() if rid not in read and _under(path, unreadable)}
        if not sources:
            return {}, {}, None
    try:
        tables = read_dataset_rows(data_dir)
    except GongkaiError as exc:
        return {}, {}, f"the previous rows of the unreadable files could not be kept: {exc}"
    rows = {name: [dict(zip(header, row)) for row in body] for name, (header, body) in tables.items()}
    note = None
    if recorded is None:
        sources = {r["report"]: "" for r in rows["reports.csv"] if r["report"] not in read}
        note = (f"no record of the files the previous {len(rows['reports.csv'])} report(s) came from: the "
                f"{len(sources)} not read this time were kept")

    def number(cell: str, kind=int):
        return kind(float(cell)) if cell else None

    kept = {"facts.csv": [f | {"value": float(f["value"]), "year": number(f["year"]), "start": number(f["start"]),
                               "end": number(f["end"])} for f in rows["facts.csv"] if f["report"] in sources],
            "reports.csv": [r | {"year": number(r["year"]), "facts": 0, "errors": 0, "warnings": 0}
                            for r in rows["reports.csv"] if r["report"] in sources],
            "findings.csv": [f for f in rows["findings.csv"]
                             if f["report"] in sources and f["check"] not in ACROSS_CHECKS]}
    ids = {r["report"] for r in kept["reports.csv"]}
    return kept, {rid: path for rid, path in sources.items() if rid in ids and path}, note


def ingest(paths: Iterable, data_dir=None, force: bool = False,
           office_hints: dict[str, str] | None = None) -> IngestSummary:
    """Read every report file under paths into data_dir's facts.csv, reports.csv and findings.csv.

    paths: folders or files (default data_dir/reports); data_dir: the dataset folder (default the project's
    data/); force: extract every file again instead of taking unchanged ones from the cache. office_hints
    maps a file path (as found) to a registered office_id that wins over the office named in the text (the
    sample builder knows each corpus file's office from its name).

    Raises GongkaiError (and leaves the dataset as it was) when no report could be read or the tables cannot be
    written (a full disk), LockedError when another ingest is using data_dir. A folder or file that cannot be
    read is listed in summary.unreadable and its reports keep their previous rows.
    """
    data_dir = Path(data_dir or config.DATA_DIR)
    paths = list(paths) or [data_dir / "reports"]
    scan = scan_reports(paths)
    with DirectoryLock(data_dir, what="ingest"):
        recover(data_dir)
        forget_write_failures()
        return _ingest_locked(paths, scan, data_dir, force, office_hints or {})


def _ingest_locked(paths: list, scan: Scan, data_dir: Path, force: bool, office_hints: dict[str, str]) -> IngestSummary:
    registry_path = data_dir / "offices.csv"
    registry = load_registry(registry_path if registry_path.is_file() else config.DATA_DIR / "offices.csv")
    summary = IngestSummary(data_dir=data_dir, files=len(scan.files), skipped=scan.skipped,
                            unreadable=list(scan.unreadable))
    seen: dict[str, str] = {}
    facts: list[dict] = []
    reports: dict[str, dict] = {}
    findings: list[dict] = []
    sources: dict[str, str] = {}
    for path in scan.files:
        try:
            sha, read = _file_hash(path)
            if sha in seen and read:
                summary.duplicates.append((str(path), seen[sha]))
                continue
            report, cached = extract_cached(path, sha, data_dir / CACHE_FOLDER, force)
        except ReadError as exc:
            summary.failed.append((str(path), exc.problem))
            continue
        except OSError as exc:     # permission denied, an I/O error: an error, and its previous rows are kept
            summary.unreadable.append((str(path), f"cannot open: {exc.strerror or exc}"))
            continue
        except Exception as exc:  # an extractor bug must not stop the batch; it is reported with the file
            log.exception("%s: extraction failed", path)
            summary.failed.append((str(path), f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        seen[sha] = str(path)
        summary.cached += cached
        summary.extracted += not cached
        hinted = registry.offices.get(office_hints.get(str(path), ""))
        place = (Placement(hinted.office_id, hinted.name, hinted.district, is_new=False) if hinted
                 else place_report(report, registry, path))
        if place.is_new:
            summary.new_offices.append((place.office_id, place.office, place.district))
        left_out = sane_figures(report)
        report.findings = check_report(report) + left_out
        rows = fact_rows(report, place)
        facts += rows
        reports[report.report] = report_row(report, place, len(rows))
        sources[report.report] = os.path.abspath(path)
        findings += finding_rows(report)
    if summary.unreadable:
        kept, kept_sources, note = _kept_rows(data_dir, [os.path.abspath(p) for p, _ in summary.unreadable],
                                              set(reports))
        facts += kept.get("facts.csv", [])
        findings += kept.get("findings.csv", [])
        reports.update((r["report"], r) for r in kept.get("reports.csv", []))
        sources.update(kept_sources)
        summary.kept = len(kept.get("reports.csv", []))
        summary.notes += [note] if note else []
    if not reports:
        where = ", ".join(str(p) for p in paths)
        raise GongkaiError(f"no report could be read under {where} ({summary.files} file(s), "
                           f"{len(summary.failed) + len(summary.unreadable)} failed): the dataset in {data_dir} "
                           f"was left as it is")
    facts, notes = apply_overrides(facts, reports, read_overrides(data_dir / "overrides.csv"))
    summary.notes += notes
    findings += check_across_years(facts) + check_conflicts(facts, list(reports.values()))
    per_report = Counter(f["report"] for f in facts)       # after the overrides, which add and remove figures
    for rid, rep in reports.items():
        rep["facts"] = per_report[rid]
    for f in findings:
        rep = reports.get(f["report"])
        if rep is not None and f["severity"] in ("error", "warning"):
            rep[f["severity"] + "s"] += 1
    summary.reports = len(reports)
    summary.facts = len(facts)
    summary.errors = sum(f["severity"] == "error" for f in findings)
    summary.warnings = sum(f["severity"] == "warning" for f in findings)
    tables = {"facts.csv": facts, "reports.csv": list(reports.values()), "findings.csv": findings,
              SOURCES: [{"report": rid, "path": path} for rid, path in sources.items()]}
    try:
        commit_tables(data_dir, tables)
    except OSError as exc:
        raise GongkaiError(f"cannot write the dataset in {data_dir}: {exc.strerror or exc}; the previous dataset "
                           f"was left as it was") from exc
    log.debug("ingested %d report(s) into %s", summary.reports, data_dir)
    return summary


__all__ = ["IngestSummary", "MAX_FIGURE", "SKIP_NAMES", "fact_rows", "ingest", "place_report", "report_files",
           "sane_figures"]
