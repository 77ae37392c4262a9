"""The dataset on disk: report files in, data/facts.csv, reports.csv, findings.csv out; load() for notebooks.

ingest() reads every report file under the given folders, extracts it (a per-file cache keyed by the
file's content hash and the extractor's code makes unchanged files free), resolves office ids through
the registry (data/offices.csv), applies the reviewed corrections of data/overrides.csv last, runs the
cross-report checks and writes the three tables atomically: all three or none (see _commit).
One bad file never stops the batch; input files are only ever read.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai import config
from gongkai.errors import GongkaiError, ReadError
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, Conflict, Fact, Report, ReportMeta
from gongkai.registry import Registry, canonical_district, load_registry
from gongkai.store import COMMIT_MARKER, TABLES, commit_tables, read_table, recover, write_rows

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

OVERRIDE_COLUMNS = ["report", "metric", "dim", "year", "value", "note"]
SKIP_NAMES = {"README.md", "README.txt", ".gitkeep", "Thumbs.db", "desktop.ini"}
# the code whose output the cache stores: a change to any of these files invalidates cached extractions
EXTRACTION_CODE = ("reading.py", "formats/*.py", "numbers.py", "taxonomy.py", "identities.py", "wording.py",
                   "model.py", "extract/*.py", "data/*.csv")


@dataclass
class IngestSummary:
    """What one ingest did, for the command line and for tests."""
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

    def lines(self) -> list[str]:
        out = [f"ingested {self.reports} report(s) of {self.files} file(s) into {self.data_dir} "
               f"({self.extracted} extracted, {self.cached} unchanged): {self.facts} facts, "
               f"{self.errors} error and {self.warnings} warning finding(s)"]
        out += [f"  failed: {path}: {problem}" for path, problem in self.failed]
        out += [f"  skipped: {path}: same content as {first}" for path, first in self.duplicates]
        out += [f"  new office (not in offices.csv): {oid} {name} ({district or 'district unknown'})"
                for oid, name, district in self.new_offices]
        out += [f"  note: {note}" for note in self.notes]
        return out


@lru_cache(maxsize=1)
def extraction_fingerprint() -> str:
    """Library version plus a hash of the extraction code and vocabulary tables."""
    import gongkai
    digest = hashlib.sha256(gongkai.__version__.encode())
    for pattern in EXTRACTION_CODE:
        for path in sorted(config.PACKAGE_DIR.glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def report_files(paths) -> list[Path]:
    """Every file under the given folders (recursively) or given directly; hidden files and READMEs left out."""
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


# ----------------------------------------------------------------------------------------- extraction

def _report_to_json(report: Report) -> dict:
    # vars() of these flat dataclasses is what asdict() gives, without its deep-copy cost
    return {"report": report.report, "url": report.source if report.source != report.path else "",
            "meta": dict(vars(report.meta)), "facts": [dict(vars(f)) for f in report.facts],
            "conflicts": [{"kept": dict(vars(c.kept)), "other": dict(vars(c.other))} for c in report.conflicts]}


def _report_from_json(data: dict, path: str) -> Report:
    return Report(report=data["report"], source=data.get("url") or path, path=path,
                  meta=ReportMeta(**data["meta"]), facts=[Fact(**f) for f in data["facts"]],
                  conflicts=[Conflict(Fact(**c["kept"]), Fact(**c["other"])) for c in data.get("conflicts", [])])


def extract_cached(path: Path, sha: str, cache_dir: Path | None, force: bool = False) -> tuple[Report, bool]:
    """Extract one file, or take its result from the cache; (report, was_cached). ReadError passes through."""
    from gongkai.extract import extract_file
    entry = cache_dir / f"{sha}-{extraction_fingerprint()}.json" if cache_dir else None
    if entry and not force and entry.is_file():
        try:
            return _report_from_json(json.loads(entry.read_text(encoding="utf-8")), str(path)), True
        except (ValueError, KeyError, TypeError):
            log.warning("%s: unreadable cache entry, extracting again", entry)
    report = extract_file(path)
    if entry:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(_report_to_json(report), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, entry)
        except OSError as exc:
            log.warning("cannot write the extraction cache %s: %s", entry, exc)
    return report, False


def fact_rows(report: Report, office_id: str, office: str, district: str) -> list[dict]:
    """facts.csv rows of one report; a fact's year is its own (derived facts) or the report's data year."""
    return [{"report": report.report, "office_id": office_id, "office": office, "district": district,
             "year": f.year if f.year is not None else report.meta.year, "metric": f.metric, "dim": f.dim,
             "value": f.value, "unit": f.unit, "qualifier": f.qualifier, "method": f.method,
             "start": f.start, "end": f.end, "quote": f.quote} for f in report.facts]


def _place(report: Report, registry: Registry, path: Path) -> tuple[str, str, str, bool]:
    """(office_id, office, district, is_new): registry first; district from the text, registry or folder."""
    meta = report.meta
    district = canonical_district(meta.district)
    if not district:
        folder = path.parent.name
        if folder.endswith(("区", "县")) or folder in ("北京市",):
            district = canonical_district(folder)
    office = registry.resolve(meta.office, district)
    if office:
        return office.office_id, office.name, office.district or district, False
    if not meta.office:
        return "", "", district, False
    office = registry.new_office(meta.office, district)
    return office.office_id, office.name, office.district, True


# ------------------------------------------------------------------------------------------- overrides

def read_overrides(path: Path) -> list[dict[str, str]]:
    """Reviewed corrections (report, metric, dim, year, value, note); an empty value removes the figure."""
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("report") or "").strip() and (r.get("metric") or "").strip()]
    return [{k: (r.get(k) or "").strip() for k in OVERRIDE_COLUMNS} for r in rows]


def apply_overrides(facts: list[dict], reports: dict[str, dict], overrides: list[dict[str, str]],
                    summary: IngestSummary) -> list[dict]:
    """Overrides win over extraction: replace (or add, or with an empty value remove) one figure, method 'manual'."""
    by_key = {(f["report"], f["metric"], f["dim"] or "", str(f["year"] or "")): i for i, f in enumerate(facts)}
    removed: set[int] = set()
    for o in overrides:
        rep = reports.get(o["report"])
        if rep is None:
            summary.notes.append(f"override for unknown report {o['report']} ({o['metric']}) not applied")
            continue
        year = o["year"] or str(rep["year"] or "")
        key = (o["report"], o["metric"], o["dim"], year)
        i = by_key.get(key)
        if not o["value"]:
            if i is not None:
                removed.add(i)
            continue
        try:
            value = float(o["value"])
        except ValueError:
            summary.notes.append(f"override {o['report']} {o['metric']}: value {o['value']!r} is not a number")
            continue
        quote = (o["note"] or "reviewed correction")[:80]
        if i is not None:
            facts[i] |= {"value": value, "method": "manual", "quote": quote}
        else:
            from gongkai.taxonomy import metric_unit
            facts.append({"report": o["report"], "office_id": rep["office_id"], "office": rep["office"],
                          "district": rep["district"], "year": int(year) if year else None, "metric": o["metric"],
                          "dim": o["dim"], "value": value, "unit": metric_unit(o["metric"]), "qualifier": "exact",
                          "method": "manual", "start": None, "end": None, "quote": quote})
            by_key[key] = len(facts) - 1
    return [f for i, f in enumerate(facts) if i not in removed]


# ---------------------------------------------------------------------------------------------- ingest

def ingest(paths, data_dir=None, force: bool = False, office_hints: dict[str, str] | None = None) -> IngestSummary:
    """Read every report file under paths into data_dir's facts.csv, reports.csv and findings.csv.

    office_hints maps a file path (as found) to a registered office_id that wins over the office named
    in the text (the sample builder knows each corpus file's office from its name).

    Raises GongkaiError (and leaves the dataset as it was) when no report could be read.
    """
    from gongkai.checks import check_across_years, check_conflicts, check_report

    data_dir = Path(data_dir or config.DATA_DIR)
    paths = list(paths) or [data_dir / "reports"]
    registry_path = data_dir / "offices.csv"
    registry = load_registry(registry_path if registry_path.is_file() else config.DATA_DIR / "offices.csv")
    summary = IngestSummary(data_dir=data_dir)
    files = report_files(paths)
    summary.files = len(files)
    cache_dir = data_dir / ".cache"
    seen: dict[str, str] = {}
    facts: list[dict] = []
    reports: dict[str, dict] = {}
    findings: list[dict] = []
    for path in files:
        try:
            data = path.read_bytes() if path.stat().st_size <= 256 * 2**20 else b""
            sha = hashlib.sha256(data).hexdigest()
            if sha in seen and data:
                summary.duplicates.append((str(path), seen[sha]))
                continue
            report, cached = extract_cached(path, sha, cache_dir, force)
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
        if hinted:
            office_id, office, district, is_new = hinted.office_id, hinted.name, hinted.district, False
        else:
            office_id, office, district, is_new = _place(report, registry, path)
        if is_new:
            summary.new_offices.append((office_id, office, district))
        report.findings = check_report(report)
        rows = fact_rows(report, office_id, office, district)
        facts += rows
        reports[report.report] = {
            "report": report.report, "source": report.source, "office_id": office_id, "office": office,
            "district": district, "year": report.meta.year, "title_year": report.meta.title_year,
            "era": report.meta.era, "full_year": report.meta.full_year, "facts": len(rows), "errors": 0,
            "warnings": 0}
        findings += [{"report": report.report} | {k: getattr(f, k) for k in FINDING_COLUMNS[1:]}
                     for f in report.findings]
    if not reports:
        where = ", ".join(str(p) for p in paths)
        raise GongkaiError(f"no report could be read under {where} ({summary.files} file(s), "
                           f"{len(summary.failed)} failed): the dataset in {data_dir} was left as it is")
    facts = apply_overrides(facts, reports, read_overrides(data_dir / "overrides.csv"), summary)
    findings += _cross_report_findings(facts, reports, check_across_years, check_conflicts)
    for f in findings:
        rep = reports.get(f["report"])
        if rep is not None and f["severity"] in ("error", "warning"):
            rep[f["severity"] + "s"] += 1
    summary.reports = len(reports)
    summary.facts = len(facts)
    summary.errors = sum(f["severity"] == "error" for f in findings)
    summary.warnings = sum(f["severity"] == "warning" for f in findings)
    commit_tables(data_dir, {"facts.csv": facts, "reports.csv": list(reports.values()), "findings.csv": findings})
    return summary


def _cross_report_findings(facts: list[dict], reports: dict[str, dict], across_years, conflicts) -> list[dict]:
    return across_years(facts) + conflicts(facts, list(reports.values()))


# ------------------------------------------------------------------------------------------------ load

@dataclass
class Dataset:
    """The dataset as typed DataFrames: facts, reports, findings (the data contract) and offices (registry)."""
    facts: "pd.DataFrame"
    reports: "pd.DataFrame"
    findings: "pd.DataFrame"
    offices: "pd.DataFrame"
    data_dir: Path | None = None

    def publication_volume(self, **kw):
        """gongkai.views.publication_volume on this dataset."""
        from gongkai import views
        return views.publication_volume(self, **kw)

    def category_mix(self, **kw):
        """gongkai.views.category_mix on this dataset."""
        from gongkai import views
        return views.category_mix(self, **kw)

    def request_outcomes(self, **kw):
        """gongkai.views.request_outcomes on this dataset."""
        from gongkai import views
        return views.request_outcomes(self, **kw)

    def coverage(self, **kw):
        """gongkai.views.coverage on this dataset."""
        from gongkai import views
        return views.coverage(self, **kw)


def load(data_dir=None) -> Dataset:
    """The dataset in data_dir (default: the project's data/, or $GONGKAI_DATA) as typed DataFrames."""
    from gongkai.registry import OFFICE_COLUMNS
    data_dir = Path(data_dir or config.DATA_DIR)
    missing = [n for n in TABLES if not (data_dir / n).is_file()]
    if missing:
        raise GongkaiError(f"no dataset in {data_dir}: {', '.join(missing)} missing (run `gongkai ingest DIR`)")
    if (data_dir / COMMIT_MARKER).is_file():
        recover(data_dir)
    tables = {name[:-4]: read_table(data_dir / name, columns) for name, columns in TABLES.items()}
    offices_path = data_dir / "offices.csv"
    if offices_path.is_file():
        offices = read_table(offices_path, OFFICE_COLUMNS)
    else:
        import pandas as pd
        offices = pd.DataFrame({c: pd.Series(dtype="string") for c in OFFICE_COLUMNS})
    return Dataset(facts=tables["facts"], reports=tables["reports"], findings=tables["findings"],
                   offices=offices, data_dir=data_dir)


# -------------------------------------------------------------------------------------------- commands

def ingest_command(args) -> int:
    """`gongkai ingest [DIR...] [--data D] [--force]`: prints the summary; 1 when nothing could be read."""
    import sys
    try:
        summary = ingest(args.dirs or [], args.data, force=args.force)
    except GongkaiError as exc:
        print(f"gongkai ingest: {exc}", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 0


def extract_command(args) -> int:
    """`gongkai extract FILE... [--format csv|json]`: facts of the files on stdout, data/ untouched.

    Columns: facts.csv's plus source (each path exactly as given). Exit 1 when any file could not be read
    (its error on stderr), after printing the other files' facts.
    """
    import sys
    from gongkai.extract import extract_file
    registry = load_registry(config.DATA_DIR / "offices.csv")
    columns = FACT_COLUMNS + ["source"]
    rows: list[dict] = []
    status = 0
    for given in args.files:
        try:
            report = extract_file(given)
        except ReadError as exc:
            print(f"gongkai extract: {exc}", file=sys.stderr)
            status = 1
            continue
        except Exception as exc:  # report the file and go on with the others
            print(f"gongkai extract: {given}: extraction failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 1
            continue
        office_id, office, district, _ = _place(report, registry, Path(given))
        rows += [r | {"source": given} for r in fact_rows(report, office_id, office, district)]
    try:
        if getattr(args, "format", "csv") == "json":
            json.dump([{c: r.get(c) for c in columns} for r in rows], sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            write_rows(sys.stdout, columns, rows)
        sys.stdout.flush()
    except BrokenPipeError:  # `gongkai extract … | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


def check_command(args) -> int:
    """`gongkai check [--data D] [--severity S]`: print findings; exit 1 when any has severity error."""
    import sys
    try:
        ds = load(args.data)
    except GongkaiError as exc:
        print(f"gongkai check: {exc}", file=sys.stderr)
        return 2
    findings = ds.findings
    sources = dict(zip(ds.reports["report"], ds.reports["source"]))
    shown = findings[findings["severity"] == args.severity] if getattr(args, "severity", None) else findings
    for f in shown.itertuples(index=False):
        print(f"{f.severity:7} {f.check:14} {f.report} {sources.get(f.report, '')}: {f.message}")
    errors = int((findings["severity"] == "error").sum())
    warnings = int((findings["severity"] == "warning").sum())
    print(f"{len(ds.reports)} report(s): {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
