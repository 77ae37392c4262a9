"""Ingest: report files in, data/facts.csv, reports.csv and findings.csv out, as one atomic set.

ingest() reads every report file under the given folders and, per file: extracts it (through the
extraction cache, so an unchanged file costs a hash), files it under an office of the registry
(data/offices.csv), runs the within-report checks on it (always, cached or not), and notes what it lacks
(an office, a year, any figure). Then it applies the reviewed corrections of data/overrides.csv, runs the
across-report checks (year N against year N-1, two reports of one office-year) and writes the three
tables with gongkai.store: all three or none. One bad file never stops the batch; it is named in the
summary with its problem. Input files are only ever read. Nothing is printed: the IngestSummary it
returns is for the command line (gongkai.cli.data) and tests.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import config
from gongkai.formats import limits
from gongkai.checks import check_across_years, check_conflicts, check_report
from gongkai.errors import GongkaiError, ReadError
from gongkai.extraction_cache import extract_cached
from gongkai.model import FINDING_COLUMNS, Report
from gongkai.overrides import apply_overrides, read_overrides
from gongkai.registry import Placement, Registry, load_registry
from gongkai.store import commit_tables

log = logging.getLogger(__name__)

SKIP_NAMES = {"README.md", "README.txt", ".gitkeep", "Thumbs.db", "desktop.ini"}
CACHE_FOLDER = ".cache"


@dataclass
class IngestSummary:
    """What one ingest did: counts, files that failed or repeated another, offices new to the registry."""
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


def report_files(paths: Iterable) -> list[Path]:
    """Every file under the given folders (recursively) or given directly; hidden files and READMEs left out.

    Raises GongkaiError for a path that does not exist."""
    found: list[Path] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            found.append(root)
            continue
        if not root.is_dir():
            raise GongkaiError(f"{root}: no such file or folder")
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).parts
            if path.is_file() and not any(p.startswith((".", "~$")) for p in rel) and path.name not in SKIP_NAMES:
                found.append(path)
    return found


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


def ingest(paths: Iterable, data_dir=None, force: bool = False,
           office_hints: dict[str, str] | None = None) -> IngestSummary:
    """Read every report file under paths into data_dir's facts.csv, reports.csv and findings.csv.

    paths: folders or files (default data_dir/reports); data_dir: the dataset folder (default the project's
    data/); force: extract every file again instead of taking unchanged ones from the cache. office_hints
    maps a file path (as found) to a registered office_id that wins over the office named in the text (the
    sample builder knows each corpus file's office from its name).

    Raises GongkaiError (and leaves the dataset as it was) when no report could be read.
    """
    data_dir = Path(data_dir or config.DATA_DIR)
    paths = list(paths) or [data_dir / "reports"]
    registry_path = data_dir / "offices.csv"
    registry = load_registry(registry_path if registry_path.is_file() else config.DATA_DIR / "offices.csv")
    summary = IngestSummary(data_dir=data_dir)
    files = report_files(paths)
    summary.files = len(files)
    seen: dict[str, str] = {}
    facts: list[dict] = []
    reports: dict[str, dict] = {}
    findings: list[dict] = []
    for path in files:
        try:
            sha, read = _file_hash(path)
            if sha in seen and read:
                summary.duplicates.append((str(path), seen[sha]))
                continue
            report, cached = extract_cached(path, sha, data_dir / CACHE_FOLDER, force)
        except ReadError as exc:
            summary.failed.append((str(path), exc.problem))
            continue
        except OSError as exc:
            summary.failed.append((str(path), f"cannot open: {exc.strerror}"))
            continue
        except Exception as exc:  # an extractor bug must not stop the batch; it is reported with the file
            log.exception("%s: extraction failed", path)
            summary.failed.append((str(path), f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        seen[sha] = str(path)
        summary.cached += cached
        summary.extracted += not cached
        hinted = registry.offices.get((office_hints or {}).get(str(path), ""))
        place = (Placement(hinted.office_id, hinted.name, hinted.district, is_new=False) if hinted
                 else place_report(report, registry, path))
        if place.is_new:
            summary.new_offices.append((place.office_id, place.office, place.district))
        report.findings = check_report(report)
        rows = fact_rows(report, place)
        facts += rows
        reports[report.report] = report_row(report, place, len(rows))
        findings += finding_rows(report)
    if not reports:
        where = ", ".join(str(p) for p in paths)
        raise GongkaiError(f"no report could be read under {where} ({summary.files} file(s), "
                           f"{len(summary.failed)} failed): the dataset in {data_dir} was left as it is")
    facts, summary.notes = apply_overrides(facts, reports, read_overrides(data_dir / "overrides.csv"))
    findings += check_across_years(facts) + check_conflicts(facts, list(reports.values()))
    for f in findings:
        rep = reports.get(f["report"])
        if rep is not None and f["severity"] in ("error", "warning"):
            rep[f["severity"] + "s"] += 1
    summary.reports = len(reports)
    summary.facts = len(facts)
    summary.errors = sum(f["severity"] == "error" for f in findings)
    summary.warnings = sum(f["severity"] == "warning" for f in findings)
    commit_tables(data_dir, {"facts.csv": facts, "reports.csv": list(reports.values()), "findings.csv": findings})
    log.debug("ingested %d report(s) into %s", summary.reports, data_dir)
    return summary
